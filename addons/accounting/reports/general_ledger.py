"""General ledger: the posted lines of each account in a date range, with the running balance, page by page.

The running balance is a window function (SUM() OVER per account, by date
and line) added to the account's balance before the range, so a page deep
in a large ledger costs one query and no line is summed in Python.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from addons.contacts.models import Partner
from core.reports import DATE, MONEY, Column, Report

from ..models import Account, Move, MoveLine
from ..services.currency import sql_money
from .base import BALANCE, check_range, posted_of, require_ledger_read

PAGE_SIZE = 200


@dataclass(frozen=True)
class LedgerLine:
    account_code: str
    account_name: str
    date: dt.date
    move: str | None
    partner: str | None
    label: str | None
    debit: Decimal
    credit: Decimal
    balance: Decimal


COLUMNS = (
    Column("account_code", _l("Account")), Column("date", _l("Date"), DATE), Column("move", _l("Entry")),
    Column("partner", _l("Partner")), Column("label", _l("Label")), Column("debit", _l("Debit"), MONEY),
    Column("credit", _l("Credit"), MONEY), Column("balance", _l("Balance"), MONEY),
)


def general_ledger(session: Session, company_id: int, date_from: dt.date | None, date_to: dt.date, *,
                   account_ids: list[int] | None = None, page: int = 1,
                   page_size: int | None = PAGE_SIZE) -> Report:
    """Lines ordered by account code, date and line; ``page_size=None`` returns every line (exports)."""
    require_ledger_read(session)
    check_range(date_from, date_to)
    start = date_from or dt.date.min
    scope = [posted_of(company_id)]
    if account_ids is not None:
        scope.append(MoveLine.account_id.in_(account_ids))
    lines = (
        select(MoveLine.id, MoveLine.account_id, MoveLine.move_id, MoveLine.partner_id, MoveLine.date,
               MoveLine.name, MoveLine.debit, MoveLine.credit,
               func.sum(BALANCE).over(partition_by=MoveLine.account_id,
                                      order_by=(MoveLine.date, MoveLine.id)).label("cumulated"))
        .where(*scope, MoveLine.date >= start, MoveLine.date <= date_to)
        .subquery()
    )
    opening = (
        select(MoveLine.account_id.label("account_id"), func.sum(BALANCE).label("amount"))
        .where(*scope, MoveLine.date < start)
        .group_by(MoveLine.account_id)
        .subquery()
    )
    statement = (
        select(Account.code, Account.name, lines.c.date, Move.number, Partner.name, lines.c.name, lines.c.debit,
               lines.c.credit, func.coalesce(opening.c.amount, 0) + lines.c.cumulated)
        .select_from(lines)
        .join(Account, Account.id == lines.c.account_id)
        .join(Move, Move.id == lines.c.move_id)
        .outerjoin(Partner, Partner.id == lines.c.partner_id)
        .outerjoin(opening, opening.c.account_id == lines.c.account_id)
        .order_by(Account.code, lines.c.date, lines.c.id)
    )
    count = session.scalar(select(func.count(MoveLine.id)).where(*scope, MoveLine.date >= start,
                                                                 MoveLine.date <= date_to))
    pages = 1
    if page_size is not None:
        pages = max(1, -(-count // page_size))
        page = min(max(1, page), pages)
        statement = statement.limit(page_size).offset((page - 1) * page_size)
    rows = [LedgerLine(code, name, date, number, partner, label, sql_money(debit), sql_money(credit), sql_money(balance))
            for code, name, date, number, partner, label, debit, credit, balance in session.execute(statement)]
    return Report(_l("General ledger"), COLUMNS, rows, filters=[(_l("From"), date_from), (_l("To"), date_to)],
                  page=page, pages=pages, slug="general-ledger")
