"""Payments of real invoices and bills: full, partial, refused, written off, cancelled, in a foreign currency."""
import os
import threading
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from addons.accounting.models import Account, Invoice, Journal, Move, MoveLine, Payment, Reconciliation, Settings, Tax
from addons.accounting.models.invoicing import IN_INVOICE, OUT_INVOICE, OUT_REFUND
from addons.accounting.services.invoices import LineInput, create_invoice, post_invoice
from addons.accounting.services.payments import cancel_payment, payments_of, register_payment
from addons.accounting.services.currency import to_company
from addons.accounting.services.reconcile import open_lines, residuals, unreconcile
from core import hookimpl
from core.errors import AccessDenied, ValidationError
from core.models.company import Company
from core.testing import TEST_URL_ENV

from .conftest import make_books
from .test_reconcile import FEB, JAN, MAR, account_id, journal, usd_rates


@pytest.fixture
def session(books):
    return books.as_user(books.accountant())


@pytest.fixture
def paid(db):
    """The numbers of the invoices the ``invoice_paid`` hook was called with, in order."""
    seen = []

    class Listener:
        @hookimpl
        def invoice_paid(self, session, invoice):
            seen.append(invoice.number)

    db.registry.pm.register(Listener(), name="paid-listener")
    yield seen
    db.registry.pm.unregister(name="paid-listener")


def tax_id(session, code):
    return session.scalar(select(Tax.id).where(Tax.code == code))


def invoice(session, books, partner, price, *, kind=OUT_INVOICE, date=JAN, currency=None, taxes=("S_IVA21",)):
    draft = create_invoice(session, partner_id=partner.id, kind=kind, date=date, currency_code=currency,
                           lines=[LineInput("Servicio", unit_price=D(price),
                                            tax_ids=[tax_id(session, code) for code in taxes])])
    return post_invoice(session, draft)


def bank(session):
    return journal(session, "BNK1")


def state(invoice):
    return invoice.payment_state, invoice.residual


def books_snapshot(session):
    return (session.scalar(select(func.count(Move.id))), session.scalar(select(func.count(Payment.id))),
            session.scalar(select(func.count(Reconciliation.id))))


def test_a_full_payment_pays_the_invoice_and_fires_invoice_paid_once(books, session, paid):
    customer = books.partner("Ferretería Ibérica")
    bill = invoice(session, books, customer, "100.00")
    assert state(bill) == ("not_paid", D("121.00"))
    payment = register_payment(session, bill, journal=bank(session), date=FEB, amount=D("121.00"), reference="TRF 0042")
    assert state(bill) == ("paid", D("0.00"))
    assert (payment.kind, payment.state, payment.currency_code, payment.partner_id) == \
        ("inbound", "posted", "EUR", customer.id)
    assert [(line.account.code, line.debit, line.credit) for line in payment.move.lines] == [
        ("572", D("121.00"), 0), ("430", 0, D("121.00"))]
    assert payment.move.state == "posted" and payment.move.number.startswith("BNK1/2026/")
    assert paid == [bill.number]
    assert payments_of(session, [bill]) == [payment]
    session.commit()
    assert state(books.session.get(Invoice, bill.id)) == ("paid", D("0.00"))


def test_partial_payments_leave_the_invoice_partly_paid_until_the_last(books, session, paid):
    customer = books.partner()
    bill = invoice(session, books, customer, "100.00")
    register_payment(session, bill, journal=bank(session), date=FEB, amount=D("50.00"))
    assert state(bill) == ("partial", D("71.00"))
    assert paid == []
    register_payment(session, bill, journal=bank(session), date=MAR, amount=D("71.00"))
    assert state(bill) == ("paid", 0)
    assert paid == [bill.number]


def test_several_invoices_are_paid_oldest_due_first(books, session):
    customer = books.partner()
    older = invoice(session, books, customer, "100.00", date=JAN)
    newer = invoice(session, books, customer, "100.00", date=FEB)
    register_payment(session, [newer, older], journal=bank(session), date=MAR, amount=D("150.00"))
    assert state(older) == ("paid", 0)
    assert state(newer) == ("partial", D("92.00"))


