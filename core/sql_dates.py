"""Date arithmetic inside aggregate SELECTs, written once for SQLite and PostgreSQL (reports group and average
in SQL, never row by row in Python)."""
from __future__ import annotations

from sqlalchemy import Date, cast, func
from sqlalchemy.orm import Session


def _postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def month_of(session: Session, column):
    """The ``YYYY-MM`` text of a date or datetime column (what a report groups months by)."""
    if _postgresql(session):
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def days_between(session: Session, later, earlier):
    """The days from ``earlier`` to ``later`` (datetimes), with the fraction of a day."""
    if _postgresql(session):
        return func.extract("epoch", later - earlier) / 86400
    return func.julianday(later) - func.julianday(earlier)


def calendar_days_between(session: Session, later, earlier):
    """Whole days from the calendar day of ``earlier`` to that of ``later`` (dates or datetimes)."""
    if _postgresql(session):
        return cast(later, Date) - cast(earlier, Date)
    return func.julianday(func.date(later)) - func.julianday(func.date(earlier))


#: the periods a date or datetime column can be grouped by
PERIODS = ("day", "week", "month", "year")


def period_start(session: Session, column, period: str):
    """The first day of ``column``'s ``period`` (a week starts on Monday) as ``YYYY-MM-DD`` text: one key that
    sorts, groups and reads back the same on both engines."""
    if _postgresql(session):
        if period == "week":
            return func.to_char(func.date_trunc("week", column), "YYYY-MM-DD")
        return func.to_char(column, {"day": "YYYY-MM-DD", "month": "YYYY-MM-01", "year": "YYYY-01-01"}[period])
    if period == "week":
        return func.date(column, "weekday 0", "-6 days")
    return func.strftime({"day": "%Y-%m-%d", "month": "%Y-%m-01", "year": "%Y-01-01"}[period], column)
