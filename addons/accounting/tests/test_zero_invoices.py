"""An invoice whose total is zero is paid as soon as it is posted: no payment, no reconciliation, nothing open,
and ``invoice_paid`` told once; one by one and in batches, for customer invoices and supplier bills."""
import datetime as dt
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from addons.accounting.models import Invoice, MoveLine, Payment, Reconciliation
from addons.accounting.services.invoice_batches import InvoiceInput, post_invoices, post_new_invoices
from addons.accounting.services.invoices import LineInput, create_invoice, post_invoice
from addons.accounting.services.payments import register_payment
from addons.accounting.services.reconcile import open_lines
from addons.accounting.tests.conftest import ledger_problems
from core.errors import ValidationError
from core.testing import published, subscribe_webhook

YEAR = dt.date.today().year
DAY = dt.date(YEAR, 3, 15)


@pytest.fixture
def accountant(books):
    return books.as_user(books.accountant())


def offsetting(books, kind):
    """A line and its deduction: a total of zero with a non-zero entry."""
    tax = books.tax("S_IVA21" if kind == "out_invoice" else "P_IVA21")
    return [LineInput("Servicio", unit_price=D("100"), tax_ids=[tax.id]),
            LineInput("Descuento", quantity=D("-1"), unit_price=D("100"), tax_ids=[tax.id])]


def free(books):
    return [LineInput("Muestra gratuita", unit_price=D("0"), tax_ids=[])]


def assert_paid_at_zero(session, invoice):
    assert (invoice.state, invoice.amount_total, invoice.residual, invoice.payment_state) == (
        "posted", D("0.00"), D("0.00"), "paid")
    lines = session.scalars(select(MoveLine).where(MoveLine.move_id == invoice.move_id)).all()
    assert lines and sum(line.debit for line in lines) == sum(line.credit for line in lines)
    partner_account = {line.account_id for line in lines if line.account.reconcile}
    for account_id in partner_account:
        assert open_lines(session, invoice.company_id, account_id=account_id, partner_id=invoice.partner_id) == []


@pytest.mark.parametrize("kind", ["out_invoice", "in_invoice"])
def test_a_zero_invoice_is_paid_when_posted(books, accountant, told, kind):
    partner = books.partner()
    offset = post_invoice(accountant, create_invoice(accountant, partner_id=partner.id, kind=kind, date=DAY,
                                                     lines=offsetting(books, kind)))
    assert_paid_at_zero(accountant, offset)
    gratis = post_invoice(accountant, create_invoice(accountant, partner_id=partner.id, kind=kind, date=DAY,
                                                     lines=free(books)))
    assert_paid_at_zero(accountant, gratis)
    entry = accountant.scalars(select(MoveLine).where(MoveLine.move_id == gratis.move_id)).all()
    assert {(line.debit, line.credit) for line in entry} == {(D("0"), D("0"))}  # its lines, booked at zero
    assert told == [("posted", offset.number), ("paid", offset.number),
                    ("posted", gratis.number), ("paid", gratis.number)]
    assert accountant.scalar(select(func.count(Reconciliation.id))) == 0
    assert accountant.scalar(select(func.count(Payment.id))) == 0
    assert ledger_problems(accountant.connection()) == {}


def test_a_zero_invoice_takes_no_payment_and_a_negative_one_is_still_refused(books, accountant):
    partner = books.partner()
    zero = post_invoice(accountant, create_invoice(accountant, partner_id=partner.id, date=DAY,
                                                   lines=offsetting(books, "out_invoice")))
    with pytest.raises(ValidationError, match="nothing is left to pay"):
        register_payment(accountant, zero, amount=D("1"), date=DAY)
    negative = create_invoice(accountant, partner_id=partner.id, date=DAY,
                              lines=[LineInput("Abono", quantity=D("-1"), unit_price=D("10"), tax_ids=[])])
    with pytest.raises(ValidationError, match="negative"):
        post_invoice(accountant, negative)
    assert (negative.state, negative.payment_state) == ("draft", "not_paid")


def test_a_batch_pays_its_zero_invoices_and_bills_and_leaves_the_others_unpaid(books, accountant, told):
    partner = books.partner()
    inputs = [InvoiceInput(partner_id=partner.id, date=DAY, lines=offsetting(books, "out_invoice")),
              InvoiceInput(partner_id=partner.id, kind="in_invoice", date=DAY, lines=free(books)),
              InvoiceInput(partner_id=books.partner("Otro").id, date=DAY,
                           lines=[LineInput("Servicio", unit_price=D("10"), tax_ids=[])])]
    later = (("out_invoice", free(books)), ("in_invoice", offsetting(books, "in_invoice")))  # read before posting
    zero_invoice, zero_bill, priced = [accountant.get(Invoice, i) for i in post_new_invoices(accountant, inputs)]
    assert_paid_at_zero(accountant, zero_invoice)
    assert_paid_at_zero(accountant, zero_bill)
    assert (priced.payment_state, priced.residual) == ("not_paid", D("10.00"))
    drafts = [create_invoice(accountant, partner_id=partner.id, kind=kind, date=DAY, lines=lines)
              for kind, lines in later]
    post_invoices(accountant, drafts)
    accountant.expire_all()
    for draft in drafts:
        assert_paid_at_zero(accountant, draft)
    paid = [number for hook, number in told if hook == "paid"]
    assert sorted(paid) == sorted([zero_invoice.number, zero_bill.number, *(d.number for d in drafts)])
    assert accountant.scalar(select(func.count(Reconciliation.id))) == 0
    assert ledger_problems(accountant.connection()) == {}


def test_posting_a_zero_invoice_publishes_posted_then_paid_to_webhooks(db, books, accountant):
    subscribe_webhook(db, accountant, ["accounting.invoice_posted", "accounting.invoice_paid"])
    gratis = post_invoice(accountant, create_invoice(accountant, partner_id=books.partner().id, date=DAY,
                                                     lines=free(books)))
    assert published(db, "accounting.invoice_posted") == published(db, "accounting.invoice_paid") == [gratis.id]
