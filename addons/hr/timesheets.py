"""Timesheets: the hours an employee books on the company's activities, a week at a time.

- hours are Decimal, never negative, and a day holds at most 24 of them (over all activities);
- an employee books their own week; a manager their team's, an HR officer anyone's (the record rules say whose
  lines a user may read and write: a week of someone else is refused by the data layer itself);
- a week is saved whole or not at all: one bad cell leaves every line as it was.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import gettext
from sqlalchemy import or_, select

from core.errors import ValidationError

from .models import Employee
from .time_models import TimesheetLine, WorkActivity

DAY_LIMIT = Decimal(24)
STEP = Decimal("0.01")


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass
class Week:
    """The grid of one employee's week: rows are activities, columns the seven days."""

    employee: Employee
    monday: dt.date
    activities: list[WorkActivity]
    #: (activity id, day) -> hours
    hours: dict

    @property
    def days(self) -> list[dt.date]:
        return [self.monday + dt.timedelta(days=n) for n in range(7)]

    def row_total(self, activity_id: int) -> Decimal:
        return sum((h for (a, _d), h in self.hours.items() if a == activity_id), Decimal(0))

    def day_total(self, day: dt.date) -> Decimal:
        return sum((h for (_a, d), h in self.hours.items() if d == day), Decimal(0))

    @property
    def total(self) -> Decimal:
        return sum(self.hours.values(), Decimal(0))


def week(session, employee: Employee, monday: dt.date) -> Week:
    """The booked lines of the week and the rows to show: the active activities and any booked that week."""
    sunday = monday + dt.timedelta(days=6)
    lines = session.scalars(select(TimesheetLine).where(TimesheetLine.employee_id == employee.id,
                                                        TimesheetLine.date.between(monday, sunday))).all()
    used = {line.activity_id for line in lines}
    activities = session.scalars(select(WorkActivity).where(
        WorkActivity.company_id == employee.company_id, or_(WorkActivity.active.is_(True), WorkActivity.id.in_(used)))
        .order_by(WorkActivity.name)).all()
    return Week(employee, monday, list(activities), {(line.activity_id, line.date): line.hours for line in lines})


def parse_hours(raw: str | None, where: str) -> Decimal:
    """``7.5``, ``7,5`` or empty (nothing) as hours; anything else is refused, naming the cell."""
    text = (raw or "").strip().replace(",", ".")
    if not text:
        return Decimal(0)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(gettext("%(where)s: %(value)s is not a number of hours.", where=where,
                                      value=raw[:20])) from None
    if not value.is_finite():
        raise ValidationError(gettext("%(where)s: %(value)s is not a number of hours.", where=where, value=raw[:20]))
    return value


def save_week(session, employee: Employee, monday: dt.date, cells: dict) -> Week:
    """Book ``cells`` ((activity id, day) -> hours; zero clears a cell) into the week starting ``monday``."""
    days = {monday + dt.timedelta(days=n) for n in range(7)}
    activities = {a.id: a for a in session.scalars(select(WorkActivity).where(
        WorkActivity.company_id == employee.company_id, WorkActivity.id.in_({a for a, _d in cells})))}
    current = week(session, employee, monday)
    wanted = dict(current.hours)
    for (activity_id, day), hours in cells.items():
        activity = activities.get(activity_id)
        if activity is None or day not in days:
            raise ValidationError(gettext("This week has no such activity or day."))
        where = f"{activity.name}, {day.isoformat()}"
        if hours < 0:
            raise ValidationError(gettext("%(where)s: hours cannot be negative.", where=where))
        if hours > DAY_LIMIT or hours != hours.quantize(STEP):
            raise ValidationError(gettext("%(where)s: at most 24 hours, in hundredths.", where=where))
        wanted[activity_id, day] = hours
    for day in sorted(days):
        booked = sum((h for (_a, d), h in wanted.items() if d == day), Decimal(0))
        if booked > DAY_LIMIT:
            raise ValidationError(gettext("%(day)s: %(hours)s hours booked, more than 24 in a day.",
                                          day=day.isoformat(), hours=_hours(booked)))
    lines = {(line.activity_id, line.date): line for line in session.scalars(select(TimesheetLine).where(
        TimesheetLine.employee_id == employee.id, TimesheetLine.date.between(monday, monday + dt.timedelta(days=6))))}
    for key, hours in wanted.items():
        line = lines.get(key)
        if not hours:
            if line is not None:
                session.delete(line)
        elif line is None:
            session.add(TimesheetLine(company_id=employee.company_id, employee_id=employee.id, activity_id=key[0],
                                      date=key[1], hours=hours))
        elif line.hours != hours:
            line.hours = hours
    session.flush()
    return week(session, employee, monday)


def _hours(value: Decimal) -> str:
    return format(value.normalize(), "f")
