"""A Spanish company with books that buys bolts and paint from one supplier, and the people who buy, receive,
bill, post and approve."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from addons.accounting.security import ACCOUNTANT, BILLING
from addons.accounting.tests.conftest import make_books
from addons.products.services import create_product
from addons.products.units import unit_by_code
from addons.purchase.services.orders import confirm_order, create_order
from addons.purchase_accounting.models import BillingSettings

DAY = dt.date(2026, 6, 15)


@pytest.fixture
def shop(db):
    books = make_books(db, "Compras Bottega S.L.", "ES")
    system, company = books.session, books.company
    bolts = create_product(system, company.id, code="BOLT", name="Bolt M6")
    paint = create_product(system, company.id, code="PAINT", name="Grey paint", uom_id=unit_by_code(system, "l").id)
    system.commit()
    return SimpleNamespace(
        db=db, books=books, company=company, bolts=bolts, paint=paint,
        supplier=books.partner("Ferretería Sol S.L.", is_company=True),
        buyer=books.as_user(books.user("buyer", ["purchase.group_user"])),
        boss=books.as_user(books.user("boss", ["purchase.group_manager"])),
        clerk=books.as_user(books.user("clerk", ["stock.group_user"])),
        billing=books.as_user(books.user("biller", [BILLING])),
        accountant=books.as_user(books.user("accountant", [ACCOUNTANT])))


def confirmed_order(shop, *lines, **values):
    """An order of ``lines`` ((product, quantity, unit price), ...) confirmed by the purchase manager; its id.

    Each session of a test shares one connection through savepoints: a record is used in the session that
    loaded it (``session.get(PurchaseOrder, order_id)``), never across sessions."""
    order = create_order(shop.boss, shop.company.id, partner_id=shop.supplier.id, date_order=DAY, lines=[
        {"product_id": product.id, "quantity": Decimal(quantity), "unit_price": Decimal(price)}
        for product, quantity, price in lines], **values)
    confirm_order(shop.boss, order)
    order_id = order.id
    shop.boss.commit()
    shop.boss.close()
    return order_id


def set_policy(shop, policy: str, tax_code: str | None = None, goods_account: str | None = None) -> None:
    system = shop.books.session
    system.add(BillingSettings(company_id=shop.company.id, policy=policy,
                               tax_id=shop.books.tax(tax_code).id if tax_code else None,
                               goods_account_id=shop.books.account(goods_account).id if goods_account else None))
    system.commit()


def make_bill(session, order_id: int) -> int:
    """Bill what is to bill of the order as the user of ``session``; the bill's id (committed)."""
    from addons.purchase.models import PurchaseOrder
    from addons.purchase_accounting.services.bills import create_bill

    bill_id = create_bill(session, session.get(PurchaseOrder, order_id), date=DAY).id
    session.commit()
    session.close()
    return bill_id


def post(session, bill_id: int):
    """Post the bill as the user of ``session`` (committed)."""
    from addons.accounting.models import Invoice
    from addons.accounting.services.invoices import post_invoice

    post_invoice(session, session.get(Invoice, bill_id))
    session.commit()
    session.close()
