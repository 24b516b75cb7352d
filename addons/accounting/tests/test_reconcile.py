"""Reconciliation of journal items: residuals, partial and full matches, exchange differences, unreconcile."""
import datetime as dt
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from addons.accounting.models import Account, CurrencyRate, Journal, Move, MoveLine, Reconciliation
from addons.accounting.services.ledger import LineSpec, create_move, post_move
from addons.accounting.services.reconcile import open_lines, reconcile, residuals, unreconcile
from core.errors import ValidationError

JAN, FEB, MAR = dt.date(2026, 1, 10), dt.date(2026, 2, 10), dt.date(2026, 3, 10)


def account_id(session, code):
    """Records are looked up in the test's own session (whose user works in the books' company only):
    ``books.session`` opening a transaction after it would break the shared connection's savepoints."""
    return session.scalar(select(Account.id).where(Account.code == code))


def journal(session, code):
    return session.scalars(select(Journal).where(Journal.code == code)).one()


def post_entry(session, books, journal_code, date, partner, *lines, due=None):
    """A posted entry: ``lines`` are (account code, debit, credit[, currency, amount_currency])."""
    specs = [LineSpec(account_id=account_id(session, code), debit=D(debit), credit=D(credit),
                      partner_id=partner.id if partner else None, date_maturity=due,
                      currency_code=rest[0] if rest else None, amount_currency=D(rest[1]) if rest else None)
             for code, debit, credit, *rest in lines]
    move = post_move(session, create_move(session, journal(session, journal_code), date=date, lines=specs))
    session.flush()
    return move


def sale(session, books, partner, amount, date=JAN, due=None):
    """A customer's debt of ``amount`` on 430; returns its receivable line."""
    move = post_entry(session, books, "INV", date, partner, ("430", amount, 0), ("700", 0, amount), due=due)
    return move.lines[0]


def receipt(session, books, partner, amount, date=FEB):
    """Money received from the customer; returns its receivable line."""
    move = post_entry(session, books, "BNK1", date, partner, ("572", amount, 0), ("430", 0, amount))
    return move.lines[1]


@pytest.fixture
def session(books):
    return books.as_user(books.accountant())


def left(session, *lines):
    found = residuals(session, lines)
    return [found[line.id].amount for line in lines]


def test_partial_then_full_match_keeps_posted_lines_untouched(books, session):
    customer = books.partner("Ferretería Ibérica")
    invoice = sale(session, books, customer, "121.00")
    first = receipt(session, books, customer, "50.00")
    rows = reconcile(session, [invoice, first])
    assert [(r.amount, r.debit_line_id, r.credit_line_id) for r in rows] == [(D("50.00"), invoice.id, first.id)]
    assert left(session, invoice, first) == [D("71.00"), D("0.00")]
    second = receipt(session, books, customer, "71.00", MAR)
    reconcile(session, [invoice, second])
    assert left(session, invoice, first, second) == [0, 0, 0]
    session.commit()
    stored = books.session.get(MoveLine, invoice.id)
    assert (stored.debit, stored.credit, stored.posted) == (D("121.00"), D("0.00"), True)
    assert open_lines(session, books.company.id, account_id=account_id(session, "430"), partner_id=customer.id) == []


def test_oldest_due_is_paid_first(books, session):
    customer = books.partner()
    later = sale(session, books, customer, "100.00", JAN, due=dt.date(2026, 3, 1))
    older = sale(session, books, customer, "100.00", FEB, due=dt.date(2026, 2, 20))
    payment = receipt(session, books, customer, "150.00", MAR)
    reconcile(session, [later, older, payment])
    assert left(session, older, later, payment) == [0, D("50.00"), 0]
    assert [line.id for line in open_lines(session, books.company.id, account_id=account_id(session, "430"),
                                           partner_id=customer.id)] == [later.id]


