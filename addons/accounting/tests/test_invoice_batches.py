"""Many invoices created and posted at once: the same books as one by one, all or nothing, gapless numbers."""
import datetime as dt
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from addons.accounting.models import Invoice, InvoiceLine, InvoiceTax, Move, MoveLine
from addons.accounting.services.invoice_batches import InvoiceInput, post_invoices, post_new_invoices
from addons.accounting.services.invoices import LineInput, create_invoice, post_invoice
from core.bulk import insert_rows
from core.errors import AccessDenied, ValidationError
from core.models import AuditLog

YEAR = dt.date.today().year


@pytest.fixture
def accountant(books):
    return books.as_user(books.accountant())


def rows(session) -> tuple[int, ...]:
    return tuple(session.scalar(select(func.count()).select_from(model))
                 for model in (Move, MoveLine, Invoice, InvoiceLine, InvoiceTax))


def batch(books, partner, days, **line):
    iva21, irpf = books.tax("S_IVA21"), books.tax("S_IRPF15")
    return [InvoiceInput(partner_id=partner.id, date=dt.date(YEAR, 3, day), reference=f"R{day}", lines=[
        LineInput("Consultoría", quantity=D("3"), unit_price=D("33.33"), tax_ids=[iva21.id, irpf.id]),
        LineInput("Desplazamiento", quantity=D("1"), unit_price=D("19.99"), discount=D("10"), tax_ids=[iva21.id],
                  **line),
    ]) for day in days]


def booked(session, invoice_id):
    """What an invoice booked: its amounts, taxes and entry lines, comparable across invoices."""
    invoice = session.get(Invoice, invoice_id)
    lines = session.scalars(select(MoveLine).where(MoveLine.move_id == invoice.move_id)).all()
    return ((invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total, invoice.residual, invoice.state,
             invoice.payment_state, invoice.due_date),
            sorted((t.tax_id, t.base, t.amount) for t in invoice.taxes),
            sorted((line.account_id, line.debit, line.credit, line.tax_id, line.tax_base_amount, line.posted,
                    line.partner_id) for line in lines),
            [(line.description, line.subtotal, sorted(t.id for t in line.taxes)) for line in invoice.lines])


def test_a_batch_books_exactly_what_one_by_one_posting_books(books, accountant):
    partner = books.partner()
    data = batch(books, partner, [10])[0]
    single = post_invoice(accountant, create_invoice(accountant, **vars(data)))
    [batched] = post_new_invoices(accountant, [data])
    assert booked(accountant, batched) == booked(accountant, single.id)
    move = accountant.get(Move, accountant.get(Invoice, batched).move_id)
    assert (move.state, move.number, accountant.get(Invoice, batched).number) == (
        "posted", f"INV/{YEAR}/00002", f"INV/{YEAR}/00002")


def test_numbers_are_consecutive_in_date_order_and_each_record_has_one_audit_row(books, accountant):
    partner = books.partner()
    ids = post_new_invoices(accountant, batch(books, partner, [12, 5, 20, 5]))
    accountant.commit()
    numbers = {i: accountant.get(Invoice, i).number for i in ids}
    assert [numbers[i] for i in ids] == [f"INV/{YEAR}/0000{n}" for n in (3, 1, 4, 2)]  # by date, then as given
    moves = accountant.scalars(select(Move).where(Move.state == "posted").order_by(Move.sequence_number)).all()
    assert [m.date.day for m in moves] == [5, 5, 12, 20] and all(m.posted_by_id for m in moves)
    user_id = accountant.info["actor"].user_id
    audit = books.session.execute(select(AuditLog.table_name, AuditLog.action, func.count()).where(
        AuditLog.user_id == user_id).group_by(AuditLog.table_name, AuditLog.action)).all()
    moves, lines, invoices, items, taxes = rows(accountant)
    assert (moves, lines, invoices, items, taxes) == (4, 20, 4, 8, 8)
    assert sorted(audit) == [("accounting_invoice", "create", 4), ("accounting_invoice_line", "create", 8),
                             ("accounting_invoice_tax", "create", 8), ("accounting_move", "create", 4),
                             ("accounting_move", "update", 4), ("accounting_move_line", "create", 20),
                             ("accounting_move_line", "update", 20)]


