"""The ledger's invariants, checked at every flush whatever the path (form, JSON, service, job, system session).

- an entry becomes posted only inside :func:`services.ledger.post_move`, and
  only when it balances to the cent; every line's ``posted`` flag equals its
  entry's state; a posted entry, and each of its lines, never changes and is
  never deleted; no line is added to it or moved in or out of it;
- nothing dated on or before the company's lock date, or inside a closed
  fiscal year, is created, changed, posted or deleted; the lock date moves
  back only for an administrator, a closed year reopens only for the system;
- every reference from an accounting row to a company-owned row stays within
  the row's company;
- an invoice is posted only inside ``post_invoice``; a posted or cancelled
  invoice keeps its amounts, lines, partner and date; only its payment state
  moves, inside ``reconcile.refresh_invoices``;
- a posted payment keeps its amount, partner, date and journal, and is only
  cancelled, inside ``payments.cancel_payment``;
- a reconciliation matches two posted lines of one account and partner;
- an account with posted lines keeps its type and reconcile flag.

The services mark what they are allowed to do with :func:`allow`. Committed
values are read from the database, not from the ORM's history, so an expired
or reloaded object cannot hide a change. The database has its own triggers
for the entry rules (migration ``ledger_guards``), in case someone bypasses
the ORM altogether.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from addons.contacts.models import Partner
from core.errors import AccessDenied, ValidationError
from core.security.actor import ADMIN_GROUP

from . import models
from .models import (Account, FiscalYear, Invoice, InvoiceLine, InvoiceTax, Move, MoveLine, Payment, Reconciliation,
                     Settings)
from .models.ledger import CLOSED, DRAFT, POSTED

#: What :func:`allow` grants, each to one service.
POSTING = "posting"  # services.ledger.post_move: a draft entry becomes posted
INVOICE_POSTING = "invoice_posting"  # services.invoices.post_invoice: a draft invoice becomes posted
INVOICE_PAYMENT_STATE = "invoice_payment_state"  # services.reconcile.refresh_invoices
PAYMENT_CANCEL = "payment_cancel"  # services.payments.cancel_payment
BATCH_POSTING = "batch_posting"  # services.invoice_batches: writes invoices and entries with core.bulk

#: What posting a draft may set on the entry; everything else is frozen once it is posted.
_POSTING_FIELDS = {"state", "number", "sequence_number", "posted_at", "posted_by_id", "fiscal_year_id", "period_id",
                   "updated_at"}
_INVOICE_PAYMENT_FIELDS = {"residual", "payment_state"}
#: What posting a draft invoice in a batch writes on it.
_INVOICE_POSTING_FIELDS = {"state", "number", "move_id", "rate", "residual", "payment_state", "due_date",
                           "updated_at"}
#: What a batch may create with core.bulk (posted later in the batch by an update of the posting fields).
_BATCH_CREATES = (Move, MoveLine, Invoice, InvoiceLine, InvoiceTax)
#: Models whose rows belong to one company and may only reference rows of that company.
_OWNED = tuple(model for model in models.ALL if "company_id" in model.__table__.c)
_TARGETS = {model.__table__: model for model in (*_OWNED, Partner)}


@contextmanager
def allow(session: Session, what: str, *objects) -> Iterator[None]:
    """Let the enclosed flushes do ``what`` to ``objects`` (to anything when none is given)."""
    granted = session.info.setdefault(f"accounting.allow.{what}", [])
    token = tuple(objects) or None
    granted.append(token)
    try:
        yield
    finally:
        granted.remove(token)


def posting_invoice(session: Session, invoice: Invoice):
    """The context in which ``post_invoice`` turns ``invoice`` from draft to posted."""
    return allow(session, INVOICE_POSTING, invoice)


def _allowed(session: Session, what: str, obj) -> bool:
    return any(token is None or any(o is obj for o in token)
               for token in session.info.get(f"accounting.allow.{what}", ()))


def validate_flush(session: Session, new: list, dirty: list, deleted: list) -> None:
    if not any(isinstance(o, models.ALL) for o in (*new, *dirty, *deleted)):
        return  # most flushes (a lead, a contact) touch nothing accounting guards
    with session.no_autoflush:
        moves = _committed_state(session, Move, [o for o in (*dirty, *deleted) if isinstance(o, Move)],
                                 (Move.state, Move.date, Move.company_id))
        _check_moves(session, new, dirty, deleted, moves)
        _check_lines(session, new, dirty, deleted)
        _check_posting_balances([o for o in (*new, *dirty) if isinstance(o, Move) and o.state == POSTED])
        _check_companies(session, [o for o in (*new, *dirty) if isinstance(o, _OWNED)])
        _check_dates(session, new, dirty, deleted, moves)
        _check_documents(session, new, dirty, deleted)
        _check_reconciliations(session, [o for o in new if isinstance(o, Reconciliation)])
        _check_settings(session, dirty)


def validate_rows(session: Session, model: type, operation: str, rows: list[dict]) -> None:
    """Set-based writes (core.bulk) of accounting rows: only a batch service's, and within the same rules.

    A batch creates drafts (entries unposted, lines unflagged) and posts them
    by writing the posting fields alone; dates stay after the lock date and
    outside closed years, and every reference stays within the row's company.
    The database's ledger triggers check the balance and the frozen rows.
    """
    if model not in models.ALL:
        return
    if not _allowed(session, BATCH_POSTING, None) or model not in _BATCH_CREATES:
        raise ValidationError(gettext("Accounting records are written in batches only by the accounting "
                                      "services that post them."))
    if operation == "create":
        if model is Move and any(row.get("state") != DRAFT for row in rows):
            raise ValidationError(gettext("A journal entry is created as a draft and posted with its number."))
        if model is MoveLine and any(row.get("posted") for row in rows):
            raise ValidationError(gettext("A line is posted exactly when its journal entry is; post the entry."))
        _check_row_companies(session, model, rows)
    else:
        allowed = {Move: _POSTING_FIELDS, MoveLine: {"posted", "updated_at"}, Invoice: _INVOICE_POSTING_FIELDS}.get(
            model, set())
        if any(set(row) - {"id"} - allowed for row in rows):
            raise ValidationError(gettext("A journal entry cannot be changed while it is being posted."))
        if model is Invoice:
            states = session.connection().execute(
                select(Invoice.state).where(Invoice.id.in_([row["id"] for row in rows]))).scalars()
            if any(state != DRAFT for state in states):
                raise ValidationError(gettext("Only draft invoices are posted."))
    if model is Move:
        dates: dict[int, set[dt.date]] = defaultdict(set)
        for row in rows:
            if "date" in row:
                dates[row["company_id"]].add(row["date"])
        _require_open_dates(session, dates)


def _check_row_companies(session, model, rows: list[dict]) -> None:
    """Every reference of new ``rows`` of ``model`` to a company-owned row points into the row's company."""
    for column in model.__table__.columns:
        for key in column.foreign_keys:
            target = _TARGETS.get(key.column.table)
            if target is None:
                continue
            refs = {row[column.key] for row in rows if row.get(column.key) is not None}
            if not refs:
                continue
            companies = dict(session.connection().execute(
                select(target.id, target.company_id).where(target.id.in_(refs))).all())
            for row in rows:
                ref = row.get(column.key)
                if ref in companies and companies[ref] != row["company_id"]:
                    raise ValidationError(gettext("%(model)s: %(field)s refers to a record of another company.",
                                                  model=model.__name__, field=column.key), column.key)


