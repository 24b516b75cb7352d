"""Profit and loss: income and expense per account over a date range, their totals and the result."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.reports import MONEY, Column, Report

from ..models import Account, MoveLine
from ..models.ledger import EXPENSE, INCOME, RESULT_TYPES
from ..services.currency import sql_money
from .base import BALANCE, ZERO, check_range, posted_of, require_ledger_read

SECTIONS = {INCOME: _l("Income"), EXPENSE: _l("Expenses")}


@dataclass(frozen=True)
class ProfitLossRow:
    section: str
    type: str
    code: str
    name: str
    amount: Decimal


COLUMNS = (Column("section", _l("Section")), Column("code", _l("Account")), Column("name", _l("Name")),
           Column("amount", _l("Amount"), MONEY))


def profit_and_loss(session: Session, company_id: int, date_from: dt.date | None, date_to: dt.date) -> Report:
    """Income (credit less debit) and expenses (debit less credit) per account; result = income - expenses."""
    require_ledger_read(session)
    check_range(date_from, date_to)
    figures = (
        select(MoveLine.account_id.label("account_id"), func.sum(BALANCE).label("balance"))
        .where(posted_of(company_id), MoveLine.date >= (date_from or dt.date.min), MoveLine.date <= date_to)
        .group_by(MoveLine.account_id)
        .subquery()
    )
    statement = (
        select(Account.type, Account.code, Account.name, figures.c.balance)
        .join(figures, figures.c.account_id == Account.id)
        .where(Account.type.in_(RESULT_TYPES))
        .order_by(Account.type.desc(), Account.code)  # income first
    )
    rows = []
    for kind, code, name, balance in session.execute(statement):
        amount = -sql_money(balance) if kind == INCOME else sql_money(balance)
        rows.append(ProfitLossRow(str(SECTIONS[kind]), kind, code, name, amount))
    income = sum((row.amount for row in rows if row.type == INCOME), ZERO)
    expense = sum((row.amount for row in rows if row.type == EXPENSE), ZERO)
    totals = [(_l("Total income"), {"amount": income}), (_l("Total expenses"), {"amount": expense}),
              (_l("Result"), {"amount": income - expense})]
    return Report(_l("Profit and loss"), COLUMNS, rows, totals,
                  filters=[(_l("From"), date_from), (_l("To"), date_to)], slug="profit-and-loss")
