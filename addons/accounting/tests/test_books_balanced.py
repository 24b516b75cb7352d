"""Over every entry in the database: posted entries balance and all their lines are posted with them."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from addons.accounting.services.ledger import LineSpec, create_move, post_move, reverse_move
from addons.accounting.services.years import close_fiscal_year, create_fiscal_year

from .conftest import ledger_problems

YEAR = dt.date.today().year


def post(books, date, lines):
    move = create_move(books.session, books.journal("MISC"), date=date, lines=[
        LineSpec(account_id=books.account(code).id, debit=Decimal(debit), credit=Decimal(credit))
        for code, debit, credit in lines])
    return post_move(books.session, move)


def test_every_posted_entry_in_the_database_balances_and_its_lines_are_posted(books):
    post(books, dt.date(YEAR, 1, 5), [("430", "121.00", "0"), ("700", "0", "100.00"), ("477", "0", "21.00")])
    entry = post(books, dt.date(YEAR, 1, 6), [("600", "0.10", "0"), ("600", "0.20", "0"), ("400", "0", "0.30")])
    reverse_move(books.session, entry, date=dt.date(YEAR, 1, 7))
    create_move(books.session, books.journal("MISC"), date=dt.date(YEAR, 1, 8), lines=[
        LineSpec(account_id=books.account("430").id, debit=Decimal("5.00"))])  # an unbalanced draft is fine
    last = create_fiscal_year(books.session, books.company.id, year=YEAR - 1)
    post(books, dt.date(YEAR - 1, 9, 9), [("572", "33.33", "0"), ("705", "0", "33.33")])
    close_fiscal_year(books.session, last)
    italian = books.italian()
    move = create_move(italian.session, italian.journal("MISC"), date=dt.date(YEAR, 2, 1), lines=[
        LineSpec(account_id=italian.account("1201").id, debit=Decimal("122.00")),
        LineSpec(account_id=italian.account("3101").id, credit=Decimal("122.00"))])
    post_move(italian.session, move)
    books.session.flush()
    italian.session.flush()
    assert ledger_problems(books.session.connection()) == {}


def test_the_check_finds_lines_posted_outside_a_posted_entry(books):
    """Raw SQL flagging a draft's lines as posted is refused by the triggers; were they gone, the check finds it."""
    draft = create_move(books.session, books.journal("MISC"), date=dt.date(YEAR, 3, 1), lines=[
        LineSpec(account_id=books.account("430").id, debit=Decimal("1.00")),
        LineSpec(account_id=books.account("700").id, credit=Decimal("1.00"))])
    books.session.flush()
    connection = books.session.connection()
    flag_posted = text("UPDATE accounting_move_line SET posted = true WHERE move_id = :id")
    with pytest.raises(IntegrityError, match="accounting"), connection.begin_nested():
        connection.execute(flag_posted, {"id": draft.id})
    _drop_line_triggers(connection)  # inside the test's transaction, rolled back with it
    connection.execute(flag_posted, {"id": draft.id})
    assert ledger_problems(connection) == {"line posted flag differs from its entry": [draft.id]}


def _drop_line_triggers(connection):
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))  # run the deferred checks still pending
        connection.execute(text("ALTER TABLE accounting_move_line DISABLE TRIGGER USER"))
        return
    names = connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                    "AND tbl_name = 'accounting_move_line'")).scalars().all()
    for name in names:
        connection.execute(text(f'DROP TRIGGER "{name}"'))
