"""Journal entries: posting, gapless numbers, reversal, immutability (ORM and database), lock date, closed years."""
import datetime as dt
import os
import threading
from decimal import Decimal

import pytest
from sqlalchemy import exc, func, select, text

from addons.accounting.models import FiscalYear, Journal, Move, MoveLine, Settings
from addons.accounting.services.ledger import LineSpec, create_move, post_move, reverse_move
from addons.accounting.services.years import close_fiscal_year, create_fiscal_year, set_lock_date
from core.errors import AccessDenied, ValidationError
from core.testing import TEST_URL_ENV

from .conftest import make_books

YEAR = dt.date.today().year
JAN_15, JAN_31, FEB_10 = dt.date(YEAR, 1, 15), dt.date(YEAR, 1, 31), dt.date(YEAR, 2, 10)


def entry(session, books, amount="100.00", date=FEB_10, journal="MISC", credit=None, post=True):
    """An entry debiting 430 and crediting 700 (by ``credit`` when given, to make it unbalanced)."""
    journal = session.get(Journal, books.journal(journal).id)
    move = create_move(session, journal, date=date, lines=[
        LineSpec(account_id=books.account("430").id, debit=Decimal(amount)),
        LineSpec(account_id=books.account("700").id, credit=Decimal(credit or amount)),
    ], ref="test")
    return post_move(session, move) if post else move


def count_moves(books):
    return books.session.scalar(select(func.count(Move.id)).where(Move.company_id == books.company.id))


def test_posting_numbers_each_journal_without_gaps_and_freezes_the_lines(books):
    first, second = entry(books.session, books), entry(books.session, books)
    sale = entry(books.session, books, journal="INV")
    assert (first.number, second.number, sale.number) == (f"MISC/{YEAR}/00001", f"MISC/{YEAR}/00002",
                                                          f"INV/{YEAR}/00001")
    assert first.state == "posted" and all(line.posted for line in first.lines)
    assert first.fiscal_year.name == str(YEAR)
    assert first.period_id is not None and first.posted_at is not None


def test_reversal_swaps_every_line_and_is_posted_once(books):
    original = entry(books.session, books, "250.40")
    reversal = reverse_move(books.session, original, date=dt.date(YEAR, 3, 1))
    assert reversal.state == "posted" and reversal.reversed_move_id == original.id
    assert reversal.number == f"MISC/{YEAR}/00002"
    assert [(line.account_id, line.debit, line.credit) for line in reversal.lines] == [
        (line.account_id, line.credit, line.debit) for line in original.lines]
    with pytest.raises(ValidationError, match="already been reversed"):
        reverse_move(books.session, original)


def test_an_unbalanced_entry_is_refused_and_nothing_is_stored(books):
    before = count_moves(books)
    with pytest.raises(ValidationError, match=r"not balanced: debit 100.00, credit 99.99 \(difference 0.01\)"):
        entry(books.session, books, "100.00", credit="99.99")
    books.session.rollback()
    assert count_moves(books) == before


@pytest.mark.parametrize("credit", ["9.00", "10.00"])
def test_setting_the_state_of_a_draft_by_hand_is_refused_even_balanced(books, credit):
    draft = entry(books.session, books, "10.00", credit=credit, post=False)
    books.session.flush()
    draft.state, draft.number = "posted", "MISC/FAKE/1"
    with pytest.raises(ValidationError, match="posted only by posting it"):
        books.session.flush()


@pytest.mark.parametrize("who", ["accountant", "system"])
def test_a_posted_entry_cannot_be_edited_through_the_orm(books, who):
    session = books.as_user(books.accountant()) if who == "accountant" else books.session
    move = entry(session, books)
    session.commit()
    line = move.lines[0]
    line.debit = Decimal("999.00")
    with pytest.raises(ValidationError, match="lines of a posted journal entry cannot be changed"):
        session.flush()
    session.rollback()
    move.ref = "changed"
    with pytest.raises(ValidationError, match="is posted and cannot be changed"):
        session.flush()
    session.rollback()
    session.delete(move)
    with pytest.raises(ValidationError, match="cannot be deleted"):
        session.flush()
    session.rollback()
    move.lines.append(MoveLine(company_id=books.company.id, account_id=books.account("700").id,
                               debit=Decimal(1), date=move.date, journal_id=move.journal_id))
    with pytest.raises(ValidationError, match="posted"):
        session.flush()
    session.rollback()
    stored = books.session.execute(select(MoveLine.debit).where(MoveLine.id == line.id)).scalar_one()
    assert Decimal(str(stored)) == Decimal("100.00")


