"""Year-end closing: income and expense accounts end the year at zero, the result goes to equity."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from addons.accounting.models import Account, FiscalYear, Journal, Move, MoveLine
from addons.accounting.services.ledger import LineSpec, create_move, post_move
from addons.accounting.services.years import close_fiscal_year, create_fiscal_year
from core.errors import AccessDenied, ValidationError

LAST = dt.date.today().year - 1


def book(books, date, debit_code, credit_code, amount, post=True):
    session = books.session
    move = create_move(session, books.journal("MISC"), date=date, lines=[
        LineSpec(account_id=books.account(debit_code).id, debit=Decimal(amount)),
        LineSpec(account_id=books.account(credit_code).id, credit=Decimal(amount)),
    ])
    return post_move(session, move) if post else move


def balances(books, year, types=None):
    """Posted balance (debit - credit) per account code over the fiscal year, computed in SQL."""
    query = (select(Account.code, func.sum(MoveLine.debit) - func.sum(MoveLine.credit))
             .join(Account, Account.id == MoveLine.account_id)
             .where(MoveLine.company_id == books.company.id, MoveLine.posted.is_(True),
                    MoveLine.date >= year.date_start, MoveLine.date <= year.date_end)
             .group_by(Account.code))
    if types:
        query = query.where(Account.type.in_(types))
    return {code: Decimal(str(value)).quantize(Decimal("0.01")) for code, value in books.session.execute(query)}


@pytest.fixture
def last_year(books):
    year = create_fiscal_year(books.session, books.company.id, year=LAST)
    book(books, dt.date(LAST, 3, 1), "430", "700", "1000.00")
    book(books, dt.date(LAST, 5, 2), "430", "705", "200.50")
    book(books, dt.date(LAST, 6, 3), "600", "400", "300.25")
    book(books, dt.date(LAST, 7, 4), "640", "572", "150.00")
    books.session.commit()
    return year


def test_closing_carries_the_profit_to_equity_and_zeroes_income_and_expenses(books, last_year):
    this_year = book(books, dt.date(LAST + 1, 1, 10), "430", "700", "77.00")
    closing = close_fiscal_year(books.session, last_year)
    books.session.commit()
    assert closing.state == "posted" and closing.origin == "closing"
    assert closing.date == dt.date(LAST, 12, 31)
    assert books.session.get(Journal, closing.journal_id).kind == "general"
    assert closing.number == f"MISC/{LAST}/00005"
    assert sum(line.debit for line in closing.lines) == sum(line.credit for line in closing.lines)
    assert all(value == 0 for value in balances(books, last_year, ("income", "expense")).values())
    after = balances(books, last_year)
    assert after["129"] == Decimal("-750.25")  # 1000 + 200.50 - 300.25 - 150: a profit, on the credit side
    assert (after["430"], after["400"], after["572"]) == (Decimal("1200.50"), Decimal("-300.25"),
                                                          Decimal("-150.00"))
    assert books.session.get(FiscalYear, last_year.id).state == "closed"
    assert books.session.get(Move, this_year.id).state == "posted"
    current = books.session.scalars(select(FiscalYear).where(FiscalYear.company_id == books.company.id,
                                                             FiscalYear.name == str(LAST + 1))).one()
    assert balances(books, current, ("income",)) == {"700": Decimal("-77.00")}


def test_a_loss_goes_to_the_debit_of_equity(books):
    year = create_fiscal_year(books.session, books.company.id, year=LAST)
    book(books, dt.date(LAST, 2, 1), "430", "700", "100.00")
    book(books, dt.date(LAST, 2, 2), "621", "410", "400.00")
    close_fiscal_year(books.session, year)
    assert balances(books, year)["129"] == Decimal("300.00")
    assert set(balances(books, year, ("income", "expense")).values()) == {Decimal(0)}


def test_a_year_without_entries_closes_without_an_entry(books):
    year = create_fiscal_year(books.session, books.company.id, year=LAST)
    assert close_fiscal_year(books.session, year) is None
    assert year.state == "closed"
    with pytest.raises(ValidationError, match="already closed"):
        close_fiscal_year(books.session, year)


def test_drafts_in_the_year_prevent_closing(books, last_year):
    book(books, dt.date(LAST, 8, 1), "430", "700", "5.00", post=False)
    books.session.flush()
    with pytest.raises(ValidationError, match="still has 1 draft entries"):
        close_fiscal_year(books.session, last_year)
    books.session.rollback()
    assert books.session.get(FiscalYear, last_year.id).state == "open"


def test_only_an_accountant_closes_a_year(books, last_year):
    billing = books.as_user(books.billing())
    with pytest.raises(AccessDenied):
        close_fiscal_year(billing, billing.get(FiscalYear, last_year.id))
    accountant = books.as_user(books.accountant())
    assert close_fiscal_year(accountant, accountant.get(FiscalYear, last_year.id)).state == "posted"


def test_a_closed_year_is_reopened_only_by_the_system(books):
    accountant = books.as_user(books.accountant())
    last = create_fiscal_year(accountant, books.company.id, year=LAST)
    close_fiscal_year(accountant, last)
    accountant.commit()
    last.state = "open"
    with pytest.raises(AccessDenied, match="closed: it cannot be reopened"):
        accountant.flush()
    accountant.rollback()
    year = books.session.get(FiscalYear, last.id)
    year.state = "open"
    books.session.commit()
    assert books.session.scalar(select(FiscalYear.state).where(FiscalYear.id == last.id)) == "open"


def test_an_entry_moved_across_a_closed_year_between_two_open_ones_is_accepted(books):
    """Each date is checked, not the span between them: a closed year in the middle is not touched."""
    create_fiscal_year(books.session, books.company.id, year=LAST - 1)
    closed = create_fiscal_year(books.session, books.company.id, year=LAST)
    close_fiscal_year(books.session, closed)
    draft = book(books, dt.date(LAST - 1, 6, 1), "430", "700", "10.00", post=False)
    books.session.commit()
    draft.date = dt.date(LAST + 1, 2, 1)
    for line in draft.lines:
        line.date = draft.date
    books.session.commit()
    post_move(books.session, draft)
    assert draft.state == "posted"
