"""Checking in and out, and HR's corrections.

- an employee checks in when not checked in, and out when checked in (a second check-in, a check-out while out
  and a check-out before the check-in are refused);
- HR officers correct an attendance's times, always saying why: the reason is saved on the attendance, and the
  core's audit log keeps who changed what and why;
- times are UTC; the pages show them in the user's time zone.
"""
from __future__ import annotations

import datetime as dt

from flask_babel import gettext
from sqlalchemy import select

from core.db import utcnow
from core.errors import ValidationError
from core.fields import clean

from .models import Employee
from .security import OFFICER
from .services import employee_of_user
from .time_models import Attendance

#: the attendances "My attendance" lists
RECENT = 10


def open_attendance(session, employee_id: int) -> Attendance | None:
    return session.scalars(select(Attendance).where(Attendance.employee_id == employee_id,
                                                    Attendance.check_out.is_(None))).first()


def my_employee(session, actor) -> Employee:
    employee = employee_of_user(session, actor.user_id, actor.company_id)
    if employee is None:
        raise ValidationError(gettext("You are not an employee of this company."))
    return employee


def check_in(session, employee: Employee, at: dt.datetime | None = None) -> Attendance:
    if open_attendance(session, employee.id) is not None:
        raise ValidationError(gettext("%(employee)s is already checked in: check out first.",
                                      employee=employee.name))
    attendance = Attendance(company_id=employee.company_id, employee_id=employee.id, check_in=at or utcnow())
    session.add(attendance)
    session.flush()
    return attendance


def check_out(session, employee: Employee, at: dt.datetime | None = None) -> Attendance:
    attendance = open_attendance(session, employee.id)
    if attendance is None:
        raise ValidationError(gettext("%(employee)s is not checked in: check in first.", employee=employee.name))
    at = at or utcnow()
    if at < attendance.check_in:
        raise ValidationError(gettext("A check-out cannot come before the check-in."), "check_out")
    attendance.check_out = at
    session.flush()
    return attendance


def toggle(session, employee: Employee, at: dt.datetime | None = None) -> Attendance:
    """Check in when out, out when in (the big button and the kiosk)."""
    if open_attendance(session, employee.id) is None:
        return check_in(session, employee, at)
    return check_out(session, employee, at)


def record_attendance(session, actor, values: dict) -> Attendance:
    """An attendance HR types in (a forgotten check-in); it needs a reason like any correction."""
    _officer_only(actor)
    values = clean(Attendance, values, session=session)
    employee = session.get(Employee, values["employee_id"])
    attendance = Attendance(company_id=employee.company_id, **values)
    _check(session, attendance)
    session.add(attendance)
    session.flush()
    return attendance


def correct(session, actor, attendance: Attendance, values: dict) -> Attendance:
    """HR changes the times of an attendance with a new reason, so each change's audit row says why."""
    _officer_only(actor)
    values = clean(Attendance, values, record=attendance, session=session)
    if values.pop("employee_id", attendance.employee_id) != attendance.employee_id:
        raise ValidationError(gettext("An attendance stays with its employee: record a new one for the other."),
                              "employee_id")
    if values.get("correction_reason") in (None, attendance.correction_reason):
        raise ValidationError(gettext("Say why you make this correction (the reasons of earlier ones stay in the "
                                      "history)."), "correction_reason")
    with session.no_autoflush:
        for key, value in values.items():
            setattr(attendance, key, value)
        _check(session, attendance)
    session.flush()
    return attendance


def _officer_only(actor) -> None:
    if not actor.in_group(OFFICER):
        raise ValidationError(gettext("Only HR officers correct attendances: use the Check in / Check out button."))


def _check(session, attendance: Attendance) -> None:
    if not (attendance.correction_reason or "").strip():
        raise ValidationError(gettext("Say why the attendance is corrected."), "correction_reason")
    if attendance.check_out is not None and attendance.check_out < attendance.check_in:
        raise ValidationError(gettext("A check-out cannot come before the check-in."), "check_out")
    if attendance.check_out is None:
        other = open_attendance(session, attendance.employee_id)
        if other is not None and other is not attendance:
            raise ValidationError(gettext("%(employee)s is already checked in: check out first.",
                                          employee=attendance.employee.name), "check_out")


def recent(session, employee_id: int) -> list[Attendance]:
    return list(session.scalars(select(Attendance).where(Attendance.employee_id == employee_id)
                                .order_by(Attendance.check_in.desc()).limit(RECENT)))
