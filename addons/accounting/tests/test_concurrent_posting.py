"""Several real connections posting in one journal at once get unique, consecutive numbers (PostgreSQL)."""
import datetime as dt
import os
import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from addons.accounting.models import Invoice, Journal, Move
from addons.accounting.services.invoice_batches import InvoiceInput, post_new_invoices
from addons.accounting.services.invoices import LineInput
from addons.accounting.services.ledger import LineSpec, create_move, post_move
from core.testing import TEST_URL_ENV

from .conftest import make_books

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(not (os.environ.get(TEST_URL_ENV) or "").startswith("postgresql"),
                       reason="concurrent posting needs PostgreSQL (set BOTTEGA_TEST_DATABASE_URL)"),
]

WRITERS = 8


def run_at_once(post, sessions) -> None:
    """``post(index, session)`` in a thread per session; returns when all have finished."""
    threads = [threading.Thread(target=post, args=(i, s)) for i, s in enumerate(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


def test_concurrent_posts_get_unique_consecutive_numbers_and_a_rollback_leaves_no_gap(db_copy):
    books = make_books(db_copy, "Concurrencia S.L.")
    journal_id = books.journal("INV").id
    receivable, income = books.account("430").id, books.account("700").id
    year = dt.date.today().year
    sessions = [db_copy.system() for _ in range(WRITERS)]
    start = threading.Barrier(WRITERS)
    numbers, errors = {}, []

    def post(index, session):
        try:
            journal = session.get(Journal, journal_id)
            move = create_move(session, journal, date=dt.date(year, 6, 1), lines=[
                LineSpec(account_id=receivable, debit=Decimal(index + 1)),
                LineSpec(account_id=income, credit=Decimal(index + 1)),
            ], ref=f"writer {index}")
            session.flush()
            start.wait(timeout=60)
            post_move(session, move)
            if index == 0:
                session.rollback()  # its number is given back to the others
            else:
                session.commit()
                numbers[index] = move.sequence_number
        except Exception as error:  # reported by the main thread
            errors.append(error)
            session.rollback()

    run_at_once(post, sessions)
    assert not errors, errors
    assert sorted(numbers.values()) == list(range(1, WRITERS))
    with db_copy.factory() as check:
        stored = check.execute(select(Move.number, Move.ref).where(Move.journal_id == journal_id,
                                                                   Move.state == "posted")).all()
    assert sorted(number for number, _ref in stored) == [f"INV/{year}/{n:05d}" for n in range(1, WRITERS)]
    assert "writer 0" not in {ref for _number, ref in stored}


def test_batches_posted_at_once_take_unique_consecutive_numbers(db_copy):
    """Three real connections post a batch of invoices each at the same moment; the one rolled back gives its
    block of numbers back, the others' numbers follow each other without a gap, each batch's in one block."""
    books = make_books(db_copy, "Lotes S.L.")
    partner_id, tax_id = books.partner("Cliente").id, books.tax("S_IVA21").id
    accountant = books.accountant()
    year = dt.date.today().year
    sessions = [db_copy.as_user(accountant) for _ in range(3)]
    start = threading.Barrier(len(sessions))
    posted, errors = {}, []

    def post(index, session):
        try:
            inputs = [InvoiceInput(partner_id=partner_id, date=dt.date(year, 6, 1), reference=f"batch {index}",
                                   lines=[LineInput("Servicio", unit_price=Decimal(10 * n), tax_ids=[tax_id])])
                      for n in (1, 2, 3)]
            start.wait(timeout=60)
            ids = post_new_invoices(session, inputs)
            if index == 0:
                session.rollback()
            else:
                session.commit()
                posted[index] = [session.get(Invoice, i).number for i in ids]
        except Exception as error:  # reported by the main thread
            errors.append(error)
            session.rollback()

    run_at_once(post, sessions)
    assert not errors, errors
    numbers = sorted(int(number.rsplit("/", 1)[1]) for batch in posted.values() for number in batch)
    assert numbers == list(range(1, 7))
    for batch in posted.values():
        first = int(batch[0].rsplit("/", 1)[1])
        assert [int(number.rsplit("/", 1)[1]) for number in batch] == [first, first + 1, first + 2]
    with db_copy.factory() as check:
        assert check.scalar(select(func.count(Move.id)).where(Move.ref == "batch 0")) == 0
