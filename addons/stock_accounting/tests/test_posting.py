"""The stock valuation posted to the ledger: receipts, deliveries, counts; refused in a locked period."""
import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, select

from addons.accounting.models import Account, Move, MoveLine
from addons.accounting.services.years import set_lock_date
from addons.products.services import create_product
from addons.stock.models import ProductStock, Quant, StockMove, ValuationEntry
from addons.stock.services.moves import create_moves, done
from addons.stock.services.setup import (
    create_warehouse,
    stock_settings,
    warehouse_locations,
)
from addons.stock_accounting.accounts import stock_accounts
from addons.stock_accounting.models import PostedValuation
from addons.stock_accounting.posting import high_water_marks, post_pending
from core.errors import ValidationError
from core.sessions import system_rows

TODAY = dt.date.today()


@pytest.fixture
def shop(db):
    clerk = db.as_user(db.user("clerk", groups=["stock.group_manager", "products.group_manager"]))
    company_id = db.main_company.id
    warehouse = create_warehouse(clerk, company_id, code="MAD", name="Madrid")
    settings = stock_settings(clerk, company_id)
    bolts = create_product(clerk, company_id, code="BOLT", name="Bolt")
    clerk.add(ProductStock(product_id=bolts.id, valuation_method="fifo"))
    clerk.flush()
    return SimpleNamespace(db=db, clerk=clerk, company_id=company_id, bolts=bolts,
                           stock=warehouse_locations(clerk, warehouse)[1].id, supplier=settings.supplier_location_id,
                           customer=settings.customer_location_id, inventory=settings.inventory_location_id)


def move(shop, quantity, source, dest, cost=None, on=TODAY):
    (move_id,) = create_moves(shop.clerk, shop.company_id, [{
        "product_id": shop.bolts.id, "quantity": D(quantity), "source_location_id": source,
        "dest_location_id": dest, "unit_cost": None if cost is None else D(cost)}])
    done(shop.clerk, [shop.clerk.get(StockMove, move_id)], date=dt.datetime.combine(on, dt.time(12)))
    return move_id


def ledger(shop) -> list[tuple]:
    """(account code, debit, credit) of the posted stock entries, in order (read in the clerk's transaction, who
    may not read the ledger: the test's sessions share one connection)."""
    with system_rows(shop.clerk) as system:
        return [tuple(row) for row in system.execute(
            select(Account.code, MoveLine.debit, MoveLine.credit).join(Move, Move.id == MoveLine.move_id)
            .join(Account, Account.id == MoveLine.account_id)
            .where(Move.origin == "stock", Move.state == "posted").order_by(Move.id, MoveLine.id))]


def codes(shop) -> SimpleNamespace:
    with system_rows(shop.clerk) as system:
        accounts = stock_accounts(system, shop.company_id)
        return SimpleNamespace(**{role: system.get(Account, getattr(accounts, f"{role}_account_id")).code
                                  for role in ("stock", "input", "output", "adjustment")})


def test_receipts_deliveries_and_counts_are_posted_as_they_are_done(shop):
    account = codes(shop)
    move(shop, 10, shop.supplier, shop.stock, cost="2.50")
    move(shop, 4, shop.stock, shop.customer)
    move(shop, 1, shop.stock, shop.inventory)
    move(shop, 1, shop.customer, shop.stock)
    assert ledger(shop) == [
        (account.stock, D("25.00"), D(0)), (account.input, D(0), D("25.00")),
        (account.stock, D(0), D("10.00")), (account.output, D("10.00"), D(0)),
        (account.stock, D(0), D("2.50")), (account.adjustment, D("2.50"), D(0)),
        (account.stock, D("2.50"), D(0)), (account.output, D(0), D("2.50"))]
    with system_rows(shop.clerk) as system:
        linked = system.scalars(select(PostedValuation.move_id)).all()
    assert len(linked) == 4 and None not in linked


def test_a_move_dated_in_a_locked_period_is_refused_and_nothing_moves(shop):
    move(shop, 10, shop.supplier, shop.stock, cost="2.50")
    with system_rows(shop.clerk) as accountant:  # in the clerk's transaction: one shared test connection
        set_lock_date(accountant, shop.company_id, date=TODAY - dt.timedelta(days=1))
    before = shop.clerk.scalars(select(Quant.quantity).where(Quant.product_id == shop.bolts.id)).all()
    with pytest.raises(ValidationError, match="lock"):
        move(shop, 3, shop.stock, shop.customer, on=TODAY - dt.timedelta(days=5))
    assert shop.clerk.scalars(select(Quant.quantity).where(Quant.product_id == shop.bolts.id)).all() == before
    assert len(ledger(shop)) == 2


def test_posting_again_posts_nothing_twice(shop):
    move(shop, 10, shop.supplier, shop.stock, cost="2.50")
    assert post_pending(shop.clerk) == []
    assert len(ledger(shop)) == 2


def _posted_entries(shop) -> set[int]:
    with system_rows(shop.clerk) as system:
        return set(system.scalars(select(PostedValuation.valuation_entry_id)))


def _entries(shop) -> dict[int, D]:
    with system_rows(shop.clerk) as system:
        return dict(system.execute(select(ValuationEntry.id, ValuationEntry.value)
                                   .where(ValuationEntry.company_id == shop.company_id)).all())


def test_a_back_dated_receipt_revaluing_what_followed_is_posted_and_the_books_match_the_valuation(shop):
    account = codes(shop)
    move(shop, 10, shop.supplier, shop.stock, cost="2.50")
    move(shop, 4, shop.stock, shop.customer)
    move(shop, 10, shop.supplier, shop.stock, cost="1.00", on=TODAY - dt.timedelta(days=5))  # FIFO replays
    entries = _entries(shop)
    assert {entry_id for entry_id, value in entries.items() if value} <= _posted_entries(shop)
    stock = sum((debit - credit for code, debit, credit in ledger(shop) if code == account.stock), D(0))
    assert stock == sum(entries.values()) == D("31.00")  # 6 at 1.00 left, and the 10 at 2.50


def test_a_batch_posts_above_the_high_water_mark_and_the_nightly_sweep_catches_a_straggler(shop):
    """An entry committed after a later one was posted (concurrent transactions) sits below the company's mark:
    batches do not look at the history, the nightly sweep posts it."""
    move(shop, 10, shop.supplier, shop.stock, cost="2.50")
    straggler = min(_entries(shop))
    move(shop, 5, shop.supplier, shop.stock, cost="2.50")
    with system_rows(shop.clerk) as system:  # as if the first entry had been committed late
        system.execute(delete(PostedValuation).where(PostedValuation.valuation_entry_id == straggler))
    assert high_water_marks(shop.clerk, [shop.company_id]) == {shop.company_id: max(_entries(shop))}
    move(shop, 2, shop.stock, shop.customer)
    assert straggler not in _posted_entries(shop) and len(ledger(shop)) == 6
    assert post_pending(shop.clerk) == []
    assert len(post_pending(shop.clerk, sweep=True)) == 1
    assert straggler in _posted_entries(shop) and len(ledger(shop)) == 8