def test_what_cannot_be_reconciled_is_refused_and_nothing_is_stored(books, session):
    one, other = books.partner("One"), books.partner("Other")
    invoice = sale(session, books, one, "10.00")
    with pytest.raises(ValidationError, match="one partner"):
        reconcile(session, [invoice, receipt(session, books, other, "10.00")])
    income = invoice.move.lines[1]
    with pytest.raises(ValidationError, match="one account"):
        reconcile(session, [invoice, income])
    correction = post_entry(session, books, "MISC", FEB, one, ("700", 10, 0), ("572", 0, 10)).lines[0]
    with pytest.raises(ValidationError, match="does not allow reconciliation"):
        reconcile(session, [correction, income])
    with pytest.raises(ValidationError, match="one debit and one credit"):
        reconcile(session, [invoice, sale(session, books, one, "5.00")])
    draft = create_move(session, journal(session, "BNK1"), date=FEB, lines=[
        LineSpec(account_id=account_id(session, "572"), debit=D(10)),
        LineSpec(account_id=account_id(session, "430"), credit=D(10), partner_id=one.id)])
    session.flush()
    with pytest.raises(ValidationError, match="Only posted"):
        reconcile(session, [invoice, draft.lines[1]])
    paid = receipt(session, books, one, "10.00")
    reconcile(session, [invoice, paid])
    with pytest.raises(ValidationError, match="Nothing to reconcile"):
        reconcile(session, [invoice, paid])
    assert session.scalar(select(Reconciliation.id).where(Reconciliation.credit_line_id != paid.id)) is None


def test_unreconcile_restores_the_residuals(books, session):
    customer = books.partner()
    invoice = sale(session, books, customer, "80.00")
    payments = [receipt(session, books, customer, "30.00"), receipt(session, books, customer, "50.00")]
    reconcile(session, [invoice, *payments])
    assert left(session, invoice) == [0]
    unreconcile(session, payments[0])
    assert left(session, invoice, *payments) == [D("30.00"), D("-30.00"), 0]
    unreconcile(session, invoice)
    assert left(session, invoice, *payments) == [D("80.00"), D("-30.00"), D("-50.00")]
    assert session.scalars(select(Reconciliation)).all() == []


def test_write_off_closes_what_is_left(books, session):
    customer = books.partner()
    invoice = sale(session, books, customer, "100.00")
    payment = receipt(session, books, customer, "99.98")
    reconcile(session, [invoice, payment], writeoff_account_id=account_id(session, "678"))
    assert left(session, invoice, payment) == [0, 0]
    writeoff = session.scalars(select(Move).where(Move.origin == "reconcile")).one()
    assert writeoff.state == "posted" and writeoff.journal.code == "MISC"
    assert [(line.account.code, line.debit, line.credit) for line in writeoff.lines] == [
        ("430", D("0.00"), D("0.02")), ("678", D("0.02"), D("0.00"))]
    unreconcile(session, payment)
    assert left(session, invoice, payment) == [D("100.00"), D("-99.98")]
    assert session.scalar(select(Move).where(Move.reversed_move_id == writeoff.id)).state == "posted"


def test_the_company_write_off_goes_to_its_account_within_its_limit(books, session):
    customer = books.partner()
    invoice = sale(session, books, customer, "100.00")
    short = receipt(session, books, customer, "98.00")
    with pytest.raises(ValidationError, match="more than the write-off limit of 1.00"):
        reconcile(session, [invoice, short], writeoff=True)
    assert left(session, invoice, short) == [D("100.00"), D("-98.00")]
    close = receipt(session, books, customer, "1.50")
    reconcile(session, [invoice, short, close], writeoff=True)
    assert left(session, invoice, short, close) == [0, 0, 0]
    writeoff = session.scalars(select(Move).where(Move.origin == "reconcile")).one()
    assert {line.account.code for line in writeoff.lines} == {"430", books.account("678").code}


