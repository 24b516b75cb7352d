"""Commission statements: a salesperson's commission for a period, computed from posted invoices and payments,
then confirmed by a sales manager.

Whose plan: the salesperson's own active plan, else the active plan of the
sales team they belong to (two teams with plans is refused: give them a plan
of their own). Whose invoices: the lines of posted customer invoices and
credit notes linked to the salesperson's orders (:class:`InvoiceLineLink`).
A line's revenue is its untaxed subtotal; its margin is that less its
quantity at the order line's unit cost (down payments and their deductions
carry no margin: it is earned when the goods are invoiced). Amounts are
converted to the company's currency at the invoice's rate.

When invoiced, the documents dated in the period count: invoices for their
base, credit notes linked to them against it. When paid, an invoice counts
for the share of it paid in the period: ``F(to) - F(from - 1 day)`` where
``F(day)`` is what payments reconciled with it by that day cover of its
total, but never more than its total less its credit notes posted by that
day (``min(paid, total - credited) / total``). Part payments thus count pro
rata on their dates, a credit note lowers what there is to pay for, and one
posted after the invoice was paid takes back its share in its own period.
A credited invoice's margin is taken back pro rata to the amounts, not per
line.

Invoices, payments and plans are read as the system: a salesperson sees
their own statement without being granted accounting's records or the plans.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from addons.accounting.models import Invoice, InvoiceLine, MoveLine, Payment, Reconciliation
from addons.accounting.models.invoicing import OUT_INVOICE, OUT_REFUND
from addons.accounting.models.invoicing import POSTED as INVOICE_POSTED
from addons.accounting.models.payments import POSTED as PAYMENT_POSTED
from addons.accounting.services.currency import company_currency, round_amount
from addons.contacts.models import Partner
from core.commissions import CommissionAmount
from core.db import utcnow
from core.errors import AccessDenied, ValidationError
from core.models import User
from core.sequences import next_number
from core.sessions import system_rows

from ..models import (
    MARGIN,
    ON_PAYMENT,
    STATEMENT_CANCELLED,
    STATEMENT_CONFIRMED,
    CommissionPlan,
    CommissionStatement,
    CommissionStatementBand,
    CommissionStatementLine,
    InvoiceLineLink,
    SaleOrder,
    SaleOrderLine,
    team_members,
)
from ..security import MANAGER
from .commission_plans import BandPart, banded

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class CountedDocument:
    """An invoice or credit note as a statement counts it: ``share`` (percent) of its ``full`` base gives
    ``base``, in the company's currency."""

    invoice_id: int
    number: str
    customer: str
    date: dt.date
    kind: str
    full: Decimal
    share: Decimal
    base: Decimal


@dataclass(frozen=True)
class Preview:
    """A statement as computed now (not stored): the plan, the documents, the bands and the commission."""

    user: User
    plan_id: int
    plan_name: str
    base_kind: str
    trigger: str
    date_from: dt.date
    date_to: dt.date
    currency_code: str
    documents: list[CountedDocument]
    bands: list[BandPart]

    @property
    def base(self) -> Decimal:
        return sum((document.base for document in self.documents), ZERO)

    @property
    def amount(self) -> Decimal:
        return sum((band.amount for band in self.bands), ZERO)


# --- whose plan ---------------------------------------------------------------------------------------------


def plan_of(session: Session, company_id: int, *, user_id: int) -> CommissionPlan | None:
    """The salesperson's own active plan, else their team's; two teams with plans is refused (read with
    the session given: :func:`compute_statement` gives a system one)."""
    own = session.scalars(select(CommissionPlan).where(
        CommissionPlan.company_id == company_id, CommissionPlan.active.is_(True),
        CommissionPlan.user_id == user_id)).first()
    if own is not None:
        return own
    teams = session.scalars(select(CommissionPlan).where(
        CommissionPlan.company_id == company_id, CommissionPlan.active.is_(True),
        CommissionPlan.team_id.in_(select(team_members.c.team_id).where(team_members.c.user_id == user_id)))
        .order_by(CommissionPlan.name)).all()
    if len(teams) > 1:
        raise ValidationError(gettext("This salesperson belongs to several teams with a commission plan (%(plans)s): "
                                      "give them a plan of their own.", plans=", ".join(p.name for p in teams)),
                              "user_id")
    return teams[0] if teams else None