@pytest.mark.parametrize("statement", [
    "UPDATE accounting_move_line SET debit = debit + 1 WHERE move_id = :id",
    "UPDATE accounting_move_line SET account_id = account_id WHERE move_id = :id",
    "DELETE FROM accounting_move_line WHERE move_id = :id",
    "UPDATE accounting_move SET ref = 'changed' WHERE id = :id",
    "UPDATE accounting_move SET state = 'draft' WHERE id = :id",
    "DELETE FROM accounting_move WHERE id = :id",
    "INSERT INTO accounting_move_line (move_id, account_id, debit, credit, date, journal_id, posted, company_id) "
    "SELECT move_id, account_id, 5, 0, date, journal_id, false, company_id FROM accounting_move_line "
    "WHERE move_id = :id LIMIT 1",
])
def test_the_database_refuses_raw_sql_on_posted_entries(books, statement):
    move = entry(books.session, books)
    books.session.commit()
    with pytest.raises(exc.IntegrityError, match="accounting: .*posted journal entry"):
        books.session.connection().execute(text(statement), {"id": move.id})
    books.session.rollback()
    lines = books.session.execute(select(MoveLine.debit, MoveLine.credit).where(MoveLine.move_id == move.id)).all()
    assert sorted(Decimal(str(value)) for row in lines for value in row) == [0, 0, 100, 100]


def test_the_database_refuses_posting_an_unbalanced_entry_by_raw_sql(books):
    draft = entry(books.session, books, "10.00", credit="9.99", post=False)
    books.session.commit()
    with pytest.raises(exc.IntegrityError, match="debits and credits differ"):
        books.session.connection().execute(text("UPDATE accounting_move SET state = 'posted' WHERE id = :id"),
                                           {"id": draft.id})
    books.session.rollback()
    assert books.session.scalar(select(Move.state).where(Move.id == draft.id)) == "draft"


def test_drafts_stay_editable_and_deletable(books):
    draft = entry(books.session, books, post=False)
    books.session.commit()
    draft.lines[0].debit = draft.lines[1].credit = Decimal("80.00")
    books.session.commit()
    books.session.delete(draft)
    books.session.commit()
    assert books.session.get(Move, draft.id) is None


def test_the_lock_date_binds_administrators_too(books):
    admin = books.user("boss", groups=["core.group_admin"])
    session = books.as_user(admin)
    posted = entry(session, books, date=JAN_15)
    draft = entry(session, books, date=FEB_10, post=False)
    session.commit()
    set_lock_date(session, books.company.id, date=JAN_31)
    session.commit()

    with pytest.raises(ValidationError, match=f"locked up to {YEAR}-01-31"):
        entry(session, books, date=JAN_31, post=False)
        session.flush()
    session.rollback()
    draft.date = JAN_15
    with pytest.raises(ValidationError, match="locked up to"):
        session.flush()
    session.rollback()
    with pytest.raises(ValidationError, match="locked up to"):
        reverse_move(session, posted)  # cancelling it on its own date
    session.rollback()
    reversal = reverse_move(session, posted, date=FEB_10)  # after the lock date: the way to correct it
    assert reversal.state == "posted"


def test_an_administrator_cannot_post_or_delete_a_draft_dated_before_the_lock_date(books):
    draft = entry(books.session, books, date=JAN_15, post=False)
    books.session.flush()
    books.settings.lock_date = JAN_31  # set directly: the service refuses while such drafts exist
    books.session.commit()
    admin, draft_id = books.as_user(books.user(groups=["core.group_admin"])), draft.id
    draft = admin.get(Move, draft_id)
    with pytest.raises(ValidationError, match="locked up to"):
        post_move(admin, draft)
    admin.rollback()
    admin.delete(draft)
    with pytest.raises(ValidationError, match="locked up to"):
        admin.flush()
    admin.rollback()
    assert books.session.scalar(select(Move.state).where(Move.id == draft_id)) == "draft"


def test_lock_date_service_rules(books):
    accountant, billing = books.as_user(books.accountant()), books.as_user(books.billing())
    with pytest.raises(AccessDenied, match="Only an accountant"):
        set_lock_date(billing, books.company.id, date=JAN_31)
    draft = entry(accountant, books, date=JAN_15, post=False)
    accountant.commit()
    with pytest.raises(ValidationError, match="post or delete the drafts"):
        set_lock_date(accountant, books.company.id, date=JAN_31)
    accountant.rollback()
    accountant.delete(accountant.get(Move, draft.id))
    set_lock_date(accountant, books.company.id, date=JAN_31)
    set_lock_date(accountant, books.company.id, date=dt.date(YEAR, 2, 28))
    accountant.commit()
    with pytest.raises(AccessDenied, match="Only an administrator may move the lock date back"):
        set_lock_date(accountant, books.company.id, date=JAN_31)
    accountant.rollback()
    admin = books.as_user(books.user(groups=["core.group_admin"]))
    set_lock_date(admin, books.company.id, date=None)
    admin.commit()
    assert books.session.scalar(select(Settings.lock_date).where(Settings.company_id == books.company.id)) is None


