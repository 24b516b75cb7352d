"""Crediting chosen lines of an invoice: each line up to what earlier credit notes left of it, the credit note
posted and matched (partly credited, then credited); what cannot be credited so is refused with its reason
and nothing written."""
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from addons.accounting.models import Invoice
from addons.accounting.services.crediting import credit_lines, uncredited
from addons.accounting.services.payments import register_payment
from addons.accounting.tests.conftest import client_for, ledger_problems
from core.errors import ValidationError

from .test_crediting import LATER, accountant, posted, written  # noqa: F401  (the fixture)


def test_chosen_quantities_are_credited_and_what_is_left_shrinks_until_the_invoice_is_credited(books, accountant):
    invoice = posted(accountant, books)  # 2 x 100 at 21 %, and 1 x 10 without tax: 252.00
    service, carriage = invoice.lines
    credit = credit_lines(accountant, invoice, quantities={service.id: "1"}, reason="One came back", date=LATER)
    assert (credit.kind, credit.state, credit.narration, credit.amount_total) == (
        "out_refund", "posted", "One came back", D("121.00"))
    assert [(line.description, line.quantity) for line in credit.lines] == [("Servicio", D(1))]
    assert (invoice.payment_state, invoice.residual) == ("partial", D("131.00"))
    assert uncredited(accountant, invoice) == {service.id: D(1), carriage.id: D(1)}
    last = credit_lines(accountant, invoice, quantities={service.id: D(1), carriage.id: D(1)}, reason="All back")
    assert last.amount_total == D("131.00")
    assert (invoice.payment_state, invoice.residual) == ("credited", D("0.00"))
    assert uncredited(accountant, invoice) == {service.id: D(0), carriage.id: D(0)}
    assert ledger_problems(accountant.connection()) == {}


def test_what_cannot_be_credited_so_is_refused_and_nothing_is_written(books, accountant):
    invoice = posted(accountant, books)
    service, carriage = invoice.lines
    credit_lines(accountant, invoice, quantities={service.id: 1}, reason="One came back", date=LATER)
    accountant.commit()
    before = written(accountant)
    for quantities, message in (
            ({service.id: 2}, "Line 1: 2 is more than is left to credit of “Servicio” (1)."),
            ({carriage.id: -1}, "Line 2: the quantity to credit cannot be negative."),
            ({service.id: 0, carriage.id: "0"}, "Give a quantity to credit on at least one line."),
            ({carriage.id: "a lot"}, "Line 2: “a lot” is not a quantity."),
            ({service.id + carriage.id + 99: 1}, "has no line")):
        with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
            credit_lines(accountant, invoice, quantities=quantities, reason="Again")
        accountant.rollback()
    with pytest.raises(ValidationError, match="Say why"):
        credit_lines(accountant, invoice, quantities={carriage.id: 1}, reason=" ")
    accountant.rollback()
    [note] = accountant.scalars(select(Invoice).where(Invoice.origin_invoice_id == invoice.id)).all()
    with pytest.raises(ValidationError, match="is a credit note"):
        credit_lines(accountant, note, quantities={note.lines[0].id: 1}, reason="Credit the credit")
    accountant.rollback()
    assert written(accountant) == before


def test_a_draft_and_a_paid_invoice_are_refused(books, accountant):
    from addons.accounting.services.invoices import LineInput, create_invoice

    draft = create_invoice(accountant, partner_id=books.partner().id, lines=[LineInput("Servicio", unit_price=D(5))])
    with pytest.raises(ValidationError, match="is a draft"):
        credit_lines(accountant, draft, quantities={draft.lines[0].id: 1}, reason="Too early")
    accountant.rollback()
    invoice = posted(accountant, books)
    register_payment(accountant, invoice, amount=D("100"), date=LATER)
    accountant.commit()
    with pytest.raises(ValidationError, match="has payments matched with it"):
        credit_lines(accountant, invoice, quantities={invoice.lines[1].id: 1}, reason="Paid already")


def test_the_invoice_page_credits_chosen_lines(web, shop):
    partner, user = shop.partner(), shop.accountant()
    session = shop.as_user(user)
    invoice = posted(session, shop, partner=partner)
    session.commit()
    service, carriage = invoice.lines
    client = client_for(web, user)
    page = client.get(f"/accounting/invoices/{invoice.id}").get_data(as_text=True)
    assert f"/accounting/documents/{invoice.id}/credit-lines" in page and "Credit chosen lines" in page
    form = client.get(f"/accounting/documents/{invoice.id}/credit-lines").get_data(as_text=True)
    assert f'name="quantity-{service.id}"' in form and f'name="quantity-{carriage.id}"' in form
    refused = client.post(f"/accounting/documents/{invoice.id}/credit-lines", data={
        "reason": "Broken", "date": LATER.isoformat(), f"quantity-{service.id}": "3"})
    assert refused.status_code == 422
    assert "Line 1: 3 is more than is left to credit of “Servicio” (2)." in refused.get_data(as_text=True)
    assert 'value="3"' in refused.get_data(as_text=True)  # what was typed stays
    done = client.post(f"/accounting/documents/{invoice.id}/credit-lines", data={
        "reason": "Broken", "date": LATER.isoformat(), f"quantity-{service.id}": "1"}, follow_redirects=True)
    text = done.get_data(as_text=True)
    credit = web.db.system().scalars(select(Invoice).where(Invoice.origin_invoice_id == invoice.id)).one()
    assert credit.state == "posted" and credit.amount_total == D("121.00")
    assert "is credited in part by" in text and credit.number in text and "Credited by" in text
    assert client_for(web, shop.billing()).get(f"/accounting/documents/{invoice.id}/credit-lines").status_code == 403