# --- computing ----------------------------------------------------------------------------------------------


def _check_period(date_from, date_to) -> None:
    if not isinstance(date_from, dt.date):
        raise ValidationError(gettext("Choose the first day of the period."), "date_from")
    if not isinstance(date_to, dt.date):
        raise ValidationError(gettext("Choose the last day of the period."), "date_to")
    if date_to < date_from:
        raise ValidationError(gettext("The period ends (%(end)s) before it starts (%(start)s).",
                                      end=date_to.isoformat(), start=date_from.isoformat()), "date_to")


def _salesperson(session: Session, user_id) -> User:
    """The user the statement is for; a salesperson may only ask for their own."""
    actor = session.info.get("actor")
    if actor is not None and not actor.in_group(MANAGER) and user_id != actor.user_id:
        raise AccessDenied(gettext("You can only see your own commission statements."))
    with system_rows(session) as system:
        user = system.get(User, user_id) if isinstance(user_id, int) else None
    if user is None:
        raise ValidationError(gettext("Choose the salesperson."), "user_id")
    return user


def compute_statement(session: Session, company_id: int, *, user_id: int, date_from: dt.date,
                      date_to: dt.date) -> Preview:
    """The salesperson's commission for the period as the invoices and payments stand now (nothing stored)."""
    _check_period(date_from, date_to)
    user = _salesperson(session, user_id)
    currency = company_currency(session, company_id)
    with system_rows(session) as system:
        plan = plan_of(system, company_id, user_id=user.id)
        if plan is None:
            raise ValidationError(gettext("%(user)s has no commission plan, nor has any of their sales teams.",
                                          user=user.name), "user_id")
        if plan.trigger == ON_PAYMENT:
            documents = _paid(system, company_id, user.id, plan.base, date_from, date_to, currency)
        else:
            documents = _invoiced(system, company_id, user.id, plan.base, date_from, date_to)
        base = sum((document.base for document in documents), ZERO)
        return Preview(user, plan.id, plan.name, plan.base, plan.trigger, date_from, date_to, currency, documents,
                       banded(base, plan.bands))


def _document_bases(system: Session, company_id: int, user_id: int, base_kind: str, conditions) -> dict:
    """invoice id -> (its row, its base in its own currency) over the lines linked to the user's orders."""
    rows = system.execute(
        select(Invoice.id, Invoice.kind, Invoice.number, Invoice.date, Invoice.rate, Invoice.amount_total,
               Partner.name, InvoiceLine.quantity, InvoiceLine.subtotal, InvoiceLineLink.order_line_id,
               SaleOrderLine.cost)
        .select_from(InvoiceLineLink)
        .join(InvoiceLine, InvoiceLine.id == InvoiceLineLink.invoice_line_id)
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .join(SaleOrder, SaleOrder.id == InvoiceLineLink.order_id)
        .join(Partner, Partner.id == Invoice.partner_id)
        .outerjoin(SaleOrderLine, SaleOrderLine.id == InvoiceLineLink.order_line_id)
        .where(Invoice.company_id == company_id, SaleOrder.user_id == user_id, Invoice.state == INVOICE_POSTED,
               *conditions)
        .order_by(Invoice.date, Invoice.id)).all()
    found: dict[int, list] = {}
    for row in rows:
        if base_kind == MARGIN:
            amount = row.subtotal - row.quantity * row.cost if row.order_line_id is not None else ZERO
        else:
            amount = row.subtotal
        entry = found.setdefault(row.id, [row, ZERO])
        entry[1] += amount
    return found


def _company_amount(amount: Decimal, rate: Decimal) -> Decimal:
    return round_amount(amount * rate)


def _invoiced(system, company_id, user_id, base_kind, date_from, date_to) -> list[CountedDocument]:
    found = _document_bases(system, company_id, user_id, base_kind, (
        Invoice.kind.in_((OUT_INVOICE, OUT_REFUND)), Invoice.date >= date_from, Invoice.date <= date_to))
    documents = []
    for row, amount in found.values():
        sign = -1 if row.kind == OUT_REFUND else 1
        full = _company_amount(amount, row.rate) * sign
        documents.append(CountedDocument(row.id, row.number, row.name, row.date, row.kind, full, HUNDRED, full))
    return documents


