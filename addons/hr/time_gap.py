"""Scheduled against worked hours, per employee and period.

Scheduled: what the contracts' working schedules plan on each day (:func:`.workdays.scheduled_hours`), less the
public holidays (:func:`.workdays.national_holidays` and the company's own) and the days of approved leave.
Attended: the checked-out attendances that began in the period. Booked: the timesheet hours of the period. The
gap is attended less scheduled.

The same few queries whatever the number of employees: the employees the user may read, their contracts, the
company holidays, the approved leave, and one GROUP BY each for attendances and timesheets. An employee's days
are counted in UTC.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from core.errors import ValidationError
from core.models import Company
from core.reports import QUANTITY, TEXT, Column, Report
from core.sessions import system_rows
from core.sql_dates import days_between

from .models import APPROVED, DRAFT, Contract, Employee, LeaveRequest, PublicHoliday
from .time_models import Attendance, TimesheetLine
from .workdays import MAX_DAYS, covering, national_holidays, scheduled_hours

HUNDREDTHS = Decimal("0.01")
COLUMNS = (Column("employee", _l("Employee"), TEXT), Column("scheduled", _l("Scheduled hours"), QUANTITY),
           Column("attended", _l("Attended hours"), QUANTITY), Column("booked", _l("Hours on timesheets"), QUANTITY),
           Column("gap", _l("Gap (attended − scheduled)"), QUANTITY))


@dataclass(frozen=True)
class Row:
    employee: str
    scheduled: Decimal
    attended: Decimal
    booked: Decimal

    @property
    def gap(self) -> Decimal:
        return self.attended - self.scheduled


def gap_report(session, start: dt.date, end: dt.date) -> Report:
    if end < start:
        raise ValidationError(gettext("The period ends before it starts."), "end")
    if (end - start).days >= MAX_DAYS:
        raise ValidationError(gettext("A period covers at most %(days)s days.", days=MAX_DAYS), "end")
    employees = session.scalars(select(Employee).where(Employee.active.is_(True)).order_by(Employee.name)).all()
    ids = [employee.id for employee in employees]
    scheduled = _scheduled(session, employees, start, end)
    after = end + dt.timedelta(days=1)
    attended = dict(session.execute(
        select(Attendance.employee_id, func.sum(days_between(session, Attendance.check_out, Attendance.check_in)))
        .where(Attendance.employee_id.in_(ids), Attendance.check_out.is_not(None), Attendance.check_in >= start,
               Attendance.check_in < after).group_by(Attendance.employee_id)).all())
    booked = dict(session.execute(
        select(TimesheetLine.employee_id, func.sum(TimesheetLine.hours))
        .where(TimesheetLine.employee_id.in_(ids), TimesheetLine.date.between(start, end))
        .group_by(TimesheetLine.employee_id)).all())
    rows = [Row(employee.name, scheduled[employee.id],
                (Decimal(str(attended.get(employee.id) or 0)) * 24).quantize(HUNDREDTHS),
                Decimal(booked.get(employee.id) or 0).quantize(HUNDREDTHS)) for employee in employees]
    totals = {key: sum((getattr(row, key) for row in rows), Decimal(0))
              for key in ("scheduled", "attended", "booked", "gap")}
    return Report(title=_l("Scheduled and worked hours"), columns=COLUMNS, rows=rows,
                  totals=[(gettext("Total"), totals)] if rows else [],
                  filters=[(_l("First day"), start), (_l("Last day"), end)], slug=f"hours-{start}-{end}")


def _scheduled(session, employees: list[Employee], start: dt.date, end: dt.date) -> dict[int, Decimal]:
    """Each employee's scheduled hours, less holidays and approved leave, from three queries."""
    ids = [employee.id for employee in employees]
    with system_rows(session) as system:  # the contracts (wages) are HR's; their schedules are read for the count
        contracts: dict[int, list[Contract]] = {}
        for contract in system.scalars(select(Contract).options(selectinload(Contract.schedule)).where(
                Contract.employee_id.in_(ids), Contract.state != DRAFT, Contract.date_start <= end,
                or_(Contract.date_end.is_(None), Contract.date_end >= start)).order_by(Contract.date_start)):
            contracts.setdefault(contract.employee_id, []).append(contract)
        countries = dict(system.execute(select(Company.id, Company.country_code)).all())
        own_holidays = system.execute(select(PublicHoliday.company_id, PublicHoliday.region, PublicHoliday.date).where(
            PublicHoliday.date.between(start, end))).all()
        on_leave: dict[int, set[dt.date]] = {}
        for employee_id, first, last in system.execute(select(
                LeaveRequest.employee_id, LeaveRequest.date_from, LeaveRequest.date_to).where(
                LeaveRequest.employee_id.in_(ids), LeaveRequest.state == APPROVED, LeaveRequest.date_from <= end,
                LeaveRequest.date_to >= start)):
            on_leave.setdefault(employee_id, set()).update(_days(max(first, start), min(last, end)))
    hours = {}
    for employee in employees:
        off = national_holidays(employee.country_code or countries.get(employee.company_id), employee.region, start,
                                end)
        off |= {day for company_id, region, day in own_holidays
                if company_id == employee.company_id and region in (None, employee.region)}
        off |= on_leave.get(employee.id, set())
        hours[employee.id] = sum((scheduled_hours(contract, day) for day in _days(start, end) if day not in off
                                  for contract in [covering(contracts.get(employee.id, ()), day)]
                                  if contract is not None), Decimal(0))
    return hours


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
