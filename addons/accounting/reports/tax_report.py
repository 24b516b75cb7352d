"""Tax report: per period and tax (and account, so reverse charge shows both halves), the base and the tax.

Figures come from tax lines: ``tax_base_amount`` for the base and the
line's balance for the tax, shown positive for what the tax normally is
(sales tax collected: credit; purchase tax deductible: debit), so credit
notes and reversals come out negative.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.reports import MONEY, Column, Report

from ..models import Account, Move, MoveLine, Period, Tax
from ..models.taxes import SALE
from ..services.currency import sql_money
from .base import BALANCE, check_range, column_totals, posted_of, require_ledger_read


@dataclass(frozen=True)
class TaxRow:
    period: str
    tax_code: str
    tax: str
    account: str
    base: Decimal
    amount: Decimal


COLUMNS = (Column("period", _l("Period")), Column("tax", _l("Tax")), Column("account", _l("Account")),
           Column("base", _l("Base"), MONEY), Column("amount", _l("Tax amount"), MONEY))


def tax_report(session: Session, company_id: int, date_from: dt.date | None, date_to: dt.date) -> Report:
    require_ledger_read(session)
    check_range(date_from, date_to)
    statement = (
        select(Period.name, Tax.code, Tax.name, Tax.use, Account.code, func.sum(MoveLine.tax_base_amount),
               func.sum(BALANCE))
        .select_from(MoveLine)
        .join(Tax, Tax.id == MoveLine.tax_id)
        .join(Account, Account.id == MoveLine.account_id)
        .join(Move, Move.id == MoveLine.move_id)
        .outerjoin(Period, Period.id == Move.period_id)
        .where(posted_of(company_id), MoveLine.date >= (date_from or dt.date.min), MoveLine.date <= date_to)
        .group_by(Period.id, Period.name, Period.date_start, Tax.id, Tax.code, Tax.name, Tax.use, Tax.sequence,
                  Account.code)
        .order_by(Period.date_start, Tax.sequence, Tax.code, Account.code)
    )
    rows = []
    for period, code, name, use, account, base, balance in session.execute(statement):
        amount = -sql_money(balance) if use == SALE else sql_money(balance)
        rows.append(TaxRow(period or "", code, name, account, sql_money(base), amount))
    return Report(_l("Tax report"), COLUMNS, rows, [(_l("Total"), column_totals(rows, ("base", "amount")))],
                  filters=[(_l("From"), date_from), (_l("To"), date_to)], slug="tax-report")
