"""The three-way check: a bill billing more than ordered or received, or at another price, is not posted, one
by one or in a batch, until a purchase manager or an accountant accepts exactly those differences."""
from decimal import Decimal
from types import SimpleNamespace

import pytest

from addons.accounting.models import Invoice
from addons.accounting.models.invoicing import DRAFT, POSTED
from addons.accounting.services.invoice_batches import post_invoices
from addons.accounting.services.invoices import update_invoice
from addons.purchase_accounting.models import RECEIVED, Acceptance
from addons.purchase_accounting.services.check import (
    OVER_ORDERED,
    OVER_RECEIVED,
    PRICE,
    accept_differences,
    check_bill,
)
from addons.purchase_stock.tests.test_receipts import receipt_of
from addons.stock.services.transfers import process_transfer
from core.errors import AccessDenied, ValidationError
from core.models import AuditLog

from .conftest import confirmed_order, make_bill, post


def _edit(session, bill_id, **changes):
    """Change the bill's lines as its form does (the lines are replaced), ``changes``: position -> values."""
    bill = session.get(Invoice, bill_id)
    lines = [{"description": line.description, "quantity": line.quantity, "unit_price": line.unit_price,
              "product_id": line.product_id, "tax_ids": [tax.id for tax in line.taxes], **changes.get(str(index), {})}
             for index, line in enumerate(bill.lines)]
    update_invoice(session, bill, lines=lines)
    session.commit()
    session.close()


def _check(session, bill_id):
    found = [(line.position, line.ordered, line.received, line.billed_before, line.billed, line.problems)
             for line in check_bill(session, session.get(Invoice, bill_id))]
    session.close()
    return found


def test_a_bill_matching_its_order_is_posted_and_one_at_another_price_is_refused_until_accepted(shop):
    order_id = confirmed_order(shop, (shop.bolts, 100, "0.50"), (shop.paint, 4, "24.75"))
    bill_id = make_bill(shop.billing, order_id)
    assert _check(shop.accountant, bill_id) == [(1, Decimal(100), Decimal(0), Decimal(0), Decimal(100), ()),
                                                (2, Decimal(4), Decimal(0), Decimal(0), Decimal(4), ())]
    _edit(shop.billing, bill_id, **{"1": {"unit_price": Decimal("26.00")}})
    assert [problems for *_, problems in _check(shop.accountant, bill_id)] == [(), (PRICE,)]
    with pytest.raises(ValidationError, match=r"differs from its purchase order: Line 2 \(.*Grey paint.*\): costs "
                                              r"26 a unit where the order says 24.75\."):
        post(shop.accountant, bill_id)
    shop.accountant.rollback()
    shop.accountant.close()
    assert shop.accountant.get(Invoice, bill_id).state == DRAFT
    shop.accountant.close()
    with pytest.raises(AccessDenied, match="Only a purchase manager or an accountant"):
        accept_differences(shop.billing, bill_id)
    shop.billing.rollback()
    shop.billing.close()
    accept_differences(shop.boss, bill_id, reason="New price list from June")
    shop.boss.commit()
    shop.boss.close()
    post(shop.accountant, bill_id)
    bill = shop.accountant.get(Invoice, bill_id)
    acceptance = shop.accountant.get(Acceptance, bill_id)
    assert bill.state == POSTED and acceptance.accepted_by.login == "boss"
    assert "costs 26 a unit" in acceptance.differences and acceptance.reason == "New price list from June"
    shop.accountant.close()
    system = shop.books.session
    assert system.query(AuditLog).filter(AuditLog.table_name == "purchase_accounting_acceptance").count() == 1
    system.commit()


def test_billing_more_than_received_is_refused_in_a_batch_too_and_a_changed_bill_needs_a_new_acceptance(shop):
    from addons.purchase_accounting.tests.conftest import set_policy

    set_policy(shop, RECEIVED)
    order_id = confirmed_order(shop, (shop.bolts, 10, "0.50"))
    receipt = receipt_of(shop.clerk, SimpleNamespace(id=order_id))
    process_transfer(shop.clerk, receipt, quantities={receipt.moves[0].id: Decimal(6)}, backorder=True)
    shop.clerk.commit()
    shop.clerk.close()
    bill_id = make_bill(shop.billing, order_id)
    _edit(shop.billing, bill_id, **{"0": {"quantity": Decimal(8)}})
    assert _check(shop.accountant, bill_id) == [(1, Decimal(10), Decimal(6), Decimal(0), Decimal(8),
                                                 (OVER_RECEIVED,))]
    with pytest.raises(ValidationError, match="bills 8 in all but 6 were received"):
        post_invoices(shop.accountant, [shop.accountant.get(Invoice, bill_id)])
    shop.accountant.rollback()
    shop.accountant.close()
    accept_differences(shop.accountant, bill_id)
    shop.accountant.commit()
    shop.accountant.close()
    _edit(shop.billing, bill_id, **{"0": {"quantity": Decimal(12)}})
    assert _check(shop.accountant, bill_id)[0][-1] == (OVER_ORDERED, OVER_RECEIVED)
    with pytest.raises(ValidationError, match="bills 12 in all but 10 were ordered; bills 12 in all but 6 were "
                                              "received"):
        post_invoices(shop.accountant, [shop.accountant.get(Invoice, bill_id)])
    shop.accountant.rollback()
    shop.accountant.close()
    accept_differences(shop.accountant, bill_id)
    shop.accountant.commit()
    shop.accountant.close()
    post_invoices(shop.accountant, [shop.accountant.get(Invoice, bill_id)])
    shop.accountant.commit()
    shop.accountant.close()
    assert shop.accountant.get(Invoice, bill_id).state == POSTED


def test_what_posted_bills_billed_counts_against_the_next_bill(shop):
    order_id = confirmed_order(shop, (shop.bolts, 10, "0.50"))
    first = make_bill(shop.billing, order_id)
    _edit(shop.billing, first, **{"0": {"quantity": Decimal(6)}})
    post(shop.accountant, first)
    second = make_bill(shop.billing, order_id)
    assert _check(shop.accountant, second) == [(1, Decimal(10), Decimal(0), Decimal(6), Decimal(4), ())]
    _edit(shop.billing, second, **{"0": {"quantity": Decimal(6)}})
    assert _check(shop.accountant, second) == [(1, Decimal(10), Decimal(0), Decimal(6), Decimal(6), (OVER_ORDERED,))]
    with pytest.raises(ValidationError, match="bills 12 in all but 10 were ordered"):
        post(shop.accountant, second)
    shop.accountant.rollback()
    shop.accountant.close()


def test_a_matching_bill_needs_no_acceptance(shop):
    order_id = confirmed_order(shop, (shop.bolts, 10, "0.50"))
    bill_id = make_bill(shop.billing, order_id)
    with pytest.raises(ValidationError, match="matches its orders"):
        accept_differences(shop.accountant, bill_id)
    shop.accountant.rollback()
    shop.accountant.close()
