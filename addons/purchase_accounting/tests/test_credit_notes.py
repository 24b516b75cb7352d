"""Supplier credit notes of bills made from orders: once posted, what they credit is no longer billed, so the
three-way check counts what is billed in the end and what was refunded can be billed again.

Each step runs in one user's session and commits before the next (see :func:`.conftest.confirmed_order`)."""
from decimal import Decimal

import pytest

from addons.accounting.models import Invoice
from addons.accounting.models.invoicing import IN_REFUND
from addons.accounting.services.invoices import (
    LineInput,
    create_credit_note,
    update_invoice,
)
from addons.purchase.models import PurchaseOrder
from addons.purchase_accounting.services.bills import (
    billed_quantities,
    order_bills,
    to_bill,
)
from addons.purchase_accounting.services.check import OVER_ORDERED, check_bill
from core.errors import ValidationError

from .conftest import DAY, confirmed_order, make_bill, post


def _billed(session, order_id):
    order = session.get(PurchaseOrder, order_id)
    billed = billed_quantities(session, [line.id for line in order.lines])
    left = to_bill(session, order)
    found = [(billed.get(line.id, Decimal(0)), left.get(line.id, Decimal(0))) for line in order.lines]
    session.close()
    return found


def _credit(session, bill_id, lines=None) -> int:
    """A draft credit note of the posted bill as the accountant (all its lines, or ``lines``); its id."""
    bill = session.get(Invoice, bill_id)
    if lines is not None:
        lines = [LineInput(description=bill.lines[index].description, quantity=Decimal(quantity),
                           unit_price=bill.lines[index].unit_price, product_id=bill.lines[index].product_id)
                 for index, quantity in lines]
    note_id = create_credit_note(session, bill, lines=lines, date=DAY).id
    session.commit()
    session.close()
    return note_id


def test_a_posted_partial_credit_note_frees_what_it_credits_for_a_new_bill(shop):
    order_id = confirmed_order(shop, (shop.bolts, 10, "0.50"), (shop.paint, 4, "24.75"))
    bill_id = make_bill(shop.billing, order_id)
    post(shop.accountant, bill_id)
    assert _billed(shop.accountant, order_id) == [(Decimal(10), Decimal(0)), (Decimal(4), Decimal(0))]
    note_id = _credit(shop.accountant, bill_id, [(0, 3)])  # 3 bolts were refunded
    assert shop.accountant.get(Invoice, note_id).kind == IN_REFUND
    assert _billed(shop.accountant, order_id) == [(Decimal(10), Decimal(0)), (Decimal(4), Decimal(0))], \
        "a draft credit note credits nothing yet"
    with pytest.raises(ValidationError, match="Nothing is left to bill"):
        make_bill(shop.billing, order_id)
    shop.billing.rollback()
    shop.billing.close()
    post(shop.accountant, note_id)
    assert _billed(shop.accountant, order_id) == [(Decimal(7), Decimal(3)), (Decimal(4), Decimal(0))]
    assert note_id in [bill.id for bill in order_bills(shop.accountant, shop.accountant.get(PurchaseOrder, order_id))]
    shop.accountant.close()
    again = make_bill(shop.billing, order_id)
    bill = shop.accountant.get(Invoice, again)
    assert [(line.product_id, line.quantity) for line in bill.lines] == [(shop.bolts.id, Decimal(3))]
    assert [(line.billed_before, line.billed, line.problems) for line in check_bill(shop.accountant, bill)] == [
        (Decimal(7), Decimal(3), ())]
    shop.accountant.close()
    post(shop.accountant, again)  # matches its order: no acceptance needed
    assert _billed(shop.accountant, order_id) == [(Decimal(10), Decimal(0)), (Decimal(4), Decimal(0))]


def test_a_full_credit_note_unbills_the_order_and_billing_past_it_is_still_checked(shop):
    order_id = confirmed_order(shop, (shop.bolts, 10, "0.50"))
    bill_id = make_bill(shop.billing, order_id)
    post(shop.accountant, bill_id)
    note_id = _credit(shop.accountant, bill_id)
    note = shop.accountant.get(Invoice, note_id)
    update_invoice(shop.accountant, note, lines=[  # the draft is edited: its line keeps crediting the order line
        {"description": line.description, "quantity": Decimal(10), "unit_price": line.unit_price,
         "product_id": line.product_id} for line in note.lines])
    shop.accountant.commit()
    shop.accountant.close()
    post(shop.accountant, note_id)
    assert _billed(shop.accountant, order_id) == [(Decimal(0), Decimal(10))]
    second = make_bill(shop.billing, order_id)
    update_invoice(shop.billing, shop.billing.get(Invoice, second), lines=[
        {"description": "bolts", "quantity": Decimal(12), "unit_price": Decimal("0.50"),
         "product_id": shop.bolts.id}])
    shop.billing.commit()
    shop.billing.close()
    assert [(line.billed_before, line.billed, line.problems)
            for line in check_bill(shop.accountant, shop.accountant.get(Invoice, second))] == [
        (Decimal(0), Decimal(12), (OVER_ORDERED,))]
    shop.accountant.close()
    with pytest.raises(ValidationError, match="bills 12 in all but 10 were ordered"):
        post(shop.accountant, second)
    shop.accountant.rollback()
    shop.accountant.close()


def test_a_credit_note_line_of_a_product_the_bill_does_not_bill_credits_nothing_of_the_order(shop):
    order_id = confirmed_order(shop, (shop.bolts, 10, "0.50"))
    bill_id = make_bill(shop.billing, order_id)
    post(shop.accountant, bill_id)
    bill = shop.accountant.get(Invoice, bill_id)
    note_id = create_credit_note(shop.accountant, bill, date=DAY, lines=[
        LineInput(description="Freight refund", quantity=Decimal(1), unit_price=Decimal(5),
                  product_id=shop.paint.id)]).id
    shop.accountant.commit()
    shop.accountant.close()
    post(shop.accountant, note_id)
    assert _billed(shop.accountant, order_id) == [(Decimal(10), Decimal(0))]