def _paid(system, company_id, user_id, base_kind, date_from, date_to, currency) -> list[CountedDocument]:
    found = _document_bases(system, company_id, user_id, base_kind, (
        Invoice.kind == OUT_INVOICE, Invoice.date <= date_to, Invoice.amount_total != 0))
    if not found:
        return []
    payments = _payments(system, list(found), date_to, currency)
    credits = _credits(system, list(found), date_to)
    start = date_from - DAY
    documents = []
    for invoice_id, (row, amount) in found.items():
        total = row.amount_total
        share = (_covered(payments[invoice_id], credits[invoice_id], total, date_to)
                 - _covered(payments[invoice_id], credits[invoice_id], total, start))
        if not share:
            continue
        events = [day for day, _amount in payments[invoice_id] + credits[invoice_id] if date_from <= day <= date_to]
        full = _company_amount(amount, row.rate)
        documents.append(CountedDocument(invoice_id, row.number, row.name, max(events, default=row.date), row.kind,
                                         full, (share * HUNDRED).quantize(Decimal("0.0001")),
                                         round_amount(full * share)))
    return sorted(documents, key=lambda document: (document.date, document.invoice_id))


def _covered(payments, credits, total: Decimal, day: dt.date) -> Decimal:
    """The share of an invoice (0 to 1) paid by ``day``, at most what its credit notes left to pay."""
    paid = sum((amount for when, amount in payments if when <= day), ZERO)
    credited = sum((amount for when, amount in credits if when <= day), ZERO)
    return max(min(paid, total - credited), ZERO) / total


def _payments(system, invoice_ids, date_to, currency) -> dict[int, list[tuple[dt.date, Decimal]]]:
    """invoice id -> (date, amount in the invoice's currency) of each payment reconciled with it by ``date_to``."""
    receivable, counterpart = aliased(MoveLine), aliased(MoveLine)
    rows = system.execute(
        select(Invoice.id, Invoice.currency_code, Invoice.rate, Reconciliation.date, Reconciliation.amount,
               Reconciliation.amount_currency)
        .join(receivable, receivable.move_id == Invoice.move_id)
        .join(Reconciliation, Reconciliation.debit_line_id == receivable.id)
        .join(counterpart, counterpart.id == Reconciliation.credit_line_id)
        .join(Payment, Payment.move_id == counterpart.move_id)
        .where(Invoice.id.in_(invoice_ids), Payment.state == PAYMENT_POSTED, Reconciliation.date <= date_to)).all()
    found = defaultdict(list)
    for invoice_id, invoice_currency, rate, day, amount, amount_currency in rows:
        if invoice_currency != currency:
            amount = amount_currency if amount_currency is not None else amount / rate
        found[invoice_id].append((day, amount))
    return found


def _credits(system, invoice_ids, date_to) -> dict[int, list[tuple[dt.date, Decimal]]]:
    """invoice id -> (date, total) of its posted credit notes dated by ``date_to``."""
    rows = system.execute(select(Invoice.origin_invoice_id, Invoice.date, Invoice.amount_total).where(
        Invoice.origin_invoice_id.in_(invoice_ids), Invoice.kind == OUT_REFUND, Invoice.state == INVOICE_POSTED,
        Invoice.date <= date_to)).all()
    found = defaultdict(list)
    for invoice_id, day, amount in rows:
        found[invoice_id].append((day, amount))
    return found


# --- confirming ---------------------------------------------------------------------------------------------


def _require_manager(session: Session, message: str) -> None:
    actor = session.info.get("actor")
    if actor is not None and not actor.in_group(MANAGER):
        raise AccessDenied(message)