def _check_moves(session, new, dirty, deleted, moves):
    for move in (o for o in new if isinstance(o, Move)):
        if move.state == POSTED:
            raise ValidationError(gettext("A journal entry is created as a draft and posted with its number."))
    for move in (o for o in dirty if isinstance(o, Move)):
        old_state, _old_date, _company = moves[move.id]
        if old_state == POSTED:
            raise ValidationError(gettext("Journal entry %(name)s is posted and cannot be changed; "
                                          "reverse it instead.", name=move.number))
        if move.state == POSTED:
            if not _allowed(session, POSTING, move):
                raise ValidationError(gettext("A journal entry is posted only by posting it, which checks and "
                                              "numbers it; its state cannot be set by hand."))
            if _changed(move) - _POSTING_FIELDS:
                raise ValidationError(gettext("A journal entry cannot be changed while it is being posted."))
    for move in (o for o in deleted if isinstance(o, Move)):
        if moves[move.id][0] == POSTED:
            raise ValidationError(gettext("Journal entry %(name)s is posted and cannot be deleted; "
                                          "reverse it instead.", name=move.number))


def _check_lines(session, new, dirty, deleted):
    """Posted lines are frozen; a line is posted exactly when its entry is; no line enters or leaves a posted entry."""
    lines = [o for o in (*dirty, *deleted) if isinstance(o, MoveLine)]
    committed = _committed_state(session, MoveLine, lines, (MoveLine.posted, MoveLine.move_id))
    for line in lines:
        if committed[line.id][0]:
            raise ValidationError(gettext("The lines of a posted journal entry cannot be changed or deleted; "
                                          "reverse the entry instead."))
    changed = [o for o in (*new, *dirty) if isinstance(o, MoveLine)]
    targets = {id(line): _parent(session, line, "move", Move) for line in changed}
    move_ids = {move.id for move in targets.values() if move is not None and not _is_new(move)}
    move_ids |= {committed[o.id][1] for o in changed if not _is_new(o)}
    move_ids |= {o.move_id for o in (*changed, *deleted) if isinstance(o, MoveLine) and o.move_id}
    posted_ids = set(session.connection().execute(
        select(Move.id).where(Move.id.in_(move_ids), Move.state == POSTED)).scalars()) if move_ids else set()
    for line in changed:
        move = targets[id(line)]
        old_move_id = None if _is_new(line) else committed[line.id][1]
        if {old_move_id, line.move_id, move.id if move is not None else None} & posted_ids:
            raise ValidationError(gettext("No line can be added to, moved into or out of a posted journal entry."))
        if move is not None and bool(line.posted) != (move.state == POSTED):
            raise ValidationError(gettext("A line is posted exactly when its journal entry is; post the entry."))
    if any(line.move_id in posted_ids for line in deleted if isinstance(line, MoveLine)):
        raise ValidationError(gettext("The lines of a posted journal entry cannot be changed or deleted; "
                                      "reverse the entry instead."))


