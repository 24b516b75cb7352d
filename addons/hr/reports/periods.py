"""The twelve months of a report's year."""
from __future__ import annotations

import calendar
import datetime as dt


def months(year: int) -> list[tuple[dt.date, dt.date]]:
    """(first day, last day) of each month of ``year``."""
    return [(dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]))
            for month in range(1, 13)]


def month_label(first: dt.date) -> str:
    """``2026-02``: sorts, reads in every language, and needs no request (the benchmark runs without one)."""
    return first.strftime("%Y-%m")


def weekdays_in(first: dt.date, last: dt.date) -> list[int]:
    """How many Mondays, Tuesdays... Sundays fall from ``first`` to ``last``."""
    counts = [0] * 7
    day = first
    while day <= last:
        counts[day.weekday()] += 1
        day += dt.timedelta(days=1)
    return counts
