"""Absence rate: for each department and month of a year, the approved leave days over the days scheduled, in two
queries (the days scheduled, the days of leave).

The days scheduled in a month are, for each employee with a contract (not a draft) during the month, the days of
the month their schedule works (Monday to Friday without one); a contract that starts or ends within the month
counts the whole month, and public holidays are not taken off, so the rate is a little under the exact one. A
leave's days count in the month it starts (a request stays within one year).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, literal, select

from core.reports import PERCENT, QUANTITY, Column, Report
from core.sql_dates import month_of

from ..models import APPROVED, DRAFT, WEEKDAYS, Contract, Department, Employee, LeaveRequest, WorkingSchedule
from .periods import month_label, months, weekdays_in


@dataclass
class Row:
    department: str
    month: str
    scheduled: Decimal
    absent: Decimal
    rate: Decimal | None


def _scheduled_days(weekday_counts: list[int]):
    """The days a contract's schedule works in a month with ``weekday_counts`` Mondays... Sundays."""
    worked = [case((getattr(WorkingSchedule, f"{day}_hours") > 0, count), else_=0)
              for day, count in zip(WEEKDAYS, weekday_counts)]
    return case((Contract.schedule_id.is_(None), literal(sum(weekday_counts[:5]))), else_=sum(worked[1:], worked[0]))


def absence_rate(session, year: int) -> Report:
    periods = months(year)
    scheduled = [func.sum(case(((Contract.date_start <= last)
                                & (Contract.date_end.is_(None) | (Contract.date_end >= first)),
                                _scheduled_days(weekdays_in(first, last))), else_=0))
                 for first, last in periods]
    by_department = {department_id: (name, [Decimal(value or 0) for value in figures])
                     for department_id, name, *figures in session.execute(
                         select(Employee.department_id, Department.name, *scheduled).select_from(Contract)
                         .join(Employee, Employee.id == Contract.employee_id)
                         .outerjoin(Department, Department.id == Employee.department_id)
                         .outerjoin(WorkingSchedule, WorkingSchedule.id == Contract.schedule_id)
                         .where(Contract.state != DRAFT).group_by(Employee.department_id, Department.name))}
    month = month_of(session, LeaveRequest.date_from)
    absent = {(department_id, key): Decimal(days or 0) for department_id, key, days in session.execute(
        select(Employee.department_id, month, func.sum(LeaveRequest.days))
        .join(Employee, Employee.id == LeaveRequest.employee_id)
        .where(LeaveRequest.state == APPROVED, LeaveRequest.date_from.between(periods[0][0], periods[-1][1]))
        .group_by(Employee.department_id, month))}
    rows = []
    for index, (first, _last) in enumerate(periods):
        for department_id, (name, figures) in sorted(by_department.items(), key=lambda item: item[1][0] or ""):
            days = absent.get((department_id, first.strftime("%Y-%m")), Decimal(0))
            rows.append(Row(name or _l("No department"), month_label(first), figures[index], days,
                            _rate(days, figures[index])))
    scheduled_total = sum((row.scheduled for row in rows), Decimal(0))
    absent_total = sum((row.absent for row in rows), Decimal(0))
    return Report(_l("Absence rate"), (Column("month", _l("Month")), Column("department", _l("Department")),
                                       Column("scheduled", _l("Days scheduled"), QUANTITY),
                                       Column("absent", _l("Days of leave"), QUANTITY),
                                       Column("rate", _l("Absence rate"), PERCENT)),
                  rows, totals=[(_l("Total"), {"scheduled": scheduled_total, "absent": absent_total,
                                              "rate": _rate(absent_total, scheduled_total)})],
                  filters=[(_l("Year"), year)], slug=f"absence-rate-{year}")


def _rate(absent: Decimal, scheduled: Decimal) -> Decimal | None:
    return (absent * 100 / scheduled).quantize(Decimal("0.01")) if scheduled else None


def chart_series(report: Report) -> tuple[list[str], dict[str, list]]:
    """Months across, one series per department: its absence rate."""
    categories = list(dict.fromkeys(row.month for row in report.rows))
    series: dict[str, list] = {}
    for row in report.rows:
        series.setdefault(row.department, [None] * len(categories))[categories.index(row.month)] = row.rate
    return categories, series
