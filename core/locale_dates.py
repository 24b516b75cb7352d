"""Dates and times as people write them in their language: 31/12/2026 in Spain and Italy, 12/31/2026 in the US.

:func:`date_pattern` is the locale's short date pattern (Babel's CLDR data)
with the day and month on two digits and the year on four, the form a date is
shown and typed in. :func:`parse_date` reads it with Babel, strictly: Babel
swaps day and month when the month would be past 12, so "12/31/2026" typed by
a Spanish user would silently become 31 December; here it is refused, as is a
date that does not exist (31/02/2026). An ISO date (2026-12-31) is read in
every locale. :func:`parse_datetime` reads a date and a time (14:30, or
2:30 PM) in the user's time zone and gives naive UTC, as the database keeps it.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import cache

ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
NUMBERS = re.compile(r"\d+")
LOCAL_DATE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-](?:\d{2}|\d{4})")


class DateProblem(ValueError):
    """The text is not a date (or time) in the expected form; ``str()`` is not for users (callers word it)."""


@cache
def date_pattern(locale: str) -> str:
    """The locale's short date pattern, with ``dd``, ``MM`` and ``yyyy`` (``dd/MM/yyyy`` in es and it)."""
    from babel.dates import get_date_format

    pattern = get_date_format("short", locale=locale).pattern
    pattern = re.sub(r"y+", "yyyy", pattern)
    pattern = re.sub(r"d+", "dd", pattern)
    return re.sub(r"M+", "MM", pattern)


def datetime_pattern(locale: str) -> str:
    return date_pattern(locale) + " HH:mm"


def format_date(value: dt.date | None, locale: str) -> str:
    """``value`` written as the user types it (empty for None)."""
    from babel.dates import format_date as babel_format

    return "" if value is None else babel_format(value, date_pattern(locale), locale=locale)


def format_datetime(value: dt.datetime | None, locale: str, zone: dt.tzinfo) -> str:
    """A stored (naive UTC) ``value`` in the user's time zone, as the user types it."""
    if value is None:
        return ""
    local = value.replace(tzinfo=dt.timezone.utc).astimezone(zone)
    return f"{format_date(local.date(), locale)} {local:%H:%M}"


def parse_date(text: str, locale: str) -> dt.date:
    """The date ``text`` means for a user of ``locale``; :class:`DateProblem` when it means none."""
    from babel.dates import parse_date as babel_parse

    text = text.strip()
    if ISO_DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
        except ValueError as error:
            raise DateProblem(str(error)) from None
    if not LOCAL_DATE.fullmatch(text):
        raise DateProblem(text)
    numbers = [int(number) for number in NUMBERS.findall(text)]
    try:
        date = babel_parse(text, locale=locale, format="short")
    except ValueError as error:  # babel.dates.ParseError is one, and so is an impossible day
        raise DateProblem(str(error)) from None
    pattern = date_pattern(locale)
    day_position = sorted(("d", "M", "y"), key=pattern.index).index("d")
    if numbers[day_position] != date.day:  # Babel swapped day and month: not a date in this locale
        raise DateProblem(text)
    return date


def parse_datetime(text: str, locale: str, zone: dt.tzinfo) -> dt.datetime:
    """The moment ``text`` (a date, then a time) means in ``zone``, as naive UTC; a date alone is midnight."""
    from babel.dates import parse_time

    text = text.strip().replace("T", " ", 1) if ISO_DATE.match(text.strip()) else text.strip()
    date_part, _, time_part = text.partition(" ")
    date = parse_date(date_part, locale)
    time = dt.time()
    if time_part.strip():
        if not re.fullmatch(r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[APap]\.?[Mm]\.?)?", time_part.strip()):
            raise DateProblem(time_part)
        try:
            time = parse_time(time_part.strip().replace(".", ":", 1), locale=locale, format="short")
        except ValueError as error:
            raise DateProblem(str(error)) from None
    local = dt.datetime.combine(date, time).replace(tzinfo=zone)
    return local.astimezone(dt.timezone.utc).replace(tzinfo=None)