def test_a_payment_larger_than_the_invoice_is_refused_and_the_books_stay_unchanged(books, session, paid):
    customer = books.partner()
    bill = invoice(session, books, customer, "100.00")
    session.commit()
    before = books_snapshot(session)
    with pytest.raises(ValidationError, match=r"150\.00 EUR is more than the 121\.00 EUR still due on INV/2026/"):
        register_payment(session, bill, journal=bank(session), date=FEB, amount=D("150.00"))
    session.rollback()
    assert books_snapshot(session) == before
    assert state(session.get(Invoice, bill.id)) == ("not_paid", D("121.00"))
    with pytest.raises(ValidationError, match="must be positive"):
        register_payment(session, bill, journal=bank(session), date=FEB, amount=D("-5"))
    assert books_snapshot(session) == before and paid == []


def test_an_advance_is_allowed_when_asked_and_stays_open(books, session):
    customer = books.partner()
    bill = invoice(session, books, customer, "100.00")
    payment = register_payment(session, bill, journal=bank(session), date=FEB, amount=D("150.00"), allow_advance=True)
    assert state(bill) == ("paid", 0)
    advance = payment.move.lines[1]
    assert residuals(session, [advance])[advance.id].amount == D("-29.00")
    assert open_lines(session, books.company.id, account_id=account_id(session, "430"),
                      partner_id=customer.id) == [advance]
    later = invoice(session, books, customer, "20.00", date=MAR)
    register_payment(session, customer, journal=bank(session), date=MAR, amount=D("0.80"))
    assert state(later) == ("paid", 0)  # the advance and the 0.80 settle 24.20


def test_a_small_difference_is_written_off_and_closes_the_invoice(books, session, paid):
    customer = books.partner()
    bill = invoice(session, books, customer, "100.00")
    register_payment(session, bill, journal=bank(session), date=FEB, amount=D("120.98"), writeoff=True)
    assert state(bill) == ("paid", 0)
    assert paid == [bill.number]
    writeoff = session.scalars(select(MoveLine).where(MoveLine.account_id == account_id(session, "678"))).one()
    assert (writeoff.debit, writeoff.move.journal.code, writeoff.move.state) == (D("0.02"), "MISC", "posted")


def test_a_small_overpayment_is_written_off_too(books, session):
    customer = books.partner()
    bill = invoice(session, books, customer, "100.00")
    payment = register_payment(session, bill, journal=bank(session), date=FEB, amount=D("121.03"), writeoff=True)
    assert state(bill) == ("paid", 0)
    assert residuals(session, [payment.move.lines[1]])[payment.move.lines[1].id].amount == 0
    writeoff = session.scalars(select(MoveLine).where(MoveLine.account_id == account_id(session, "678"))).one()
    assert writeoff.credit == D("0.03")


def test_unreconcile_restores_residual_and_state_and_a_new_payment_fires_the_hook_again(books, session, paid):
    customer = books.partner()
    bill = invoice(session, books, customer, "100.00")
    payment = register_payment(session, bill, journal=bank(session), date=FEB, amount=D("121.00"))
    unreconcile(session, payment.move.lines[1])
    assert state(bill) == ("not_paid", D("121.00"))
    register_payment(session, bill, journal=bank(session), date=MAR, amount=D("121.00"))
    assert paid == [bill.number, bill.number]


def test_cancelling_a_payment_reverses_it_and_reopens_the_invoice(books, session):
    customer = books.partner()
    bill = invoice(session, books, customer, "100.00")
    register_payment(session, bill, journal=bank(session), date=FEB, amount=D("50.00"))
    payment = register_payment(session, bill, journal=bank(session), date=FEB, amount=D("70.98"), writeoff=True)
    assert state(bill) == ("paid", 0)
    cancel_payment(session, payment)
    assert payment.state == "cancelled"
    assert state(bill) == ("partial", D("71.00"))
    reversal = session.scalars(select(Move).where(Move.reversed_move_id == payment.move_id)).one()
    assert reversal.state == "posted"
    assert [line.move_id for line in open_lines(session, books.company.id, account_id=account_id(session, "430"),
                                                partner_id=customer.id)] == [bill.move_id]
    with pytest.raises(ValidationError, match="Only a posted payment"):
        cancel_payment(session, payment)


