"""With accounting installed, a production's consumption and output are posted by stock's accounting bridge
(the moves to and from the production location): the stock account follows the stock valuation, the work
centres' cost is absorbed from the adjustments account, and a refused production posts nothing."""
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from addons.accounting.models import Account, Move, MoveLine
from addons.manufacturing.services.production import confirm_production, create_production, produce
from addons.stock.models import ValuationEntry
from addons.stock_accounting.accounts import stock_accounts
from core.errors import ValidationError
from core.sessions import system_rows

D = Decimal


def balances(shop) -> dict[str, Decimal]:
    """account role -> debit - credit of the posted stock entries; and the stock valuation's total."""
    with system_rows(shop.session) as system:
        accounts = stock_accounts(system, shop.company_id)
        found = {}
        for role in ("stock", "input", "adjustment"):
            account_id = getattr(accounts, f"{role}_account_id")
            found[role] = D(system.scalar(
                select(func.coalesce(func.sum(MoveLine.debit - MoveLine.credit), 0))
                .join(Move, Move.id == MoveLine.move_id)
                .where(MoveLine.account_id == account_id, Move.origin == "stock", Move.state == "posted")))
        found["valuation"] = D(system.scalar(select(func.coalesce(func.sum(ValuationEntry.value), 0)).where(
            ValuationEntry.company_id == shop.company_id)))
        assert system.get(Account, accounts.stock_account_id) is not None
    return found


def test_production_is_posted_and_the_books_follow_the_valuation(shop, tables):
    before = balances(shop)
    assert before["stock"] == before["valuation"] == -before["input"]
    production = create_production(shop.session, shop.company_id, product_id=tables.table.id, quantity=D(2),
                                   warehouse_id=shop.warehouse.id)
    confirm_production(shop.session, production)
    with pytest.raises(ValidationError, match="Not enough components"):
        produce(shop.session, production, quantity=D(2), extra=[{"product_id": tables.leg.id, "quantity": D(50)}])
    assert balances(shop) == before
    produce(shop.session, production, quantity=D(2))
    after = balances(shop)
    labour = D(75)  # 60 minutes and 15 of setup at 60.00 an hour
    assert after["stock"] == after["valuation"] == before["stock"] + labour
    assert after["adjustment"] == before["adjustment"] - labour
