"""What every accounting report shares: money from SQL, access, the shape of every report (:mod:`core.reports`).

A report is computed by one or a few aggregate SELECTs run through the
user's session, so model access and record rules (companies) apply; no
move line is loaded into Python. Exports (:mod:`.exports`) work on any
:class:`~core.reports.Report`.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext
from sqlalchemy import and_, case, func, true
from sqlalchemy.orm import Session

from core.errors import AccessDenied, ValidationError

from ..models import MoveLine
from ..services.currency import CENT

ZERO = Decimal("0.00")

def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if not whole else (part * 100 / whole).quantize(CENT, rounding=ROUND_HALF_UP)

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
