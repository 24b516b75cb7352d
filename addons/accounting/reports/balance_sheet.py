"""Balance sheet at a date: assets, liabilities and equity, with the result not yet closed to equity.

Asset accounts are assets and liability accounts liabilities whatever their
sign; receivable, payable, bank, cash and tax accounts go under assets when
their balance is a debit and under liabilities when it is a credit (an
overdrawn bank account is a debt). Income and expense accounts are not
listed: their balance is the result, shown in equity, split into the
current fiscal year's and earlier years' not yet closed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.reports import MONEY, Column, Report

from ..models import Account, FiscalYear, MoveLine
from ..models.ledger import ASSET, EQUITY, LIABILITY, RESULT_TYPES
from ..services.currency import sql_money
from .base import BALANCE, ZERO, posted_of, require_ledger_read, sum_if

ASSETS, LIABILITIES, EQUITY_SECTION = "assets", "liabilities", "equity"
SECTIONS = {ASSETS: _l("Assets"), LIABILITIES: _l("Liabilities"), EQUITY_SECTION: _l("Equity")}


@dataclass(frozen=True)
class BalanceSheetRow:
    section: str
    code: str
    name: str
    amount: Decimal  # debit balance for assets, credit balance for liabilities and equity
    section_key: str


COLUMNS = (Column("section", _l("Section")), Column("code", _l("Account")), Column("name", _l("Name")),
           Column("amount", _l("Amount"), MONEY))


def _section(kind: str, balance: Decimal) -> str:
    if kind == EQUITY:
        return EQUITY_SECTION
    if kind == ASSET or (kind != LIABILITY and balance >= 0):
        return ASSETS
    return LIABILITIES


def balance_sheet(session: Session, company_id: int, at: dt.date) -> Report:
    require_ledger_read(session)
    year_start = session.scalar(select(FiscalYear.date_start).where(
        FiscalYear.company_id == company_id, FiscalYear.date_start <= at, FiscalYear.date_end >= at)) or at
    figures = (
        select(MoveLine.account_id.label("account_id"), func.sum(BALANCE).label("balance"),
               sum_if(MoveLine.date < year_start).label("earlier"))
        .where(posted_of(company_id), MoveLine.date <= at)
        .group_by(MoveLine.account_id)
        .subquery()
    )
    statement = (
        select(Account.type, Account.code, Account.name, figures.c.balance, figures.c.earlier)
        .join(figures, figures.c.account_id == Account.id)
        .order_by(Account.code)
    )
    rows, result, earlier_result = [], ZERO, ZERO
    for kind, code, name, balance, earlier in session.execute(statement):
        balance = sql_money(balance)
        if kind in RESULT_TYPES:
            result -= balance - sql_money(earlier)
            earlier_result -= sql_money(earlier)
            continue
        section = _section(kind, balance)
        rows.append(BalanceSheetRow(str(SECTIONS[section]), code, name,
                                    balance if section == ASSETS else -balance, section))
    for label, amount in ((_l("Result of earlier years not yet closed"), earlier_result),
                          (_l("Result of the current year"), result)):
        if amount:
            rows.append(BalanceSheetRow(str(SECTIONS[EQUITY_SECTION]), "", str(label), amount, EQUITY_SECTION))
    order = (ASSETS, LIABILITIES, EQUITY_SECTION)
    rows.sort(key=lambda row: order.index(row.section_key))
    total = {key: sum((row.amount for row in rows if row.section_key == key), ZERO) for key in order}
    totals = [(_l("Total assets"), {"amount": total[ASSETS]}),
              (_l("Total liabilities"), {"amount": total[LIABILITIES]}),
              (_l("Total equity"), {"amount": total[EQUITY_SECTION]}),
              (_l("Total liabilities and equity"), {"amount": total[LIABILITIES] + total[EQUITY_SECTION]})]
    return Report(_l("Balance sheet"), COLUMNS, rows, totals, filters=[(_l("At"), at)], slug="balance-sheet")
