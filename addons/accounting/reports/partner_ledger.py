"""Partner ledger: what each partner owes or is owed, on receivable and payable accounts."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from addons.contacts.models import Partner
from core.reports import MONEY, Column, Report

from ..models import Account, MoveLine
from ..models.ledger import ACCOUNT_TYPES, PAYABLE, RECEIVABLE
from ..services.currency import sql_money
from .base import check_range, column_totals, posted_of, require_ledger_read, sum_if


@dataclass(frozen=True)
class PartnerLedgerRow:
    partner_id: int | None
    partner: str
    account_type: str
    opening: Decimal
    debit: Decimal
    credit: Decimal
    closing: Decimal


COLUMNS = (
    Column("partner", _l("Partner")), Column("account_type", _l("Type")), Column("opening", _l("Opening"), MONEY),
    Column("debit", _l("Debit"), MONEY), Column("credit", _l("Credit"), MONEY),
    Column("closing", _l("Closing"), MONEY),
)


def partner_ledger(session: Session, company_id: int, date_from: dt.date | None, date_to: dt.date, *,
                   kinds: tuple[str, ...] = (RECEIVABLE, PAYABLE)) -> Report:
    """Per partner and account type (receivable, payable): opening balance, debits, credits and closing
    balance (debit less credit: positive means the partner owes the company)."""
    require_ledger_read(session)
    check_range(date_from, date_to)
    start = date_from or dt.date.min
    figures = (
        select(MoveLine.partner_id.label("partner_id"), Account.type.label("type"),
               sum_if(MoveLine.date < start).label("opening"),
               sum_if(MoveLine.date >= start, MoveLine.debit).label("debit"),
               sum_if(MoveLine.date >= start, MoveLine.credit).label("credit"))
        .join(Account, Account.id == MoveLine.account_id)
        .where(posted_of(company_id), MoveLine.date <= date_to, Account.type.in_(kinds))
        .group_by(MoveLine.partner_id, Account.type)
        .subquery()
    )
    statement = (
        select(figures.c.partner_id, Partner.name, figures.c.type, figures.c.opening, figures.c.debit,
               figures.c.credit)
        .select_from(figures)
        .outerjoin(Partner, Partner.id == figures.c.partner_id)
        .order_by(Partner.name, figures.c.partner_id, figures.c.type)
    )
    labels = dict(ACCOUNT_TYPES)
    rows = []
    for partner_id, name, kind, opening, debit, credit in session.execute(statement):
        opening, debit, credit = sql_money(opening), sql_money(debit), sql_money(credit)
        rows.append(PartnerLedgerRow(partner_id, name or str(_l("(no partner)")), str(labels.get(kind, kind)),
                                     opening, debit, credit, opening + debit - credit))
    return Report(_l("Partner ledger"), COLUMNS, rows,
                  [(_l("Total"), column_totals(rows, ("opening", "debit", "credit", "closing")))],
                  filters=[(_l("From"), date_from), (_l("To"), date_to)], slug="partner-ledger")
