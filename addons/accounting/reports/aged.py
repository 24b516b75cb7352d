"""Aged receivables and payables: each partner's open amounts by how long they are overdue at a date.

A line's residual is its amount less the reconciliations dated on or before
the date: one grouped subquery over ``Reconciliation`` gives each line its
matched amount (positive on the debit side, negative on the credit side).
Lines fall in buckets by their due date (the line date when it has none)
against cut-off dates computed here, so the SQL needs no date arithmetic
and runs the same on SQLite and PostgreSQL.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select, union_all
from sqlalchemy.orm import Session

from addons.contacts.models import Partner
from core.reports import MONEY, Column, Report

from ..models import Account, MoveLine, Reconciliation
from ..models.ledger import PAYABLE, RECEIVABLE
from ..services.currency import sql_money
from .base import ZERO, column_totals, posted_of, require_ledger_read, sum_if

BUCKETS = ("not_due", "days_1_30", "days_31_60", "days_61_90", "older")


@dataclass(frozen=True)
class AgedRow:
    partner_id: int | None
    partner: str
    not_due: Decimal
    days_1_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    older: Decimal
    total: Decimal


COLUMNS = (
    Column("partner", _l("Partner")), Column("not_due", _l("Not due"), MONEY),
    Column("days_1_30", _l("1-30 days"), MONEY), Column("days_31_60", _l("31-60 days"), MONEY),
    Column("days_61_90", _l("61-90 days"), MONEY), Column("older", _l("Over 90 days"), MONEY),
    Column("total", _l("Total"), MONEY),
)


def _matched(at: dt.date):
    """Per line, the amount reconciled on or before ``at``: + on its debit side, - on its credit side."""
    sides = union_all(
        select(Reconciliation.debit_line_id.label("line_id"), Reconciliation.amount.label("amount"))
        .where(Reconciliation.date <= at),
        select(Reconciliation.credit_line_id.label("line_id"), (-Reconciliation.amount).label("amount"))
        .where(Reconciliation.date <= at),
    ).subquery()
    return select(sides.c.line_id, func.sum(sides.c.amount).label("amount")).group_by(sides.c.line_id).subquery()


def _statement(company_id: int, account_type: str, at: dt.date):
    """The open amount of each partner in each bucket, as one SELECT."""
    matched = _matched(at)
    residual = MoveLine.debit - MoveLine.credit - func.coalesce(matched.c.amount, 0)
    if account_type == PAYABLE:
        residual = -residual
    due = func.coalesce(MoveLine.date_maturity, MoveLine.date)
    cut = [at - dt.timedelta(days=days) for days in (30, 60, 90)]
    buckets = (
        sum_if(due >= at, residual),
        sum_if(and_(due < at, due >= cut[0]), residual),
        sum_if(and_(due < cut[0], due >= cut[1]), residual),
        sum_if(and_(due < cut[1], due >= cut[2]), residual),
        sum_if(due < cut[2], residual),
    )
    figures = (
        select(MoveLine.partner_id.label("partner_id"), *(b.label(name) for b, name in zip(buckets, BUCKETS)))
        .join(Account, Account.id == MoveLine.account_id)
        .outerjoin(matched, matched.c.line_id == MoveLine.id)
        .where(posted_of(company_id), MoveLine.date <= at, Account.type == account_type)
        .group_by(MoveLine.partner_id)
        .subquery()
    )
    return (
        select(figures.c.partner_id, Partner.name, *(figures.c[name] for name in BUCKETS))
        .select_from(figures)
        .outerjoin(Partner, Partner.id == figures.c.partner_id)
        .order_by(Partner.name, figures.c.partner_id)
    )


def _aged(session: Session, company_id: int, at: dt.date, account_type: str, title, slug: str) -> Report:
    require_ledger_read(session)
    rows = []
    for partner_id, name, *amounts in session.execute(_statement(company_id, account_type, at)):
        amounts = [sql_money(amount) for amount in amounts]
        if any(amounts):
            rows.append(AgedRow(partner_id, name or str(_l("(no partner)")), *amounts, sum(amounts, ZERO)))
    return Report(title, COLUMNS, rows, [(_l("Total"), column_totals(rows, (*BUCKETS, "total")))],
                  filters=[(_l("At"), at)], slug=slug)


def aged_receivables(session: Session, company_id: int, at: dt.date) -> Report:
    """What customers owe at ``at`` (positive), by days overdue."""
    return _aged(session, company_id, at, RECEIVABLE, _l("Aged receivables"), "aged-receivables")


def aged_payables(session: Session, company_id: int, at: dt.date) -> Report:
    """What the company owes suppliers at ``at`` (positive), by days overdue."""
    return _aged(session, company_id, at, PAYABLE, _l("Aged payables"), "aged-payables")