def test_a_rolled_back_post_does_not_burn_a_number(books):
    assert entry(books.session, books).number == f"MISC/{YEAR}/00001"
    books.session.commit()
    entry(books.session, books)
    books.session.rollback()
    assert entry(books.session, books).number == f"MISC/{YEAR}/00002"


def test_nothing_is_booked_into_a_closed_year(books):
    last = create_fiscal_year(books.session, books.company.id, year=YEAR - 1)
    old = entry(books.session, books, date=dt.date(YEAR - 1, 6, 30))
    assert old.number == f"MISC/{YEAR - 1}/00001"
    close_fiscal_year(books.session, last)
    books.session.commit()
    with pytest.raises(ValidationError, match=f"Fiscal year {YEAR - 1} is closed"):
        entry(books.session, books, date=dt.date(YEAR - 1, 12, 1))
    books.session.rollback()
    with pytest.raises(ValidationError, match="is closed"):
        entry(books.session, books, date=dt.date(YEAR - 1, 12, 1), post=False)
        books.session.flush()
    books.session.rollback()
    with pytest.raises(ValidationError, match="is closed"):
        reverse_move(books.session, books.session.get(Move, old.id))
    books.session.rollback()
    assert books.session.get(FiscalYear, last.id).state == "closed"


def test_fiscal_years_do_not_overlap_and_a_date_needs_one(books):
    with pytest.raises(ValidationError, match=f"overlap fiscal year {YEAR}"):
        create_fiscal_year(books.session, books.company.id, date_start=dt.date(YEAR, 7, 1),
                           date_end=dt.date(YEAR + 1, 6, 30))
    books.session.rollback()
    with pytest.raises(ValidationError, match="No fiscal year covers"):
        entry(books.session, books, date=dt.date(YEAR + 1, 1, 5))
    books.session.rollback()
    split = create_fiscal_year(books.session, books.company.id, date_start=dt.date(YEAR + 1, 1, 1),
                               date_end=dt.date(YEAR + 2, 6, 30))
    assert (split.name, len(split.periods), split.periods[-1].date_end) == (f"{YEAR + 1}-{YEAR + 2}", 18,
                                                                             dt.date(YEAR + 2, 6, 30))


def test_sales_and_purchases_are_numbered_in_date_order(books):
    for journal in ("INV", "BILL"):
        entry(books.session, books, journal=journal, date=FEB_10)
        books.session.commit()
        with pytest.raises(ValidationError, match=f"{journal} already has an entry posted on {YEAR}-02-10"):
            entry(books.session, books, journal=journal, date=JAN_15)
        books.session.rollback()
        assert entry(books.session, books, journal=journal, date=FEB_10).number == f"{journal}/{YEAR}/00002"
    assert entry(books.session, books, journal="MISC", date=JAN_15).state == "posted"  # other journals: any date


@pytest.mark.postgresql
@pytest.mark.skipif(not (os.environ.get(TEST_URL_ENV) or "").startswith("postgresql"),
                    reason="concurrent reversals need PostgreSQL (set BOTTEGA_TEST_DATABASE_URL)")
def test_two_sessions_reversing_one_entry_at_once_make_one_reversal(db_copy):
    books = make_books(db_copy, "Reversa S.L.")
    original = entry(books.session, books)
    books.session.commit()
    sessions = [db_copy.system(), db_copy.system()]
    moves = [session.get(Move, original.id) for session in sessions]
    for move in moves:
        assert len(move.lines) == 2  # loaded before the race
    start, errors = threading.Barrier(2), []

    def reverse(session, move):
        try:
            start.wait(timeout=30)
            reverse_move(session, move, date=FEB_10)
            session.commit()
        except Exception as error:  # reported by the main thread
            errors.append(error)
            session.rollback()

    threads = [threading.Thread(target=reverse, args=pair) for pair in zip(sessions, moves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with db_copy.factory() as check:
        reversals = check.scalars(select(Move.id).where(Move.reversed_move_id == original.id)).all()
    assert len(reversals) == 1
    assert [type(error) for error in errors] == [ValidationError]
    assert "already been reversed" in str(errors[0])