def test_supplier_bills_are_paid_by_outbound_payments(books, session):
    supplier = books.partner("Suministros Levante")
    bill = invoice(session, books, supplier, "200.00", kind=IN_INVOICE, taxes=("P_IVA21",))
    with pytest.raises(ValidationError, match="paid out"):
        register_payment(session, bill, journal=bank(session), date=FEB, amount=D("242.00"), kind="inbound")
    payment = register_payment(session, bill, journal=bank(session), date=FEB, amount=D("242.00"))
    assert payment.kind == "outbound"
    assert [(line.account.code, line.debit, line.credit) for line in payment.move.lines] == [
        ("572", 0, D("242.00")), ("400", D("242.00"), 0)]
    assert state(bill) == ("paid", 0)


def test_a_credit_note_reduces_what_the_customer_pays(books, session):
    customer = books.partner()
    bill = invoice(session, books, customer, "100.00")
    invoice(session, books, customer, "20.00", kind=OUT_REFUND, date=FEB)
    refund = session.scalars(select(Invoice).where(Invoice.kind == OUT_REFUND)).one()
    register_payment(session, [bill, refund], journal=bank(session), date=MAR, amount=D("96.80"))
    assert state(bill) == ("paid", 0) and state(refund) == ("paid", 0)


def test_a_usd_invoice_paid_in_usd_at_another_rate_books_the_exchange_difference(books, session, paid):
    usd_rates(books.session, books)
    books.session.commit()
    customer = books.partner("Acme Inc")
    bill = invoice(session, books, customer, "100.00", currency="USD", taxes=())
    assert bill.move.lines[-1].debit == D("110.00")
    payment = register_payment(session, bill, journal=bank(session), date=FEB, amount=D("100.00"))
    assert (payment.currency_code, payment.rate, payment.move.lines[0].debit) == ("USD", D("1.05"), D("105.00"))
    assert state(bill) == ("paid", 0)
    lines = [line for line in (*bill.move.lines, *payment.move.lines) if line.account.code == "430"]
    assert all((r.amount, r.amount_currency) == (0, 0) for r in residuals(session, lines).values())
    loss = session.scalars(select(MoveLine).where(MoveLine.account_id == account_id(session, "668"))).one()
    assert (loss.debit, loss.move.journal.code) == (D("5.00"), "MISC")
    assert paid == [bill.number]
    with pytest.raises(ValidationError, match=r"more than the 100\.00 USD"):
        register_payment(session, invoice(session, books, customer, "100.00", currency="USD", taxes=()),
                         journal=bank(session), date=FEB, amount=D("100.01"))


def test_cancelling_a_usd_payment_reverses_its_exchange_difference(books, session):
    usd_rates(books.session, books)
    books.session.commit()
    customer = books.partner("Acme Inc")
    bill = invoice(session, books, customer, "100.00", currency="USD", taxes=())
    payment = register_payment(session, bill, journal=bank(session), date=FEB, amount=D("100.00"))
    cancel_payment(session, payment)
    assert state(bill) == ("not_paid", D("100.00"))
    losses = session.scalars(select(MoveLine).where(MoveLine.account_id == account_id(session, "668"))).all()
    assert sorted((line.debit, line.credit) for line in losses) == [(0, D("5.00")), (D("5.00"), 0)]
    assert [line.move_id for line in open_lines(session, books.company.id, account_id=account_id(session, "430"),
                                                partner_id=customer.id)] == [bill.move_id]