def confirm_statement(session: Session, company_id: int, *, user_id: int, date_from: dt.date,
                      date_to: dt.date) -> CommissionStatement:
    """Compute the statement and keep it, with copies of its documents and bands (a sales manager only);
    refused when a confirmed statement of the salesperson covers any day of the period."""
    _require_manager(session, gettext("Only a sales manager can confirm a commission statement."))
    preview = compute_statement(session, company_id, user_id=user_id, date_from=date_from, date_to=date_to)
    overlapping = session.scalars(select(CommissionStatement).where(
        CommissionStatement.company_id == company_id, CommissionStatement.user_id == preview.user.id,
        CommissionStatement.state == STATEMENT_CONFIRMED, CommissionStatement.date_from <= date_to,
        CommissionStatement.date_to >= date_from)).first()
    if overlapping is not None:
        raise ValidationError(gettext(
            "%(reference)s already pays %(user)s's commission from %(start)s to %(end)s: cancel it to confirm "
            "this period again.", reference=overlapping.reference, user=preview.user.name,
            start=overlapping.date_from.isoformat(), end=overlapping.date_to.isoformat()), "date_from")
    actor = session.info.get("actor")
    with session.begin_nested():
        statement = CommissionStatement(
            company_id=company_id, user_id=preview.user.id, plan_id=preview.plan_id, plan_name=preview.plan_name,
            base_kind=preview.base_kind, trigger=preview.trigger, date_from=date_from, date_to=date_to,
            currency_code=preview.currency_code, base_amount=preview.base, amount=preview.amount,
            state=STATEMENT_CONFIRMED, confirmed_at=utcnow(),
            confirmed_by_id=actor.user_id if actor is not None else None,
            reference=_reference(session, company_id, date_to),
            lines=[CommissionStatementLine(company_id=company_id, sequence=index, invoice_id=d.invoice_id,
                                           number=d.number, customer=d.customer[:255], date=d.date,
                                           share=d.share, base_amount=d.base)
                   for index, d in enumerate(preview.documents, start=1)],
            bands=[CommissionStatementBand(company_id=company_id, sequence=index, amount_from=b.amount_from,
                                           amount_to=b.amount_to, rate=b.rate, base_amount=b.base, amount=b.amount)
                   for index, b in enumerate(preview.bands, start=1)])
        session.add(statement)
        session.flush()
    return statement


def _reference(session: Session, company_id: int, date_to: dt.date) -> str:
    year = date_to.year
    return f"COM/{year}/{next_number(session, company_id, 'sales.commission', str(year)):05d}"


def cancel_statement(session: Session, statement: CommissionStatement) -> CommissionStatement:
    """Cancel a confirmed statement (a sales manager only), so that its period can be confirmed again."""
    _require_manager(session, gettext("Only a sales manager can cancel a commission statement."))
    if statement.state != STATEMENT_CONFIRMED:
        raise ValidationError(gettext("%(reference)s is cancelled already.", reference=statement.reference),
                              "state")
    actor = session.info.get("actor")
    statement.state = STATEMENT_CANCELLED
    statement.cancelled_at = utcnow()
    statement.cancelled_by_id = actor.user_id if actor is not None else None
    session.flush()
    return statement


def statement_of(session: Session, company_id: int, *, user_id: int, date_from: dt.date,
                 date_to: dt.date) -> CommissionStatement | None:
    """The confirmed statement of exactly that salesperson and period, if there is one (as the user sees it)."""
    return session.scalars(select(CommissionStatement).where(
        CommissionStatement.company_id == company_id, CommissionStatement.user_id == user_id,
        CommissionStatement.state == STATEMENT_CONFIRMED, CommissionStatement.date_from == date_from,
        CommissionStatement.date_to == date_to)).first()


# --- for payroll --------------------------------------------------------------------------------------------


def confirmed_amounts(session: Session, company_id: int, *, date_from: dt.date,
                      date_to: dt.date) -> list[CommissionAmount]:
    """The ``commission_amounts`` hook: each confirmed statement of the company whose period ends within
    ``date_from``..``date_to``, so each is paid by one payroll period."""
    with system_rows(session) as system:
        rows = system.scalars(select(CommissionStatement).where(
            CommissionStatement.company_id == company_id, CommissionStatement.state == STATEMENT_CONFIRMED,
            CommissionStatement.date_to >= date_from, CommissionStatement.date_to <= date_to)
            .order_by(CommissionStatement.user_id, CommissionStatement.date_from)).all()
        return [CommissionAmount(user_id=row.user_id, date_from=row.date_from, date_to=row.date_to,
                                 amount=row.amount, currency_code=row.currency_code, reference=row.reference)
                for row in rows]
