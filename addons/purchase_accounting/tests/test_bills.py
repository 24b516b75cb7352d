"""Bills made from purchase orders: what each takes under each policy, partial bills, who may make them.

Each step runs in one user's session and commits before the next (see :func:`.conftest.confirmed_order`)."""
import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from addons.accounting.models import CurrencyRate, Invoice
from addons.accounting.models.invoicing import DRAFT, IN_INVOICE, POSTED
from addons.products.models import SERVICE
from addons.products.services import create_product
from addons.purchase.models import PurchaseOrder
from addons.purchase.services.orders import create_order
from addons.purchase_accounting.models import ORDERED, RECEIVED, BillLine
from addons.purchase_accounting.services.bills import (
    bill_orders,
    billed_quantities,
    create_bill,
    order_bills,
)
from addons.purchase_stock.tests.test_receipts import receipt_of
from addons.stock.services.transfers import process_transfer
from core.errors import AccessDenied, ValidationError

from .conftest import DAY, confirmed_order, make_bill, post, set_policy


def _lines(session, bill_id):
    bill = session.get(Invoice, bill_id)
    return [(line.product.code, line.quantity, line.unit_price, [tax.code for tax in line.taxes])
            for line in bill.lines]


def _billed(session, order_id):
    order = session.get(PurchaseOrder, order_id)
    billed = billed_quantities(session, [line.id for line in order.lines])
    return [billed.get(line.id, Decimal(0)) for line in order.lines]


def test_ordered_policy_bills_what_was_ordered_once(shop):
    set_policy(shop, ORDERED, "P_IVA21")
    order_id = confirmed_order(shop, (shop.bolts, 100, "0.50"), (shop.paint, 4, "24.75"))
    bill_id = make_bill(shop.billing, order_id)
    session = shop.accountant
    bill, order = session.get(Invoice, bill_id), session.get(PurchaseOrder, order_id)
    assert (bill.kind, bill.state, bill.partner_id, bill.currency_code) == (IN_INVOICE, DRAFT, shop.supplier.id, "EUR")
    assert _lines(session, bill_id) == [("BOLT", Decimal(100), Decimal("0.5"), ["P_IVA21"]),
                                        ("PAINT", Decimal(4), Decimal("24.75"), ["P_IVA21"])]
    assert (bill.amount_untaxed, bill.amount_tax) == (Decimal("149.00"), Decimal("31.29"))
    assert all(line.description.startswith(f"{order.number}: ") for line in bill.lines)
    assert _billed(session, order_id) == [Decimal(100), Decimal(4)]
    assert [o.id for o in bill_orders(session, bill)] == [order_id]
    assert [b.id for b in order_bills(session, order)] == [bill_id]
    session.close()
    with pytest.raises(ValidationError, match="Nothing is left to bill"):
        make_bill(shop.billing, order_id)
    shop.billing.rollback()
    post(shop.accountant, bill_id)
    assert shop.accountant.get(Invoice, bill_id).state == POSTED


def test_goods_are_booked_to_the_settings_account_for_goods_and_services_to_the_expense_account(shop):
    set_policy(shop, ORDERED, goods_account="607")
    system = shop.books.session
    advice = create_product(system, shop.company.id, code="ADVICE", name="Advice", kind=SERVICE)
    system.commit()
    order_id = confirmed_order(shop, (shop.bolts, 10, "0.50"), (advice, 2, "80"))
    bill = shop.accountant.get(Invoice, make_bill(shop.billing, order_id))
    assert [(line.product.code, line.account.code) for line in bill.lines] == [("BOLT", "607"), ("ADVICE", "600")]
    shop.accountant.close()


def test_with_stock_valued_in_the_ledger_goods_clear_goods_received_not_billed(shop):
    set_policy(shop, ORDERED)  # no account for goods: stock_accounting's answers (installed in the test database)
    order_id = confirmed_order(shop, (shop.bolts, 10, "0.50"))
    bill = shop.accountant.get(Invoice, make_bill(shop.billing, order_id))
    assert [(line.product.code, line.account.code) for line in bill.lines] == [("BOLT", "4009")]
    shop.accountant.close()