def test_a_usd_invoice_paid_in_euros_is_settled_in_usd_at_the_day_s_rate(books, session):
    usd_rates(books.session, books)
    books.session.commit()
    customer = books.partner("Acme Inc")
    bill = invoice(session, books, customer, "100.00", currency="USD", taxes=())
    payment = register_payment(session, bill, journal=bank(session), date=FEB, amount=D("105.00"), currency_code="EUR")
    received = payment.move.lines[1]
    assert (received.credit, received.currency_code, received.amount_currency) == (D("105.00"), "USD", D("-100.00"))
    assert payment.move.lines[0].currency_code is None
    assert state(bill) == ("paid", 0)
    loss = session.scalars(select(MoveLine).where(MoveLine.account_id == account_id(session, "668"))).one()
    assert loss.debit == D("5.00")
    with pytest.raises(ValidationError, match=r"payment of 100\.01 USD is more than the 100\.00 USD"):
        register_payment(session, invoice(session, books, customer, "100.00", currency="USD", taxes=()),
                         journal=bank(session), date=FEB, amount=D("105.01"), currency_code="EUR")


def test_a_billing_user_cannot_register_payments(books, session):
    customer = books.partner()
    bill, journal_id = invoice(session, books, customer, "100.00"), bank(session).id
    session.commit()
    clerk = books.as_user(books.billing())
    with pytest.raises(AccessDenied):
        register_payment(clerk, clerk.get(Invoice, bill.id), journal=clerk.get(Journal, journal_id), date=FEB,
                         amount=D("121.00"))


@pytest.mark.postgresql
@pytest.mark.skipif(not (os.environ.get(TEST_URL_ENV) or "").startswith("postgresql"),
                    reason="concurrent payments need PostgreSQL (set BOTTEGA_TEST_DATABASE_URL)")
