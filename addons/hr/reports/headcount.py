"""Headcount: for each department and month of a year, the people under contract at the month's end, those hired
in the month (their first contract starts) and those who left (their last contract ended), in one query.

An employee's time with the company runs from the start of their first contract that is not a draft to the end
of their last one (open: no end).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from core.reports import QUANTITY, Column, Report

from ..models import DRAFT, Contract, Department, Employee
from .periods import month_label, months

OPEN_END = dt.date(9999, 12, 31)


@dataclass
class Row:
    department: str
    month: str
    first_day: dt.date
    headcount: int
    hires: int
    leavers: int


def _tenures():
    """One row per employee: the first day and the last day (OPEN_END while a contract is open) of their
    contracts that are not drafts."""
    return (select(Contract.employee_id, func.min(Contract.date_start).label("hired"),
                   func.max(func.coalesce(Contract.date_end, OPEN_END)).label("left"))
            .where(Contract.state != DRAFT).group_by(Contract.employee_id).subquery())


def headcount(session, year: int) -> Report:
    tenure = _tenures()
    periods = months(year)
    counts = []
    for first, last in periods:
        counts += [func.sum(case(((tenure.c.hired <= last) & (tenure.c.left >= last), 1), else_=0)),
                   func.sum(case((tenure.c.hired.between(first, last), 1), else_=0)),
                   func.sum(case((tenure.c.left.between(first, last), 1), else_=0))]
    query = (select(Department.name, *counts).select_from(tenure)
             .join(Employee, Employee.id == tenure.c.employee_id)
             .outerjoin(Department, Department.id == Employee.department_id)
             .group_by(Department.id, Department.name).order_by(Department.name))
    rows = []
    for department, *figures in session.execute(query):
        for index, (first, _last) in enumerate(periods):
            count, hires, leavers = (int(value or 0) for value in figures[index * 3:index * 3 + 3])
            rows.append(Row(department or _l("No department"), month_label(first), first, count, hires,
                            leavers))
    rows.sort(key=lambda row: row.first_day)  # stable: the departments stay by name
    totals = {"headcount": None, "hires": sum(row.hires for row in rows), "leavers": sum(row.leavers for row in rows)}
    return Report(_l("Headcount"), (Column("month", _l("Month")), Column("department", _l("Department")),
                                    Column("headcount", _l("Headcount"), QUANTITY),
                                    Column("hires", _l("Hires"), QUANTITY), Column("leavers", _l("Leavers"), QUANTITY)),
                  rows, totals=[(_l("Total"), totals)], filters=[(_l("Year"), year)], slug=f"headcount-{year}")


def chart_series(report: Report) -> tuple[list[str], dict[str, list]]:
    """Months across, one series per department: the headcount at each month's end."""
    categories = list(dict.fromkeys(row.month for row in report.rows))
    series: dict[str, list] = {}
    for row in report.rows:
        series.setdefault(row.department, [0] * len(categories))[categories.index(row.month)] = row.headcount
    return categories, series

