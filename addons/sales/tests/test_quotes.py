"""Quotations: lines priced from the customer's list, totals by accounting's tax service, margins, numbering,
states, revisions, the customer's PDF."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.accounting.models import CurrencyRate
from addons.sales.models import (
    CANCELLED,
    CONFIRMED,
    DRAFT,
    EXPIRED,
    NOTE,
    REVISED,
    SECTION,
    SENT,
    SaleOrder,
)
from addons.sales.services.quotes import (
    cancel_quote,
    confirm_quote,
    create_quote,
    delete_quote,
    expire_quotes,
    mark_sent,
    revise_quote,
    revisions,
    update_quote,
)
from core import hookimpl
from core.errors import ValidationError
from core.testing import pdf_text

DAY = dt.date(2027, 3, 15)


def quote(shop, *lines, session=None, partner=None, **values):
    return create_quote(session or shop.ana, shop.company.id, partner_id=(partner or shop.iberica).id,
                        date_order=DAY, lines=lines, **values)


def full_quote(shop):
    return quote(
        shop,
        {"product_id": shop.bolts.id, "quantity": 100, "tax_ids": [shop.vat.id]},
        {"product_id": shop.drill.id, "quantity": 2, "discount": "10", "tax_ids": [shop.vat.id]},
        {"kind": SECTION, "description": "Services"},
        {"description": "Installation on site", "unit_price": "50", "tax_ids": [shop.reduced.id]},
        {"kind": NOTE, "description": "Installation within a week of delivery."},
        {"product_id": shop.saw.id, "quantity": 1, "optional": True, "tax_ids": [shop.vat.id]},
        payment_terms="30 days end of month")


def test_a_quote_is_priced_from_the_customer_s_list_with_taxes_and_margins(shop, distributors):
    order = full_quote(shop)
    assert (order.state, order.number, order.currency_code, order.pricelist_id, order.user_id, order.team_id,
            order.validity_date) == (DRAFT, None, "EUR", distributors[0].id, shop.users["ana"].id, shop.north.id,
                                     DAY + dt.timedelta(days=30))
    assert [(line.kind, line.description, line.unit_price, line.subtotal, line.tax_amount, line.total, line.margin)
            for line in order.lines] == [
        ("product", "[BOLT] Bolt M6", Decimal("0.44"), Decimal("44.00"), Decimal("8.80"), Decimal("52.80"),
         Decimal("24.00")),
        ("product", "[DRILL] Drill 18 V", Decimal(95), Decimal("171.00"), Decimal("34.20"), Decimal("205.20"),
         Decimal("51.00")),
        ("section", "Services", Decimal(0), Decimal(0), Decimal(0), Decimal(0), Decimal(0)),
        ("product", "Installation on site", Decimal(50), Decimal("50.00"), Decimal("5.00"), Decimal("55.00"),
         Decimal("50.00")),
        ("note", "Installation within a week of delivery.", Decimal(0), Decimal(0), Decimal(0), Decimal(0),
         Decimal(0)),
        ("product", "[SAW] Hand saw", Decimal("10.4"), Decimal("10.40"), Decimal("2.08"), Decimal("12.48"),
         Decimal("2.40")),
    ]
    assert [line.price_explanation for line in order.lines if line.kind == "product"] == [
        "list “Distributors 2027”, 10+ units, −12%", "list “Distributors 2027”, category Tools / Power tools, −5%",
        "entered by hand", "list “Distributors 2027”, category Tools, cost +30%"]
    assert [line.cost_source for line in order.lines] == ["product cost", "product cost", None, None, None,
                                                          "product cost"]
    # the optional saw counts in neither the totals nor the margin
    assert (order.amount_untaxed, order.amount_tax, order.amount_total, order.margin, order.margin_percent) == (
        Decimal("265.00"), Decimal("48.00"), Decimal("313.00"), Decimal("125.00"), Decimal("47.2"))


def test_a_price_entered_by_hand_and_a_unit_of_the_same_kind(shop, distributors):
    from addons.products.units import unit_by_code

    box = unit_by_code(shop.ana, "box12")
    order = quote(shop, {"product_id": shop.bolts.id, "quantity": 2, "uom_id": box.id},
                  {"product_id": shop.bolts.id, "quantity": 3, "unit_price": "0.30"})
    boxes, by_hand = order.lines
    # 24 bolts reach the 10+ break: 0.44 a bolt, 5.28 a box; the cost is per box too
    assert (boxes.unit_price, boxes.subtotal, boxes.cost, boxes.margin) == (
        Decimal("5.28"), Decimal("10.56"), Decimal("2.40"), Decimal("5.76"))
    assert (by_hand.unit_price, by_hand.price_explanation) == (Decimal("0.30"), "entered by hand")


@pytest.mark.parametrize(("line", "field", "message"), [
    ({"discount": "120"}, "discount", "Line 1: Discount (%): "),
    ({"discount": "-1"}, "discount", "Line 1: Discount (%): "),
    ({"quantity": "0"}, "quantity", "Line 1: Quantity: "),
    ({"product_id": None}, "product_id", "Line 1: A line needs a product or a description."),
    ({"product_id": None, "description": "Travel"}, "unit_price", ("Line 1: A line without a product needs its unit "
                                                                   "price.")),
])
def test_bad_lines_are_refused_and_nothing_is_written(shop, distributors, line, field, message):
    with pytest.raises(ValidationError) as error:
        quote(shop, {"product_id": shop.bolts.id, **line})
    assert error.value.field == f"lines-0-{field}" and str(error.value).startswith(message)
    assert shop.ana.scalars(select(SaleOrder)).all() == []


def test_a_quote_in_another_currency_than_its_price_list_is_refused(shop, distributors):
    with pytest.raises(ValidationError) as error:
        quote(shop, {"product_id": shop.bolts.id}, currency_code="USD")
    assert error.value.field == "pricelist_id"
    assert "is in EUR and the quotation in USD" in str(error.value)
    assert shop.ana.scalars(select(SaleOrder)).all() == []
    with pytest.raises(ValidationError, match="There is no exchange rate for USD on or before 2027-03-15"):
        quote(shop, {"product_id": shop.bolts.id}, partner=shop.rossi, currency_code="USD")
    system = shop.db.system()
    system.add(CurrencyRate(company_id=shop.company.id, currency_code="USD", date=dt.date(2027, 1, 1),
                            rate=Decimal("0.8")))
    system.commit()
    in_dollars = quote(shop, {"product_id": shop.bolts.id, "quantity": 4}, partner=shop.rossi, currency_code="USD")
    line = in_dollars.lines[0]
    assert (in_dollars.currency_code, in_dollars.pricelist_id, line.unit_price, line.cost, line.margin) == (
        "USD", None, Decimal("0.625"), Decimal("0.25"), Decimal("1.50"))


def test_numbers_are_gapless_and_states_follow_the_quote(shop, distributors):
    draft = quote(shop, {"product_id": shop.bolts.id})
    delete_quote(shop.ana, draft)
    sent = mark_sent(shop.ana, quote(shop, {"product_id": shop.bolts.id}), today=DAY)
    assert (sent.state, sent.number) == (SENT, "SO/2027/00001")
    with pytest.raises(ValidationError, match="has a number: cancel it instead of deleting it."):
        delete_quote(shop.ana, sent)
    order = confirm_quote(shop.ana, quote(shop, {"product_id": shop.drill.id}), today=DAY)
    assert (order.state, order.number, order.confirmed_at is not None) == (CONFIRMED, "SO/2027/00002", True)
    with pytest.raises(ValidationError, match="Only a quotation can be changed; the state of SO/2027/00002 is "
                                              "“Sales order”."):
        update_quote(shop.ana, order, notes="late")
    assert cancel_quote(shop.ana, sent).state == CANCELLED
    with pytest.raises(ValidationError, match="cannot be cancelled"):
        cancel_quote(shop.ana, sent)
    empty = quote(shop, {"kind": NOTE, "description": "Just a note"})
    with pytest.raises(ValidationError, match="has no product lines: add what you are selling first."):
        confirm_quote(shop.ana, empty, today=DAY)


def test_an_expired_quote_cannot_be_confirmed_and_is_marked_expired(shop, distributors):
    order = quote(shop, {"product_id": shop.bolts.id, "quantity": 10}, validity_date=DAY + dt.timedelta(days=10))
    mark_sent(shop.ana, order, today=DAY)
    later = DAY + dt.timedelta(days=11)
    with pytest.raises(ValidationError, match="SO/2027/00001 expired on 2027-03-25: revise it") as error:
        confirm_quote(shop.ana, order, today=later)
    assert error.value.field == "validity_date" and order.state == SENT
    assert expire_quotes(shop.ana, today=later) == [order]
    assert order.state == EXPIRED


def test_a_revision_keeps_the_previous_quote_read_only_and_linked(shop, distributors):
    first = mark_sent(shop.ana, full_quote(shop), today=DAY)
    with pytest.raises(ValidationError, match="Only a sent, expired or declined quotation can be revised"):
        revise_quote(shop.ana, quote(shop, {"product_id": shop.bolts.id}))
    second = revise_quote(shop.ana, first, today=DAY + dt.timedelta(days=3))
    assert (first.state, second.state, second.number, second.revision, second.previous_id, second.display_name) == (
        REVISED, DRAFT, "SO/2027/00001", 1, first.id, "SO/2027/00001 rev. 1")
    assert (second.date_order, second.validity_date) == (DAY + dt.timedelta(days=3), DAY + dt.timedelta(days=33))
    assert [(line.description, line.unit_price, line.price_explanation) for line in second.lines] == [
        (line.description, line.unit_price, line.price_explanation) for line in first.lines]
    assert second.amount_total == first.amount_total == Decimal("313.00")
    with pytest.raises(ValidationError, match="the state of SO/2027/00001 is “Revised”"):
        update_quote(shop.ana, first, notes="changed")
    update_quote(shop.ana, second, lines=[{"product_id": shop.drill.id, "quantity": 1, "tax_ids": [shop.vat.id]}])
    assert (first.amount_total, second.amount_total) == (Decimal("313.00"), Decimal("114.00"))
    assert len(first.lines) == 6
    assert [found.display_name for found in revisions(shop.ana, second)] == ["SO/2027/00001", "SO/2027/00001 rev. 1"]
    confirm_quote(shop.ana, second, today=DAY + dt.timedelta(days=3))
    assert (first.state, second.state) == (REVISED, CONFIRMED)


class CostFromStock:
    """What a sales_stock bridge would answer: the stock valuation cost of the product."""

    @hookimpl
    def sales_line_cost(self, session, line):
        return (Decimal("70.00"), "FIFO stock value") if line.product.code == "DRILL" else None


def test_a_bridge_answering_sales_line_cost_gives_the_margin_its_source(shop, distributors):
    shop.db.registry.pm.register(CostFromStock(), name="test-sales-cost")
    try:
        order = quote(shop, {"product_id": shop.drill.id, "quantity": 2}, {"product_id": shop.bolts.id,
                                                                           "quantity": 10})
    finally:
        shop.db.registry.pm.unregister(name="test-sales-cost")
    drill, bolts = order.lines
    assert (drill.cost, drill.cost_source, drill.margin) == (Decimal(70), "FIFO stock value", Decimal("50.00"))
    assert (bolts.cost_source, bolts.margin) == ("product cost", Decimal("2.40"))


def test_the_customer_s_pdf_is_in_their_language_and_never_shows_costs_or_margins(shop, distributors):
    from addons.sales.documents import render_quote

    order = mark_sent(shop.ana, full_quote(shop), today=DAY)
    text = pdf_text(render_quote(shop.ana, order))
    assert "Presupuesto SO/2027/00001" in text and "313,00" in text and "Ferretería Ibérica S.L." in text
    assert "Installation on site" in text and "[SAW] Hand saw" in text  # the option is offered apart
    for secret in ("Margen", "Margin", "125,00", "Coste", "product cost", "Distributors 2027"):
        assert secret not in text
    english = pdf_text(render_quote(shop.ana, order, "en"))
    assert "Quotation SO/2027/00001" in english and "Margin" not in english and "€313.00" in english


def test_the_morning_job_marks_quotes_past_their_validity_as_expired(shop, distributors):
    from addons.sales.jobs import expire_quotes as job
    from core.config import load_config
    from core.jobs.declarations import JobContext

    old = quote(shop, {"product_id": shop.bolts.id}, validity_date=dt.date.today() - dt.timedelta(days=1))
    fresh = quote(shop, {"product_id": shop.bolts.id}, validity_date=dt.date.today())
    shop.ana.commit()
    job(JobContext(shop.db.factory, shop.db.registry, load_config(None, environ={})))
    system = shop.db.system()
    assert (system.get(SaleOrder, old.id).state, system.get(SaleOrder, fresh.id).state) == (EXPIRED, DRAFT)


def test_saving_a_line_with_the_list_s_own_price_keeps_its_explanation(shop, distributors):
    order = quote(shop, {"product_id": shop.bolts.id, "quantity": 20})
    update_quote(shop.ana, order, lines=[{"product_id": shop.bolts.id, "quantity": 20, "unit_price": "0.44"},
                                         {"product_id": shop.bolts.id, "quantity": 20, "unit_price": "0.40"},
                                         {"product_id": shop.free.id, "unit_price": "0"}])
    assert [(line.unit_price, line.price_explanation) for line in order.lines] == [
        (Decimal("0.44"), "list “Distributors 2027”, 10+ units, −12%"), (Decimal("0.40"), "entered by hand"),
        (Decimal(0), "entered by hand")]
