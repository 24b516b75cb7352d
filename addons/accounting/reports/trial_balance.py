"""Trial balance: per account, the balance before the range, its debits and credits, and the closing balance."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.reports import MONEY, Column, Report

from ..models import Account, MoveLine
from ..services.currency import sql_money
from .base import check_range, column_totals, posted_of, require_ledger_read, sum_if


@dataclass(frozen=True)
class TrialBalanceRow:
    account_id: int
    code: str
    name: str
    type: str
    opening: Decimal
    debit: Decimal
    credit: Decimal
    closing: Decimal


COLUMNS = (
    Column("code", _l("Account")), Column("name", _l("Name")), Column("opening", _l("Opening"), MONEY),
    Column("debit", _l("Debit"), MONEY), Column("credit", _l("Credit"), MONEY),
    Column("closing", _l("Closing"), MONEY),
)


def trial_balance(session: Session, company_id: int, date_from: dt.date | None, date_to: dt.date) -> Report:
    """Every account with posted lines up to ``date_to``; ``opening`` is their balance before ``date_from``
    (all of it when ``date_from`` is None: then every line counts in debit and credit).

    Income and expense accounts carry earlier years' results in ``opening``
    until the year-end closing entry moves them to equity.
    """
    require_ledger_read(session)
    check_range(date_from, date_to)
    start = date_from or dt.date.min
    figures = (
        select(MoveLine.account_id.label("account_id"),
               sum_if(MoveLine.date < start).label("opening"),
               sum_if(MoveLine.date >= start, MoveLine.debit).label("debit"),
               sum_if(MoveLine.date >= start, MoveLine.credit).label("credit"))
        .where(posted_of(company_id), MoveLine.date <= date_to)
        .group_by(MoveLine.account_id)
        .subquery()
    )
    statement = (
        select(Account.id, Account.code, Account.name, Account.type, figures.c.opening, figures.c.debit,
               figures.c.credit)
        .join(figures, figures.c.account_id == Account.id)
        .order_by(Account.code)
    )
    rows = []
    for account_id, code, name, kind, opening, debit, credit in session.execute(statement):
        opening, debit, credit = sql_money(opening), sql_money(debit), sql_money(credit)
        rows.append(TrialBalanceRow(account_id, code, name, kind, opening, debit, credit, opening + debit - credit))
    totals = column_totals(rows, ("opening", "debit", "credit", "closing"))
    return Report(_l("Trial balance"), COLUMNS, rows, [(_l("Total"), totals)],
                  filters=[(_l("From"), date_from), (_l("To"), date_to)], slug="trial-balance")

