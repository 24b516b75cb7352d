"""Crediting an invoice in one step: the credit note is posted and matched with it, both show "credited", and
what cannot be credited so (drafts, credit notes, credited, paid or zero invoices, a locked date) is refused
with its reason and nothing written."""
import datetime as dt
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from addons.accounting.models import Invoice, Move, Payment, PaymentTerm, Reconciliation
from addons.accounting.services.crediting import credit_invoice
from addons.accounting.services.invoices import LineInput, create_credit_note, create_invoice, post_invoice
from addons.accounting.services.payments import cancel_payment, register_payment
from addons.accounting.services.years import set_lock_date
from addons.accounting.tests.conftest import client_for, ledger_problems
from core.errors import AccessDenied, ValidationError

YEAR = dt.date.today().year
DAY = dt.date(YEAR, 3, 15)
LATER = dt.date(YEAR, 4, 2)


@pytest.fixture
def accountant(books):
    return books.as_user(books.accountant())


def posted(session, books, *, kind="out_invoice", price="100", term=None, partner=None):
    partner = partner or books.partner()  # committed before the session reads anything
    tax = books.tax("S_IVA21" if kind == "out_invoice" else "P_IVA21")
    term_id = session.scalar(select(PaymentTerm.id).where(PaymentTerm.company_id == books.company.id,
                                                          PaymentTerm.name == term)) if term else None
    return post_invoice(session, create_invoice(
        session, partner_id=partner.id, kind=kind, date=DAY, payment_term_id=term_id,
        lines=[LineInput("Servicio", quantity=D("2"), unit_price=D(price), tax_ids=[tax.id]),
               LineInput("Portes", unit_price=D("10"), tax_ids=[])]))


def written(session):
    return tuple(session.scalar(select(func.count(model.id))) for model in (Invoice, Move, Reconciliation))


@pytest.mark.parametrize("kind, refund", [("out_invoice", "out_refund"), ("in_invoice", "in_refund")])
def test_crediting_posts_the_credit_note_and_matches_it_with_the_invoice(books, accountant, told, kind,
                                                                          refund):
    invoice = posted(accountant, books, kind=kind, term="30/60/90 días" if kind == "out_invoice" else None)
    credit = credit_invoice(accountant, invoice, reason="Wrong customer", date=LATER)
    assert (credit.kind, credit.state, credit.origin_invoice_id, credit.narration, credit.date) == (
        refund, "posted", invoice.id, "Wrong customer", LATER)
    assert credit.amount_total == invoice.amount_total == D("252.00")
    assert [(line.description, line.quantity, [t.id for t in line.taxes]) for line in credit.lines] == [
        (line.description, line.quantity, [t.id for t in line.taxes]) for line in invoice.lines]
    assert (invoice.payment_state, invoice.residual) == ("credited", D("0.00"))
    assert (credit.payment_state, credit.residual) == ("credited", D("0.00"))
    rows = accountant.scalars(select(Reconciliation)).all()
    assert rows and sum(row.amount for row in rows) == invoice.amount_total
    assert accountant.scalar(select(func.count(Payment.id))) == 0
    assert [hook for hook, _number in told] == ["posted", "posted"]  # credited is not paid
    assert ledger_problems(accountant.connection()) == {}


def test_what_cannot_be_credited_in_one_step_is_refused_and_nothing_is_written(books, accountant):
    second = books.partner("Segundo")
    invoice = posted(accountant, books)
    draft = create_invoice(accountant, partner_id=invoice.partner_id, date=DAY,
                           lines=[LineInput("x", unit_price=D("1"), tax_ids=[])])
    before = written(accountant)
    for target, reason, message in (
            (draft, "x", "is a draft"),
            (invoice, "  ", "Say why"),
            (invoice, None, "Say why"),
            (invoice, "x" * 20_001, "At most"),
    ):
        with pytest.raises(ValidationError, match=message):
            credit_invoice(accountant, target, reason=reason)
    assert written(accountant) == before

    credit = credit_invoice(accountant, invoice, reason="Returned", date=DAY)
    with pytest.raises(ValidationError, match=f"already credited by {credit.number}"):
        credit_invoice(accountant, invoice, reason="Again")
    with pytest.raises(ValidationError, match="is a credit note"):
        credit_invoice(accountant, credit, reason="Back")

    other = posted(accountant, books, partner=second)
    create_credit_note(accountant, other, date=DAY)  # a draft credit note is waiting: crediting again refused
    with pytest.raises(ValidationError, match="already credited by draft"):
        credit_invoice(accountant, other, reason="Twice")

    zero = post_invoice(accountant, create_invoice(accountant, partner_id=invoice.partner_id, date=DAY, lines=[
        LineInput("Muestra", unit_price=D("0"), tax_ids=[])]))
    with pytest.raises(ValidationError, match="amounts to zero"):
        credit_invoice(accountant, zero, reason="Nothing")


