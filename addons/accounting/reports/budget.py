"""Budget against actual: each budget line (account, period) beside the posted balance of that account
in that period, the variance and the share of the budget used."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select, true
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.reports import MONEY, PERCENT, Column, Report

from ..models import Account, Budget, BudgetLine, MoveLine, Period
from ..services.currency import sql_money
from .base import BALANCE, column_totals, percent, require_ledger_read


@dataclass(frozen=True)
class BudgetRow:
    code: str
    name: str
    period: str
    budget: Decimal
    actual: Decimal
    variance: Decimal
    percent: Decimal | None


COLUMNS = (
    Column("code", _l("Account")), Column("name", _l("Name")), Column("period", _l("Period")),
    Column("budget", _l("Budget"), MONEY), Column("actual", _l("Actual"), MONEY),
    Column("variance", _l("Variance"), MONEY), Column("percent", _l("Used of budget (%)"), PERCENT),
)


def budget_vs_actual(session: Session, budget_id: int) -> Report:
    """Amounts are balances (debit less credit, so income is negative on both sides); variance = actual -
    budget; percent = actual / budget x 100 (empty when the budget is zero)."""
    require_ledger_read(session)
    budget = session.get(Budget, budget_id)
    if budget is None:
        raise ValidationError(gettext("Budget %(id)s does not exist.", id=budget_id), "budget_id")
    statement = (
        select(Account.code, Account.name, Period.name, BudgetLine.amount, func.sum(BALANCE))
        .select_from(BudgetLine)
        .join(Account, Account.id == BudgetLine.account_id)
        .join(Period, Period.id == BudgetLine.period_id)
        .outerjoin(MoveLine, and_(MoveLine.account_id == BudgetLine.account_id,
                                  MoveLine.company_id == BudgetLine.company_id, MoveLine.posted == true(),
                                  MoveLine.date >= Period.date_start, MoveLine.date <= Period.date_end))
        .where(BudgetLine.budget_id == budget.id)
        .group_by(BudgetLine.id, Account.code, Account.name, Period.name, Period.date_start, BudgetLine.amount)
        .order_by(Account.code, Period.date_start)
    )
    rows = []
    for code, name, period, planned, actual in session.execute(statement):
        planned, actual = sql_money(planned), sql_money(actual)
        rows.append(BudgetRow(code, name, period, planned, actual, actual - planned, percent(actual, planned)))
    totals = column_totals(rows, ("budget", "actual", "variance"))
    totals["percent"] = percent(totals["actual"], totals["budget"])
    return Report(_l("Budget against actual"), COLUMNS, rows, [(_l("Total"), totals)],
                  filters=[(_l("Budget"), budget.name)], slug="budget-vs-actual")
