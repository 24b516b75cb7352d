"""The ledger's invariants, checked at every flush whatever the path (form, JSON, service, job, system session).

- a posted journal entry, and each of its lines, never changes and is never
  deleted; no line is added to it (correct by reversal);
- an entry is posted only when it balances to the cent;
- nothing dated on or before the company's lock date, or inside a closed
  fiscal year, is created, changed, posted or deleted;
- a posted or cancelled invoice keeps its amounts, lines, partner and date;
  only its payment state moves (the reconciliation service keeps it);
- a posted payment keeps its amount, partner, date and journal.

Committed values are read from the database, not from the ORM's history, so
an expired or reloaded object cannot hide a change. The database has its own
triggers for the first two rules (migration ``ledger_guards``), in case
someone bypasses the ORM altogether.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from core.errors import ValidationError

from .models import FiscalYear, Invoice, InvoiceLine, InvoiceTax, Move, MoveLine, Payment, Settings
from .models.ledger import CLOSED, POSTED

#: What posting a draft may set on the entry; everything else is frozen once it is posted.
_POSTING_FIELDS = {"state", "number", "sequence_number", "posted_at", "posted_by_id", "fiscal_year_id", "period_id",
                   "updated_at"}
#: What may still change on a posted invoice: payment follow-up, never amounts.
_INVOICE_AFTER_POSTING = {"residual", "payment_state", "updated_at"}
_PAYMENT_AFTER_POSTING = {"state", "updated_at"}


def validate_flush(session: Session, new: list, dirty: list, deleted: list) -> None:
    moves = _committed_state(session, Move, [o for o in (*dirty, *deleted) if isinstance(o, Move)],
                             (Move.state, Move.date, Move.company_id))
    for move in (o for o in dirty if isinstance(o, Move)):
        old_state, old_date, _company = moves[move.id]
        if old_state == POSTED:
            raise ValidationError(gettext("Journal entry %(name)s is posted and cannot be changed; "
                                          "reverse it instead.", name=move.number))
        frozen = _changed(move) - _POSTING_FIELDS
        if move.state == POSTED and frozen:
            raise ValidationError(gettext("A journal entry cannot be changed while it is being posted."))
    for move in (o for o in deleted if isinstance(o, Move)):
        if moves[move.id][0] == POSTED:
            raise ValidationError(gettext("Journal entry %(name)s is posted and cannot be deleted; "
                                          "reverse it instead.", name=move.number))
    _check_lines(session, new, dirty, deleted)
    _check_posting_balances(session, [o for o in (*new, *dirty) if isinstance(o, Move) and o.state == POSTED])
    _check_dates(session, new, dirty, deleted, moves)
    _check_documents(session, dirty, deleted)


def _check_lines(session, new, dirty, deleted):
    lines = [o for o in (*dirty, *deleted) if isinstance(o, MoveLine)]
    committed = _committed_state(session, MoveLine, lines, (MoveLine.posted,))
    for line in lines:
        if committed[line.id][0]:
            raise ValidationError(gettext("The lines of a posted journal entry cannot be changed or deleted; "
                                          "reverse the entry instead."))
    added = [o for o in new if isinstance(o, MoveLine) and o.move is not None and not _is_new(o.move)]
    if added:
        states = _committed_state(session, Move, [o.move for o in added], (Move.state,))
        if any(states[o.move.id][0] == POSTED for o in added):
            raise ValidationError(gettext("No line can be added to a posted journal entry."))


def _check_posting_balances(session, moves):
    for move in moves:
        debit = sum((line.debit or Decimal(0) for line in move.lines), Decimal(0))
        credit = sum((line.credit or Decimal(0) for line in move.lines), Decimal(0))
        if not move.lines:
            raise ValidationError(gettext("An entry without lines cannot be posted."))
        if debit != credit:
            raise ValidationError(gettext(
                "The entry is not balanced: debit %(debit)s, credit %(credit)s (difference %(diff)s).",
                debit=debit, credit=credit, diff=debit - credit))


def _check_dates(session, new, dirty, deleted, moves):
    """Lock date and closed years: for new, changed and deleted entries, on the old and the new date."""
    dates: dict[int, set[dt.date]] = defaultdict(set)
    for move in (o for o in new if isinstance(o, Move)):
        dates[move.company_id].add(move.date)
    for move in (o for o in dirty if isinstance(o, Move)):
        dates[move.company_id].update({move.date, moves[move.id][1]})
    for move in (o for o in deleted if isinstance(o, Move)):
        dates[move.company_id].add(moves[move.id][1])
    for invoice in (o for o in (*new, *dirty) if isinstance(o, Invoice) and o.state == POSTED):
        dates[invoice.company_id].add(invoice.date)
    if not dates:
        return
    connection = session.connection()
    locks = dict(connection.execute(select(Settings.company_id, Settings.lock_date)
                                    .where(Settings.company_id.in_(dates))).all())
    for company_id, company_dates in dates.items():
        lock = locks.get(company_id)
        if lock is not None and min(company_dates) <= lock:
            raise ValidationError(gettext(
                "The books are locked up to %(lock)s: nothing dated on or before it can be created, "
                "posted, changed or cancelled.", lock=lock.isoformat()))
        closed = connection.execute(select(FiscalYear.name).where(
            FiscalYear.company_id == company_id, FiscalYear.state == CLOSED,
            FiscalYear.date_start <= max(company_dates), FiscalYear.date_end >= min(company_dates))).first()
        if closed is not None and not session.info.get("accounting.closing_year"):
            raise ValidationError(gettext("Fiscal year %(name)s is closed.", name=closed[0]))


def _check_documents(session, dirty, deleted):
    invoices = [o for o in (*dirty, *deleted) if isinstance(o, Invoice)]
    states = _committed_state(session, Invoice, invoices, (Invoice.state,))
    for invoice in invoices:
        if states[invoice.id][0] == "draft":
            continue
        if invoice in deleted or (_changed(invoice) - _INVOICE_AFTER_POSTING):
            raise ValidationError(gettext("Invoice %(name)s is posted: it cannot be changed or deleted; "
                                          "issue a credit note instead.", name=invoice.number))
    children = [o for o in (*dirty, *deleted) if isinstance(o, (InvoiceLine, InvoiceTax))]
    if children:
        ids = {o.invoice_id for o in children}
        posted = set(session.connection().execute(
            select(Invoice.id).where(Invoice.id.in_(ids), Invoice.state != "draft")).scalars())
        if posted:
            raise ValidationError(gettext("The lines of a posted invoice cannot be changed or deleted."))
    payments = [o for o in (*dirty, *deleted) if isinstance(o, Payment)]
    pay_states = _committed_state(session, Payment, payments, (Payment.state,))
    for payment in payments:
        if pay_states[payment.id][0] != "draft" and (payment in deleted or
                                                     _changed(payment) - _PAYMENT_AFTER_POSTING):
            raise ValidationError(gettext("A posted payment cannot be changed or deleted; cancel it instead."))


def _committed_state(session, model, objects, columns) -> dict[int, tuple]:
    """The values of ``columns`` as committed in the database, for persistent ``objects``, by id."""
    ids = {o.id for o in objects if not _is_new(o)}
    if not ids:
        return {}
    rows = session.connection().execute(select(model.id, *columns).where(model.id.in_(ids))).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def _changed(obj) -> set[str]:
    state = inspect(obj)
    return {attr.key for attr in state.attrs if attr.history.has_changes()
            and attr.key in state.mapper.column_attrs}


def _is_new(obj) -> bool:
    return inspect(obj).key is None