def test_one_bad_invoice_refuses_the_batch_naming_it_and_takes_no_number(books, accountant):
    partner = books.partner()
    good = batch(books, partner, [1, 2])
    bad = batch(books, partner, [3], account_id=books.account("430").id)[0]
    bad.lines[1] = LineInput("Compra", unit_price=D("5"), tax_ids=[books.tax("P_IVA21").id])
    books.session.commit()
    before = rows(accountant)
    with pytest.raises(ValidationError, match="Invoice 3: .*purchase tax") as refused:
        post_new_invoices(accountant, [*good, bad])
    assert refused.value.field == "lines-1-tax_ids"
    accountant.rollback()
    assert rows(accountant) == before
    assert accountant.get(Invoice, post_new_invoices(accountant, good[:1])[0]).number == f"INV/{YEAR}/00001"


def test_a_locked_period_or_an_earlier_date_than_the_journal_s_last_entry_is_refused(books, accountant):
    partner = books.partner()
    locked, kept, earlier = (batch(books, partner, days) for days in ([15, 1], [20], [25, 10]))
    books.settings.lock_date = dt.date(YEAR, 3, 1)
    books.session.commit()  # the system session is done: the accountant's rollbacks below leave it alone
    before = rows(accountant)
    with pytest.raises(ValidationError, match="locked up to"):
        post_new_invoices(accountant, locked)
    accountant.rollback()
    post_new_invoices(accountant, kept)
    accountant.commit()
    with pytest.raises(ValidationError, match="Invoice 2: .*numbered in date order"):
        post_new_invoices(accountant, earlier)
    accountant.rollback()
    assert rows(accountant)[2] == before[2] + 1


def test_only_an_accountant_posts_a_batch(books):
    clerk = books.as_user(books.billing())
    with pytest.raises(AccessDenied, match="Only an accountant"):
        post_new_invoices(clerk, batch(books, books.partner(), [1]))


def test_the_ledger_cannot_be_written_in_bulk_around_the_batch_service(books, accountant):
    journal = books.journal("INV")
    with pytest.raises(ValidationError, match="only by the accounting services"):
        insert_rows(accountant, Move, [{"company_id": books.company.id, "journal_id": journal.id,
                                        "date": dt.date(YEAR, 3, 1), "state": "posted", "origin": "entry"}])
    accountant.rollback()
    assert rows(accountant)[0] == 0


def test_stored_drafts_post_together_as_one_by_one_and_a_bad_one_stops_them_all(books, accountant):
    partner = books.partner()
    inputs = batch(books, partner, [4, 2, 9])
    drafts = [create_invoice(accountant, **vars(data)) for data in inputs]
    control = post_invoice(accountant, create_invoice(accountant, **vars(inputs[0])))
    accountant.commit()
    with pytest.raises(ValidationError, match="Invoice 2: .*numbered in date order"):  # dated before the control
        post_invoices(accountant, drafts)
    accountant.rollback()
    assert [accountant.get(Invoice, d.id).state for d in drafts] == ["draft"] * 3
    posted = post_invoices(accountant, [drafts[2], drafts[0]])
    accountant.commit()
    assert [accountant.get(Invoice, d.id).number for d in posted] == [f"INV/{YEAR}/00003", f"INV/{YEAR}/00002"]
    assert booked(accountant, drafts[0].id)[1:] == booked(accountant, control.id)[1:]
    with pytest.raises(ValidationError, match="Invoice 1: .*posted"):
        post_invoices(accountant, [drafts[0]])