def test_two_people_paying_the_same_invoice_at_once_pay_it_once(db_copy):
    books = make_books(db_copy, "Cobros Concurrentes S.L.")
    customer = books.partner()
    setup = books.as_user(books.accountant())
    bill_id, journal_id = invoice(setup, books, customer, "100.00").id, bank(setup).id
    setup.commit()
    sessions = [books.as_user(books.accountant()) for _ in range(2)]
    start = threading.Barrier(2)
    done, errors = [], []

    def pay(session):
        try:
            bill, journal = session.get(Invoice, bill_id), session.get(Journal, journal_id)
            start.wait(timeout=60)
            register_payment(session, bill, journal=journal, date=FEB, amount=D("121.00"))
            session.commit()
            done.append(session)
        except ValidationError as error:
            errors.append(str(error))
            session.rollback()

    threads = [threading.Thread(target=pay, args=(session,)) for session in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(done) == 1 and len(errors) == 1, errors
    assert "nothing is left to pay" in errors[0]
    with db_copy.factory() as check:
        assert check.scalar(select(func.count(Payment.id))) == 1
        assert state(check.get(Invoice, bill_id)) == ("paid", 0)


# --- review fixes: direction, write-off limit, other companies, savepoint, rounding ------------------------------


def test_a_receipt_from_a_partner_is_inbound_whatever_the_balance(books, session):
    customer = books.partner()
    register_payment(session, invoice(session, books, customer, "100.00"), journal=bank(session), date=FEB,
                     amount=D("150.00"), allow_advance=True)  # 29.00 advance left
    invoice(session, books, customer, "20.00", date=MAR)  # 24.20 due: the partner's balance is a credit
    receipt = register_payment(session, customer, journal=bank(session), date=MAR, amount=D("0.80"))
    bank_line = receipt.move.lines[0]
    assert (receipt.kind, bank_line.debit, bank_line.credit) == ("inbound", D("0.80"), 0)


def test_a_receipt_from_a_partner_owing_nothing_is_refused_unless_an_advance(books, session):
    customer = books.partner()
    register_payment(session, customer, journal=bank(session), date=FEB, amount=D("50.00"), allow_advance=True)
    with pytest.raises(ValidationError, match="nothing to settle by money received") as error:
        register_payment(session, customer, journal=bank(session), date=MAR, amount=D("10.00"), kind="inbound")
    assert error.value.field == "kind"
    second = register_payment(session, customer, journal=bank(session), date=MAR, amount=D("10.00"), allow_advance=True)
    assert (second.kind, second.move.lines[0].debit) == ("inbound", D("10.00"))
    assert [line.credit for line in open_lines(session, books.company.id, account_id=account_id(session, "430"),
                                               partner_id=customer.id)] == [D("50.00"), D("10.00")]


def test_a_write_off_beyond_the_limit_is_refused(books, session):
    bill = invoice(session, books, books.partner(), "100.00")
    with pytest.raises(ValidationError, match="difference of 99879.00 EUR .* write-off limit of 1.00 EUR"):
        register_payment(session, bill, journal=bank(session), date=FEB, amount=D("100000.00"), writeoff=True)
    with pytest.raises(ValidationError, match="difference of 21.00 EUR"):
        register_payment(session, bill, journal=bank(session), date=FEB, amount=D("100.00"), writeoff=True)
    assert state(bill) == ("not_paid", D("121.00"))
    assert session.scalar(select(func.count(Payment.id))) == 0


def test_an_excess_beyond_the_write_off_limit_stays_open_as_an_advance_when_allowed(books, session):
    customer = books.partner()
    bill = invoice(session, books, customer, "100.00")
    payment = register_payment(session, bill, journal=bank(session), date=FEB, amount=D("150.00"), writeoff=True,
                               allow_advance=True)
    assert state(bill) == ("paid", 0)
    assert residuals(session, [payment.move.lines[1]])[payment.move.lines[1].id].amount == D("-29.00")
    assert session.scalar(select(func.count(Move.id)).where(Move.origin == "reconcile")) == 0


def test_foreign_or_archived_journals_and_accounts_are_refused(books):
    other = books.generic()  # first: the other company's books are committed
    foreign_account = other.session.scalar(select(Account.id).where(Account.company_id == other.company.id))
    foreign_bank = other.journal("bank").id
    system = books.session
    customer = books.partner()
    with pytest.raises(ValidationError, match="belongs to another company"):
        register_payment(system, customer, journal=system.get(Journal, foreign_bank), date=FEB, amount=D("50.00"),
                         allow_advance=True)
    session = books.as_user(books.accountant())
    bill = invoice(session, books, customer, "100.00")
    with pytest.raises(ValidationError, match="not an account of this company") as error:
        register_payment(session, bill, journal=bank(session), date=FEB, amount=D("121.50"),
                         writeoff_account_id=foreign_account)
    assert error.value.field == "writeoff_account_id"
    session.get(Account, account_id(session, "572")).active = False
    with pytest.raises(ValidationError, match="archived"):
        register_payment(session, bill, journal=bank(session), date=FEB, amount=D("121.00"))
    assert state(bill) == ("not_paid", D("121.00"))
    assert session.scalar(select(func.count(Payment.id))) == 0


def test_a_payment_refused_half_way_leaves_nothing_and_the_session_usable(books, session):
    usd_rates(session, books)
    bill = invoice(session, books, books.partner("Acme Inc"), "100.00", currency="USD", taxes=())
    settings = session.scalar(select(Settings).where(Settings.company_id == books.company.id))
    loss, settings.exchange_loss_account_id = settings.exchange_loss_account_id, None
    session.flush()
    before = books_snapshot(session)
    with pytest.raises(ValidationError, match="exchange gain and loss accounts"):  # after booking the payment
        register_payment(session, bill, journal=bank(session), date=FEB, amount=D("100.00"))
    assert books_snapshot(session) == before
    settings.exchange_loss_account_id = loss
    register_payment(session, bill, journal=bank(session), date=FEB, amount=D("100.00"))
    assert state(bill) == ("paid", 0)


def test_amounts_are_converted_to_the_company_currency_s_decimals(books):
    yen = Company(name="Yen K.K.", currency_code="JPY")
    books.session.add(yen)
    books.session.flush()
    assert to_company(books.session, yen.id, amount=D("10.50"), rate=D("1.1")) == D("12")
    assert to_company(books.session, books.company.id, amount=D("10.50"), rate=D("1.1")) == D("11.55")