def test_a_paid_invoice_is_refused_until_its_payment_is_cancelled(books, accountant):
    invoice = posted(accountant, books)
    payment = register_payment(accountant, invoice, amount=D("100"), date=LATER)
    assert invoice.payment_state == "partial"
    before = written(accountant)
    with pytest.raises(ValidationError, match="has payments matched with it") as error:
        credit_invoice(accountant, invoice, reason="Defective", date=LATER)
    assert "152.00" in str(error.value) and "252.00" in str(error.value)
    assert written(accountant) == before
    cancel_payment(accountant, payment)
    credit = credit_invoice(accountant, invoice, reason="Defective", date=LATER)
    assert (invoice.payment_state, credit.payment_state) == ("credited", "credited")


def test_a_locked_date_refuses_the_credit_note_whole(books, accountant):
    invoice = posted(accountant, books)
    set_lock_date(accountant, books.company.id, date=dt.date(YEAR, 3, 31))
    before = written(accountant)
    with pytest.raises(ValidationError, match="lock"):
        credit_invoice(accountant, invoice, reason="Late", date=dt.date(YEAR, 3, 20))
    assert written(accountant) == before
    assert (invoice.payment_state, invoice.residual) == ("not_paid", D("252.00"))
    credit = credit_invoice(accountant, invoice, reason="Late", date=LATER)
    assert credit.state == "posted"


def test_only_who_posts_may_credit(books):
    partner = books.partner()
    clerk = books.as_user(books.billing())
    accountant = books.as_user(books.accountant())
    invoice = posted(accountant, books, partner=partner)
    accountant.commit()
    with pytest.raises(AccessDenied):
        credit_invoice(clerk, clerk.get(Invoice, invoice.id), reason="No")


def test_the_invoice_page_credits_in_full_and_links_the_credit_note(web, shop):
    partner, user = shop.partner(), shop.accountant()
    session = shop.as_user(user)
    invoice = posted(session, shop, partner=partner)
    session.commit()
    client = client_for(web, user)
    page = client.get(f"/accounting/invoices/{invoice.id}").get_data(as_text=True)
    assert f"/accounting/documents/{invoice.id}/credit" in page and "Credit in full" in page
    empty = client.post(f"/accounting/documents/{invoice.id}/credit", data={"reason": "", "date": LATER.isoformat()})
    assert empty.status_code == 422
    done = client.post(f"/accounting/documents/{invoice.id}/credit",
                       data={"reason": "Price agreed was lower", "date": LATER.isoformat()}, follow_redirects=True)
    text = done.get_data(as_text=True)
    credit = web.db.system().scalars(select(Invoice).where(Invoice.origin_invoice_id == invoice.id)).one()
    assert (credit.state, credit.payment_state) == ("posted", "credited")
    assert "Credited by" in text and credit.number in text and "Credit in full" not in text
    assert f"/accounting/documents/{invoice.id}/credit-note" not in text  # no second credit note offered
    assert f"/accounting/credit-notes/{credit.id}" in text
    credit_page = client.get(f"/accounting/credit-notes/{credit.id}").get_data(as_text=True)
    assert "Credit note of" in credit_page and invoice.number in credit_page and "Price agreed was lower" in credit_page
    again = client.post(f"/accounting/documents/{invoice.id}/credit", data={"reason": "Again",
                                                                             "date": LATER.isoformat()})
    assert again.status_code == 422 and "already credited" in again.get_data(as_text=True)
    clerk = client_for(web, shop.billing())
    assert clerk.get(f"/accounting/documents/{invoice.id}/credit").status_code == 403
