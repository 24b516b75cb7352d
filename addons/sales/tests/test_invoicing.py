"""Invoicing sales orders: ordered and delivered policies, over-invoicing refused, down payments deducted on the
final invoice, credit notes lowering the invoiced quantities, the order's invoice and payment status, and
cancelling an order that has invoices."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.accounting.models import Invoice, Journal
from addons.accounting.models.invoicing import OUT_INVOICE
from addons.accounting.services.invoices import create_credit_note, post_invoice
from addons.accounting.services.payments import register_payment
from addons.accounting.services.years import create_fiscal_year
from addons.products.models import SERVICE
from addons.products.services import create_product
from addons.sales.models import (
    CANCELLED,
    DELIVERED,
    INVOICED,
    NOT_PAID,
    NOTHING_TO_INVOICE,
    PAID,
    PARTLY_INVOICED,
    PARTLY_PAID,
    TO_INVOICE,
    SaleOrderLine,
    SalesProduct,
)
from addons.sales.services.invoicing import invoice_down_payment, invoice_orders, invoicing_of
from addons.sales.services.orders import cancel_order, record_delivered
from addons.sales.services.quotes import confirm_quote, create_quote
from core import hookimpl
from core.errors import ValidationError

DAY = dt.date(2027, 3, 15)
ACCOUNTANT = "accounting.group_accountant"


@pytest.fixture
def seller(shop):
    """A sales manager who is the accountant too: she invoices, posts and records payments (one session, as
    the tests share one connection)."""
    db = shop.db
    shop.bea = shop.accountant = db.as_user(db.user("bea", groups=["sales.group_manager", ACCOUNTANT]))
    # a service: its deliveries are entered by hand (goods come from sales_stock's deliveries, installed here)
    system = db.system()
    shop.fitting = create_product(system, shop.company.id, code="FIT", name="Fitting", kind=SERVICE,
                                  list_price=Decimal(40), cost=Decimal(25))
    system.commit()
    create_fiscal_year(shop.accountant, shop.company.id, year=DAY.year)
    shop.accountant.commit()
    return shop


def done(session, result=None):
    """Commit what a service did and hand back its result."""
    session.commit()
    return result


def bill(shop, orders, **values):
    return done(shop.bea, invoice_orders(shop.bea, orders, date=DAY, **values))


def advance(shop, found, **values):
    return done(shop.bea, invoice_down_payment(shop.bea, found, date=DAY, **values))


def deliver(shop, found, quantities):
    return done(shop.bea, record_delivered(shop.bea, found, quantities))


def delivered_policy(shop, product):
    shop.bea.add(SalesProduct(product_id=product.id, invoice_policy=DELIVERED))
    shop.bea.commit()


def order(shop, *lines, partner=None):
    found = create_quote(shop.bea, shop.company.id, partner_id=(partner or shop.rossi).id, date_order=DAY,
                         lines=[{"product_id": product.id, "quantity": quantity, "tax_ids": [shop.vat.id]}
                                for product, quantity in lines])
    return done(shop.bea, confirm_quote(shop.bea, found, today=DAY))


def status(shop, found):
    return invoicing_of(shop.bea, [found])[found.id]


def post(shop, invoice):
    return done(shop.accountant, post_invoice(shop.accountant, shop.accountant.get(Invoice, invoice.id)))


def pay(shop, invoice, amount):
    session = shop.accountant
    bank = session.scalars(select(Journal).where(Journal.kind == "bank", Journal.company_id == shop.company.id)
                           .order_by(Journal.id)).first()
    register_payment(session, session.get(Invoice, invoice.id), journal=bank, date=DAY, amount=amount)
    session.commit()


def invoiced(shop, found):
    return [shop.bea.scalar(select(SaleOrderLine.qty_invoiced).where(SaleOrderLine.id == line.id))
            for line in found.lines]


def test_ordered_quantities_are_invoiced_once_the_order_is_confirmed(seller):
    shop = seller
    found = order(shop, (shop.drill, 2), (shop.saw, 3))
    assert status(shop, found).invoice_status == TO_INVOICE
    invoice = bill(shop, [found])
    assert (invoice.kind, invoice.partner_id, invoice.reference) == (OUT_INVOICE, shop.rossi.id, found.number)
    assert [(line.product_id, line.quantity, line.unit_price) for line in invoice.lines] == [
        (line.product_id, line.quantity, line.unit_price) for line in found.lines]
    assert invoice.amount_total == found.amount_total
    assert invoiced(shop, found) == [Decimal(2), Decimal(3)]
    assert status(shop, found).invoice_status == INVOICED
    with pytest.raises(ValidationError, match="Nothing to invoice"):
        invoice_orders(shop.bea, [found], date=DAY)


def test_delivered_quantities_are_invoiced_as_they_are_delivered(seller):
    shop = seller
    delivered_policy(shop, shop.fitting)
    found = order(shop, (shop.fitting, 5), (shop.saw, 1))
    first = bill(shop, [found])
    assert [(line.product_id, line.quantity) for line in first.lines] == [(shop.saw.id, Decimal(1))]
    assert status(shop, found).invoice_status == PARTLY_INVOICED
    with pytest.raises(ValidationError, match="Nothing to invoice") as refused:
        invoice_orders(shop.bea, [found], date=DAY)
    assert refused.value.field == "lines"
    fitting_line = found.lines[0]
    deliver(shop, found, {fitting_line.id: "3"})
    assert status(shop, found).to_invoice == {fitting_line.id: Decimal(3)}
    assert status(shop, found).invoice_status == TO_INVOICE
    second = bill(shop, [found])
    assert [(line.product_id, line.quantity) for line in second.lines] == [(shop.fitting.id, Decimal(3))]
    assert invoiced(shop, found) == [Decimal(3), Decimal(1)]
    deliver(shop, found, {fitting_line.id: "5"})
    bill(shop, [found])
    assert status(shop, found).invoice_status == INVOICED


def test_invoicing_more_than_was_delivered_is_refused_and_nothing_is_written(seller):
    shop = seller
    delivered_policy(shop, shop.fitting)
    found = order(shop, (shop.fitting, 5))
    line = found.lines[0]
    deliver(shop, found, {line.id: "2"})
    bill(shop, [found], quantities={line.id: "1"})
    invoices_before = shop.bea.scalar(select(Invoice.id).order_by(Invoice.id.desc()))
    with pytest.raises(ValidationError, match="2 delivered and 1 invoiced, so 4 cannot be invoiced") as refused:
        invoice_orders(shop.bea, [found], quantities={line.id: "4"}, date=DAY)
    assert refused.value.field == f"quantities-{line.id}"
    assert shop.bea.scalar(select(Invoice.id).order_by(Invoice.id.desc())) == invoices_before
    assert invoiced(shop, found) == [Decimal(1)]


def test_bad_delivered_quantities_are_refused(seller):
    shop = seller
    found = order(shop, (shop.drill, 5))
    line = found.lines[0]
    with pytest.raises(ValidationError, match="cannot be negative") as refused:
        record_delivered(shop.bea, found, {line.id: "-1"})
    assert refused.value.field == f"delivered-{line.id}"
    with pytest.raises(ValidationError, match="not a number"):
        record_delivered(shop.bea, found, {line.id: "many"})
    assert line.qty_delivered == 0


def test_a_bridge_that_records_deliveries_keeps_them_from_being_entered_by_hand(seller):
    shop = seller
    found = order(shop, (shop.drill, 5))

    class Deliveries:
        @hookimpl
        def sales_delivery_source(self, session, line):
            return "deliveries"

    shop.db.registry.pm.register(Deliveries(), name="deliveries-test")
    try:
        with pytest.raises(ValidationError, match="comes from deliveries"):
            record_delivered(shop.bea, found, {found.lines[0].id: "2"})
    finally:
        shop.db.registry.pm.unregister(name="deliveries-test")
    assert found.lines[0].qty_delivered == 0


def test_a_down_payment_is_deducted_on_the_final_invoice(seller):
    shop = seller
    found = order(shop, (shop.drill, 2), (shop.saw, 5))
    untaxed = found.amount_untaxed
    down = advance(shop, found, percent="30")
    assert down.amount_untaxed == (untaxed * Decimal("0.3")).quantize(Decimal("0.01"))
    assert [line.product_id for line in down.lines] == [None]
    assert [tax.id for tax in down.lines[0].taxes] == [shop.vat.id]
    post(shop, down)
    assert status(shop, found).down_payment == down.amount_untaxed
    assert status(shop, found).invoice_status == TO_INVOICE
    final = bill(shop, [found])
    deduction = final.lines[-1]
    assert (deduction.quantity, deduction.unit_price, deduction.subtotal) == (
        Decimal(-1), down.amount_untaxed, -down.amount_untaxed)
    assert final.amount_untaxed == untaxed - down.amount_untaxed
    assert status(shop, found).down_payment == 0
    assert status(shop, found).invoice_status == INVOICED


def test_a_partial_invoice_does_not_deduct_the_down_payment(seller):
    shop = seller
    found = order(shop, (shop.drill, 2), (shop.saw, 5))
    advance(shop, found, amount="50")
    partial = bill(shop, [found], quantities={found.lines[0].id: "2"})
    assert [line.quantity for line in partial.lines] == [Decimal(2)]
    assert status(shop, found).down_payment == Decimal(50)


def test_bad_down_payments_are_refused(seller):
    shop = seller
    found = order(shop, (shop.drill, 1))
    for values, message in (({"percent": "0"}, "above 0 and up to 100"), ({"percent": "150"}, "up to 100"),
                            ({"amount": "1000"}, "up to the untaxed amount"), ({}, "as a percentage or as an amount"),
                            ({"percent": "10", "amount": "5"}, "not both")):
        with pytest.raises(ValidationError, match=message):
            invoice_down_payment(shop.bea, found, date=DAY, **values)
    assert status(shop, found).invoices == []


def test_a_credit_note_lowers_the_invoiced_quantity(seller):
    shop = seller
    found = order(shop, (shop.drill, 2), (shop.saw, 3))
    invoice = post(shop, bill(shop, [found]))
    saw_line = invoice.lines[1]
    credit = create_credit_note(shop.accountant, invoice, date=DAY, lines=[
        {"product_id": shop.saw.id, "description": saw_line.description, "quantity": 1,
         "unit_price": saw_line.unit_price, "tax_ids": [shop.vat.id]}])
    done(shop.accountant, post_invoice(shop.accountant, credit))
    assert invoiced(shop, found) == [Decimal(2), Decimal(2)]
    assert status(shop, found).invoice_status == TO_INVOICE
    again = bill(shop, [found])
    assert [(line.product_id, line.quantity) for line in again.lines] == [(shop.saw.id, Decimal(1))]


def test_crediting_chosen_lines_gives_the_order_line_its_quantity_back_to_invoice(seller):
    from addons.accounting.services.crediting import credit_lines

    shop = seller
    found = order(shop, (shop.drill, 2), (shop.saw, 3), (shop.drill, 4))
    invoice = post(shop, bill(shop, [found]))
    assert status(shop, found).invoice_status == INVOICED
    first_drill, saw, second_drill = invoice.lines
    done(shop.accountant, credit_lines(shop.accountant, invoice, quantities={saw.id: 2, second_drill.id: 1},
                                       reason="Returned", date=DAY))
    assert invoiced(shop, found) == [Decimal(2), Decimal(1), Decimal(3)]
    assert status(shop, found).invoice_status == TO_INVOICE
    assert status(shop, found).to_invoice == {found.lines[1].id: Decimal(2), found.lines[2].id: Decimal(1)}


def test_the_payment_status_follows_the_invoices_payments(seller):
    shop = seller
    found = order(shop, (shop.drill, 1))
    invoice = post(shop, bill(shop, [found]))
    assert status(shop, found).payment_status == NOT_PAID
    pay(shop, invoice, Decimal(50))
    assert status(shop, found).payment_status == PARTLY_PAID
    pay(shop, invoice, invoice.amount_total - Decimal(50))
    assert (status(shop, found).invoice_status, status(shop, found).payment_status) == (INVOICED, PAID)


def test_cancelling_an_order_drops_its_drafts_and_names_the_posted_invoices(seller):
    shop = seller
    found = order(shop, (shop.drill, 2), (shop.saw, 3))
    posted = post(shop, bill(shop, [found], quantities={found.lines[0].id: "2"}))
    draft = bill(shop, [found])
    draft_id = draft.id
    told = []

    class Bridge:
        @hookimpl
        def sales_order_cancelling(self, session, order):
            told.append(order.id)
            return ["Delivery WH/OUT/00012 is done: return the goods to take them back."]

    shop.db.registry.pm.register(Bridge(), name="cancelling-test")
    try:
        sentences = done(shop.bea, cancel_order(shop.bea, found))
    finally:
        shop.db.registry.pm.unregister(name="cancelling-test")
    assert found.state == CANCELLED
    assert told == [found.id]
    assert sentences == [f"Invoice {posted.number} is posted: credit it to cancel it.",
                         "Delivery WH/OUT/00012 is done: return the goods to take them back."]
    assert shop.bea.scalar(select(Invoice.id).where(Invoice.id == draft_id)) is None
    assert invoiced(shop, found) == [Decimal(2), Decimal(0)]
    assert status(shop, found).invoice_status == PARTLY_INVOICED


def test_several_orders_of_a_customer_make_one_invoice_and_others_are_refused(seller):
    shop = seller
    first, second = order(shop, (shop.drill, 1)), order(shop, (shop.saw, 2))
    invoice = bill(shop, [first, second])
    assert [line.quantity for line in invoice.lines] == [Decimal(1), Decimal(2)]
    assert invoice.reference == f"{first.number}, {second.number}"
    other = order(shop, (shop.saw, 1), partner=shop.iberica)
    with pytest.raises(ValidationError, match="another customer"):
        invoice_orders(shop.bea, [first, other], date=DAY)


def test_a_quotation_has_nothing_to_invoice(seller):
    shop = seller
    quote = done(shop.bea, create_quote(shop.bea, shop.company.id, partner_id=shop.rossi.id, date_order=DAY,
                                        lines=[{"product_id": shop.drill.id}]))
    assert status(shop, quote).invoice_status == NOTHING_TO_INVOICE
    with pytest.raises(ValidationError, match="not a confirmed sales order"):
        invoice_orders(shop.bea, [quote], date=DAY)


def test_deleting_a_draft_invoice_gives_its_quantities_back_to_invoice(seller):
    shop = seller
    found = order(shop, (shop.drill, 2))
    draft = bill(shop, [found])
    assert status(shop, found).invoice_status == INVOICED
    shop.bea.delete(draft)
    shop.bea.commit()
    assert status(shop, found).to_invoice == {found.lines[0].id: Decimal(2)}
    assert [line.quantity for line in bill(shop, [found]).lines] == [Decimal(2)]