def require_balanced(lines) -> None:
    """Refuse an entry without lines, or whose debits and credits differ by as much as a cent."""
    debit = sum((line.debit or Decimal(0) for line in lines), Decimal(0))
    credit = sum((line.credit or Decimal(0) for line in lines), Decimal(0))
    if not lines:
        raise ValidationError(gettext("An entry without lines cannot be posted."))
    if debit != credit:
        raise ValidationError(gettext(
            "The entry is not balanced: debit %(debit)s, credit %(credit)s (difference %(diff)s).",
            debit=debit, credit=credit, diff=debit - credit))


def _check_posting_balances(moves):
    for move in moves:
        require_balanced(move.lines)
        if not all(line.posted for line in move.lines):
            raise ValidationError(gettext("A line is posted exactly when its journal entry is; post the entry."))


def _check_companies(session, objects):
    """Every reference of ``objects`` to a company-owned row points into the object's own company."""
    wanted: dict[type, dict[int, set]] = defaultdict(lambda: defaultdict(set))
    for obj in objects:
        mapper = inspect(type(obj))
        for relationship in mapper.relationships:
            target = relationship.mapper.class_
            if target.__table__ not in _TARGETS or relationship.key not in obj.__dict__:
                continue
            value = obj.__dict__[relationship.key]
            related = value if relationship.uselist else [value]
            if relationship.uselist and relationship.secondary is None:
                continue  # children point back to obj: checked as their own rows
            for other in related:
                if other is not None and other.company_id is not None and other.company_id != obj.company_id:
                    _foreign(obj, relationship.key)
        for prop in mapper.column_attrs:
            column = prop.columns[0]
            for key in column.foreign_keys:
                target = _TARGETS.get(key.column.table)
                value = getattr(obj, prop.key)
                if target is not None and value is not None:
                    wanted[target][value].add((obj, prop.key))
    for target, refs in wanted.items():
        companies = dict(session.connection().execute(
            select(target.id, target.company_id).where(target.id.in_(refs))).all())
        for ref_id, users in refs.items():
            for obj, key in users:
                if ref_id in companies and companies[ref_id] != obj.company_id:
                    _foreign(obj, key)


