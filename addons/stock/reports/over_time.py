"""Stock over time: a product's quantity at the end of each day of a range, in the scope's locations."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.reports import DATE, QUANTITY, Column, Report

from ..models import StockMove
from .scope import Scope, check_range, done_until, held_locations, net_quantity, require_stock_read, touching

ZERO = Decimal("0.0000")
#: the longest range drawn, in days (a chart of more days has more bars than pixels)
MAX_DAYS = 732


@dataclass(frozen=True)
class DayRow:
    day: dt.date
    change: Decimal
    quantity: Decimal


COLUMNS = (Column("day", _l("Date"), DATE), Column("change", _l("Change"), QUANTITY),
           Column("quantity", _l("On hand"), QUANTITY))


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)  # SQLite's date() is text


def stock_over_time(session: Session, scope: Scope, *, date_from: dt.date, date_to: dt.date) -> Report:
    """Every day from ``date_from`` to ``date_to``: the change of the scope's product's stock that day and the
    quantity at its end, from the done moves in one query (what was there before the range comes in the
    same query, as one more group)."""
    require_stock_read(session)
    if scope.product_id is None:
        raise ValidationError(gettext("Choose a product."), "product_id")
    check_range(date_from, date_to)
    if (date_to - date_from).days >= MAX_DAYS:
        raise ValidationError(gettext("Choose at most %(days)s days.", days=MAX_DAYS), "date_from")
    start = dt.datetime.combine(date_from, dt.time())
    day = case((StockMove.date < start, None), else_=func.date(StockMove.date))
    locations = held_locations(scope)
    statement = (select(day, func.sum(net_quantity(locations)))
                 .where(StockMove.company_id == scope.company_id, StockMove.product_id == scope.product_id,
                        done_until(date_to), touching(locations))
                 .group_by(day))
    changes, opening = {}, ZERO
    for found_day, change in session.execute(statement):
        if found_day is None:
            opening = Decimal(change or ZERO)
        else:
            changes[_day(found_day)] = Decimal(change or ZERO)
    rows, quantity = [], opening
    for offset in range((date_to - date_from).days + 1):
        current = date_from + dt.timedelta(days=offset)
        change = changes.get(current, ZERO)
        quantity += change
        rows.append(DayRow(current, change, quantity))
    return Report(_l("Stock over time"), COLUMNS, rows,
                  filters=[*scope.filters(session), (_l("From"), date_from), (_l("To"), date_to)],
                  slug="stock-over-time")