def test_received_policy_bills_what_was_received_receipt_by_receipt(shop):
    set_policy(shop, RECEIVED)
    order_id = confirmed_order(shop, (shop.bolts, 10, "0.50"), (shop.paint, 4, "24.75"))
    with pytest.raises(ValidationError, match="Nothing is left to bill"):
        make_bill(shop.billing, order_id)
    shop.billing.rollback()
    receipt = receipt_of(shop.clerk, SimpleNamespace(id=order_id))
    quantities = {move.id: Decimal(6) if move.product_id == shop.bolts.id else Decimal(0) for move in receipt.moves}
    backorder, _warnings = process_transfer(shop.clerk, receipt, quantities=quantities, backorder=True)
    backorder_id = backorder.id
    shop.clerk.commit()
    shop.clerk.close()
    first = make_bill(shop.billing, order_id)
    assert _lines(shop.accountant, first) == [("BOLT", Decimal(6), Decimal("0.5"), [])]
    shop.accountant.close()
    post(shop.accountant, first)
    process_transfer(shop.clerk, shop.clerk.get(type(backorder), backorder_id))
    shop.clerk.commit()
    shop.clerk.close()
    second = make_bill(shop.billing, order_id)
    assert _lines(shop.accountant, second) == [("BOLT", Decimal(4), Decimal("0.5"), []),
                                               ("PAINT", Decimal(4), Decimal("24.75"), [])]
    shop.accountant.close()
    post(shop.accountant, second)
    assert _billed(shop.accountant, order_id) == [Decimal(10), Decimal(4)]
    assert len(order_bills(shop.accountant, shop.accountant.get(PurchaseOrder, order_id))) == 2


def test_deleting_a_draft_bill_frees_what_it_billed(shop):
    order_id = confirmed_order(shop, (shop.bolts, 10, "0.50"))
    bill_id = make_bill(shop.billing, order_id)
    shop.billing.delete(shop.billing.get(Invoice, bill_id))
    shop.billing.commit()
    shop.billing.close()
    assert _billed(shop.accountant, order_id) == [Decimal(0)]
    shop.accountant.close()
    assert shop.books.session.scalars(select(BillLine)).all() == []
    shop.books.session.commit()
    assert _lines(shop.accountant, make_bill(shop.billing, order_id)) == [("BOLT", Decimal(10), Decimal("0.5"), [])]


def test_only_billing_users_and_accountants_make_bills_and_nothing_is_left_behind(shop):
    order_id = confirmed_order(shop, (shop.bolts, 10, "0.50"))
    with pytest.raises(AccessDenied, match="Only a billing user or an accountant can create bills"):
        make_bill(shop.boss, order_id)
    shop.boss.rollback()
    assert shop.books.session.scalars(select(BillLine)).all() == []


def test_a_request_for_quotation_is_not_billed(shop):
    draft = create_order(shop.boss, shop.company.id, partner_id=shop.supplier.id, date_order=DAY,
                         lines=[{"product_id": shop.bolts.id, "quantity": 1, "unit_price": "1"}])
    draft_id = draft.id
    shop.boss.commit()
    shop.boss.close()
    with pytest.raises(ValidationError, match="not a confirmed purchase order"):
        create_bill(shop.billing, shop.billing.get(PurchaseOrder, draft_id), date=DAY)


def test_a_bill_in_a_currency_without_a_rate_on_its_date_is_not_made(shop):
    system = shop.books.session
    system.add(CurrencyRate(company_id=shop.company.id, currency_code="USD", date=DAY, rate=Decimal("0.9")))
    system.commit()
    order_id = confirmed_order(shop, (shop.bolts, 10, "0.50"), currency_code="USD")
    with pytest.raises(ValidationError, match="no exchange rate for USD on or before 2026-05-31"):
        create_bill(shop.billing, shop.billing.get(PurchaseOrder, order_id), date=dt.date(2026, 5, 31))
    shop.billing.rollback()
    shop.billing.close()
    assert system.scalars(select(Invoice).where(Invoice.partner_id == shop.supplier.id)).all() == []
    system.commit()
    bill_id = make_bill(shop.billing, order_id)
    assert shop.accountant.get(Invoice, bill_id).currency_code == "USD"
