"""The team calendar: for one month, each employee the user may read and their days off (leave to approve or
approved), in two queries through the user's session."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from .models import APPROVED, HOLDING, Employee, LeaveRequest

#: the most employees one page shows
MAX_ROWS = 200


@dataclass(frozen=True)
class Row:
    employee: Employee
    #: day -> the state of the leave on that day (approved or to approve), for the days off only
    off: dict


def calendar_month(session, month: dt.date) -> dict:
    first = month.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    employees = session.scalars(select(Employee).where(Employee.active.is_(True)).order_by(Employee.name)
                                .limit(MAX_ROWS + 1)).all()
    shown = employees[:MAX_ROWS]
    off: dict[int, dict] = {employee.id: {} for employee in shown}
    for leave in session.scalars(select(LeaveRequest).where(
            LeaveRequest.state.in_(HOLDING), LeaveRequest.employee_id.in_(off), LeaveRequest.date_from <= last,
            LeaveRequest.date_to >= first)):
        day = max(leave.date_from, first)
        while day <= min(leave.date_to, last):
            if off[leave.employee_id].get(day) != APPROVED:
                off[leave.employee_id][day] = leave.state
            day += dt.timedelta(days=1)
    return {"days": days, "rows": [Row(employee, off[employee.id]) for employee in shown],
            "more": len(employees) > MAX_ROWS}