def _foreign(obj, key):
    raise ValidationError(gettext("%(model)s: %(field)s refers to a record of another company.",
                                  model=type(obj).__name__, field=key), key)


def _check_dates(session, new, dirty, deleted, moves):
    """Lock date and closed years: for new, changed and deleted entries, on the old and the new date."""
    dates: dict[int, set[dt.date]] = defaultdict(set)
    for move in (o for o in new if isinstance(o, Move)):
        dates[move.company_id].add(move.date)
    for move in (o for o in dirty if isinstance(o, Move)):
        dates[move.company_id].update({move.date, moves[move.id][1]})
    for move in (o for o in deleted if isinstance(o, Move)):
        dates[move.company_id].add(moves[move.id][1])
    invoices = [o for o in (*new, *dirty) if isinstance(o, Invoice) and o.state != DRAFT]
    committed = _committed_state(session, Invoice, invoices, (Invoice.state,))
    for invoice in invoices:
        if _is_new(invoice) or committed[invoice.id][0] == DRAFT:  # being posted now
            dates[invoice.company_id].add(invoice.date)
    _require_open_dates(session, dates)


def _require_open_dates(session, dates: dict[int, set[dt.date]]) -> None:
    """Refuse dates (by company) on or before the company's lock date, or inside a closed fiscal year."""
    if not dates:
        return
    connection = session.connection()
    locks = dict(connection.execute(select(Settings.company_id, Settings.lock_date)
                                    .where(Settings.company_id.in_(dates))).all())
    closing = session.info.get("accounting.closing_year")
    for company_id, company_dates in dates.items():
        lock = locks.get(company_id)
        if lock is not None and min(company_dates) <= lock:
            raise ValidationError(gettext(
                "The books are locked up to %(lock)s: nothing dated on or before it can be created, "
                "posted, changed or cancelled.", lock=lock.isoformat()))
        if closing:
            continue
        closed = connection.execute(select(FiscalYear.name, FiscalYear.date_start, FiscalYear.date_end).where(
            FiscalYear.company_id == company_id, FiscalYear.state == CLOSED,
            FiscalYear.date_start <= max(company_dates), FiscalYear.date_end >= min(company_dates))).all()
        for name, start, end in closed:
            if any(start <= date <= end for date in company_dates):
                raise ValidationError(gettext("Fiscal year %(name)s is closed.", name=name))


def _check_documents(session, new, dirty, deleted):
    _check_invoices(session, new, dirty, deleted)
    children = [o for o in (*new, *dirty, *deleted) if isinstance(o, (InvoiceLine, InvoiceTax))]
    if children:
        parents = [_parent(session, o, "invoice", Invoice) for o in children]
        ids = {o.id for o in parents if o is not None and not _is_new(o)}
        posted = set(session.connection().execute(
            select(Invoice.id).where(Invoice.id.in_(ids), Invoice.state != DRAFT)).scalars()) if ids else set()
        if posted or any(o is not None and _is_new(o) and o.state != DRAFT for o in parents):
            raise ValidationError(gettext("The lines of a posted invoice cannot be added, changed or deleted."))
    payments = [o for o in (*dirty, *deleted) if isinstance(o, Payment)]
    pay_states = _committed_state(session, Payment, payments, (Payment.state,))
    for payment in payments:
        old = pay_states[payment.id][0]
        if old == DRAFT:
            continue
        cancelling = (old == POSTED and payment.state == "cancelled" and _allowed(session, PAYMENT_CANCEL, payment)
                      and not (_changed(payment) - {"state", "updated_at"}))
        if payment in deleted or not cancelling:
            raise ValidationError(gettext("A posted payment cannot be changed or deleted; cancel it instead."))