def usd_rates(session, books):
    for date, rate in ((JAN, "1.10"), (FEB, "1.05"), (MAR, "1.20")):
        session.add(CurrencyRate(company_id=books.company.id, currency_code="USD", date=date, rate=D(rate)))
    session.flush()


def test_exchange_difference_is_booked_and_both_residuals_reach_zero(books, session):
    usd_rates(books.session, books)
    books.session.commit()
    customer = books.partner("Acme Inc")
    invoice = post_entry(session, books, "INV", JAN, customer, ("430", "110.00", 0, "USD", "100.00"),
                         ("700", 0, "110.00", "USD", "-100.00")).lines[0]
    payment = post_entry(session, books, "BNK1", FEB, customer, ("572", "105.00", 0, "USD", "100.00"),
                         ("430", 0, "105.00", "USD", "-100.00")).lines[1]
    reconcile(session, [invoice, payment])
    found = residuals(session, [invoice, payment])
    assert (found[invoice.id].amount, found[invoice.id].amount_currency) == (0, 0)
    assert (found[payment.id].amount, found[payment.id].amount_currency) == (0, 0)
    exchange = session.scalars(select(Move).where(Move.origin == "reconcile")).one()
    assert (exchange.state, exchange.journal.code, exchange.date) == ("posted", "MISC", FEB)
    assert [(line.account.code, line.debit, line.credit) for line in exchange.lines] == [
        ("430", 0, D("5.00")), ("668", D("5.00"), 0)]  # less received than booked: a loss

    unreconcile(session, payment)
    found = residuals(session, [invoice, payment])
    assert (found[invoice.id].amount, found[invoice.id].amount_currency) == (D("110.00"), D("100.00"))
    assert (found[payment.id].amount, found[payment.id].amount_currency) == (D("-105.00"), D("-100.00"))
    assert open_lines(session, books.company.id, account_id=account_id(session, "430"),
                      partner_id=customer.id) == [invoice, payment]


def test_a_rate_that_rose_books_a_gain_on_partial_payments(books, session):
    usd_rates(books.session, books)
    books.session.commit()
    customer = books.partner("Acme Inc")
    invoice = post_entry(session, books, "INV", JAN, customer, ("430", "110.00", 0, "USD", "100.00"),
                         ("700", 0, "110.00", "USD", "-100.00")).lines[0]
    first = post_entry(session, books, "BNK1", MAR, customer, ("572", "48.00", 0, "USD", "40.00"),
                       ("430", 0, "48.00", "USD", "-40.00")).lines[1]
    second = post_entry(session, books, "BNK1", MAR, customer, ("572", "72.00", 0, "USD", "60.00"),
                        ("430", 0, "72.00", "USD", "-60.00")).lines[1]
    reconcile(session, [invoice, first])
    found = residuals(session, [invoice, first])
    assert (found[invoice.id].amount, found[invoice.id].amount_currency) == (D("66.00"), D("60.00"))
    assert (found[first.id].amount, found[first.id].amount_currency) == (0, 0)
    reconcile(session, [invoice, second])
    assert left(session, invoice, first, second) == [0, 0, 0]
    gains = session.scalars(select(MoveLine).where(MoveLine.account_id == account_id(session, "768"))).all()
    assert sum(line.credit for line in gains) == D("10.00")  # 100 USD at 1.20 received, booked at 1.10


def test_foreign_currencies_that_differ_are_refused(books, session):
    usd_rates(books.session, books)
    books.session.commit()
    customer = books.partner()
    invoice = post_entry(session, books, "INV", JAN, customer, ("430", "110.00", 0, "USD", "100.00"),
                         ("700", 0, "110.00")).lines[0]
    payment = post_entry(session, books, "BNK1", FEB, customer, ("572", "100.00", 0),
                         ("430", 0, "100.00", "GBP", "-85.00")).lines[1]
    with pytest.raises(ValidationError, match="GBP, USD"):
        reconcile(session, [invoice, payment])
