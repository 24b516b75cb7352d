"""What every accounting report shares: its shape (title, columns, rows, totals), money from SQL, access.

A report is computed by one or a few aggregate SELECTs run through the
user's session, so model access and record rules (companies) apply; no
move line is loaded into Python. Exports (:mod:`.exports`) work on any
:class:`Report`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext
from sqlalchemy import and_, case, func, true
from sqlalchemy.orm import Session

from core.errors import AccessDenied, ValidationError

from ..models import MoveLine
from ..services.currency import CENT

ZERO = Decimal("0.00")
TEXT, MONEY, PERCENT, DATE = "text", "money", "percent", "date"


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if not whole else (part * 100 / whole).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Column:
    """``key`` names the row attribute; ``kind`` tells exports how to format it (text, money, percent, ...)."""

    key: str
    label: object
    kind: str = TEXT


@dataclass
class Report:
    """A computed report: rows are dataclass instances with one attribute per column key.

    ``totals`` are (label, {column key: value}) lines printed under the rows;
    ``filters`` lists (label, value) pairs describing what was
    asked; ``page``/``pages`` are set on paginated reports.
    """

    title: object
    columns: tuple[Column, ...]
    rows: list
    totals: list[tuple[object, dict]] = field(default_factory=list)
    filters: list[tuple[object, object]] = field(default_factory=list)
    page: int = 1
    pages: int = 1
    slug: str = "report"

    def value(self, row, column: Column):
        return getattr(row, column.key)


def require_ledger_read(session: Session) -> None:
    """Refuse up front, with a clear message, a user who may not read the ledger (e.g. a billing user)."""
    actor = session.info.get("actor")
    if actor is not None:
        registry = session.info["registry"]
        if not registry.can(actor, MoveLine, "read"):
            raise AccessDenied(f"access denied: {actor.login} may not read accounting reports")


def check_range(date_from: dt.date | None, date_to: dt.date) -> None:
    if date_from is not None and date_from > date_to:
        raise ValidationError(gettext("The start date %(start)s is after the end date %(end)s.",
                                      start=date_from.isoformat(), end=date_to.isoformat()), "date_from")


def posted_of(company_id: int):
    """Lines that count: posted, of the company (other companies' lines are also cut by the record rules)."""
    return and_(MoveLine.company_id == company_id, MoveLine.posted == true())


BALANCE = MoveLine.debit - MoveLine.credit


def sum_if(condition, amount=BALANCE):
    """SUM(CASE WHEN condition THEN amount ELSE 0 END): several figures from one scan of the lines."""
    return func.sum(case((condition, amount), else_=0))


def column_totals(rows, keys) -> dict:
    return {key: sum((getattr(row, key) for row in rows), ZERO) for key in keys}