def _check_invoices(session, new, dirty, deleted):
    for invoice in (o for o in new if isinstance(o, Invoice)):
        if invoice.state != DRAFT and not _allowed(session, INVOICE_POSTING, invoice):
            raise ValidationError(gettext("An invoice is created as a draft and posted with its journal entry."))
    invoices = [o for o in (*dirty, *deleted) if isinstance(o, Invoice)]
    states = _committed_state(session, Invoice, invoices, (Invoice.state,))
    for invoice in invoices:
        if states[invoice.id][0] == DRAFT:
            if invoice.state != DRAFT and not _allowed(session, INVOICE_POSTING, invoice):
                raise ValidationError(gettext("An invoice is posted only by posting it, which books its journal "
                                              "entry; its state cannot be set by hand."))
            continue
        allowed = {"updated_at"}
        if _allowed(session, INVOICE_PAYMENT_STATE, invoice):
            allowed |= _INVOICE_PAYMENT_FIELDS
        if invoice in deleted or (_changed(invoice) - allowed):
            raise ValidationError(gettext("Invoice %(name)s is posted: it cannot be changed or deleted; "
                                          "issue a credit note instead.", name=invoice.number))


def _check_reconciliations(session, rows):
    for row in rows:
        debit = _parent(session, row, "debit_line", MoveLine)
        credit = _parent(session, row, "credit_line", MoveLine)
        if (debit is None or credit is None or debit is credit or not (debit.posted and credit.posted)
                or debit.account_id != credit.account_id or debit.partner_id != credit.partner_id
                or not row.amount or row.amount <= 0):
            raise ValidationError(gettext("A reconciliation matches a positive amount between two posted lines "
                                          "of the same account and partner."))


def _check_settings(session, dirty):
    """Lock date moved back, closed year reopened, account type changed under posted lines."""
    actor = session.info.get("actor")
    settings = [o for o in dirty if isinstance(o, Settings)]
    locks = _committed_state(session, Settings, settings, (Settings.lock_date,))
    for row in settings:
        old = locks[row.id][0]
        if (old is not None and (row.lock_date is None or row.lock_date < old)
                and actor is not None and not actor.in_group(ADMIN_GROUP)):
            raise AccessDenied(gettext("Only an administrator may move the lock date back from %(lock)s.",
                                       lock=old.isoformat()))
    years = [o for o in dirty if isinstance(o, FiscalYear)]
    year_states = _committed_state(session, FiscalYear, years, (FiscalYear.state,))
    for year in years:
        if year_states[year.id][0] == CLOSED and actor is not None and _changed(year) - {"updated_at"}:
            raise AccessDenied(gettext("Fiscal year %(name)s is closed: it cannot be reopened or changed.",
                                       name=year.name))
    accounts = {o.id: o for o in dirty if isinstance(o, Account) and _changed(o) & {"type", "reconcile"}}
    used = session.connection().execute(select(MoveLine.account_id).where(
        MoveLine.account_id.in_(accounts), MoveLine.posted.is_(True)).limit(1)).scalar() if accounts else None
    if used is not None:
        raise ValidationError(gettext("Account %(code)s has posted entries: its type and reconciliation "
                                      "cannot change.", code=accounts[used].code), "type")


def _parent(session, obj, key: str, model):
    """The object ``obj.<key>`` refers to, as set in the session, without loading anything but by primary key."""
    if key in obj.__dict__:
        return obj.__dict__[key]
    fk = getattr(obj, f"{key}_id")
    return session.get(model, fk) if fk is not None else None


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
