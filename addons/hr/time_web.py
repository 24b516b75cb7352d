"""Time pages: "My attendance" with its Check in / Check out button, the weekly timesheet grid, and the report
of scheduled against worked hours (with its CSV)."""
from __future__ import annotations

import datetime as dt

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select

from core import reports
from core.errors import ValidationError
from core.web.actions import run_service
from core.web.context import current_actor, db, record_or_404, require
from core.web.inputs import date_arg, id_arg
from core.web.report_pages import download, render_report

from . import attendance, timesheets
from .models import Employee
from .security import MANAGER
from .services import employee_of_user
from .time_gap import gap_report
from .time_models import Attendance, TimesheetLine
from .web import blueprint


@blueprint.route("/my-attendance", methods=["GET", "POST"])
def my_attendance():
    """The logged-in employee's button (checks in when out, out when in) and their recent attendances."""
    require(Attendance, "read")
    session = db()
    employee = employee_of_user(session, current_actor().user_id, current_actor().company_id)
    if request.method == "POST" and employee is not None:
        checking_in = attendance.open_attendance(session, employee.id) is None
        run_service(lambda s: attendance.toggle(s, employee),
                    success=gettext("Checked in.") if checking_in else gettext("Checked out."))
        return redirect(url_for("hr.my_attendance"))
    current = attendance.open_attendance(session, employee.id) if employee is not None else None
    return render_template("hr/my_attendance.html", employee=employee, current=current,
                           recent=attendance.recent(session, employee.id) if employee is not None else [])


@blueprint.route("/timesheet", methods=["GET", "POST"])
def timesheet():
    """One employee's week (the user's own by default): rows are activities, columns the seven days."""
    require(TimesheetLine, "read")
    session, actor = db(), current_actor()
    employee_id = _employee_id()
    employee = record_or_404(Employee, employee_id) if employee_id is not None else \
        employee_of_user(session, actor.user_id, actor.company_id)
    monday = timesheets.monday_of(_week_arg())
    if employee is None:
        return render_template("hr/timesheet.html", week=None, monday=monday, error=None, entered={}), 404
    if employee.user_id != actor.user_id and not actor.in_group(MANAGER):
        abort(404)
    error, entered = None, {}
    if request.method == "POST":
        require(TimesheetLine, "write")
        current = timesheets.week(session, employee, monday)
        entered = {(activity.id, day): request.form.get(f"h-{activity.id}-{day.isoformat()}", "")
                   for activity in current.activities for day in current.days}
        try:
            cells = {key: timesheets.parse_hours(raw, f"{_name(current, key[0])}, {key[1].isoformat()}")
                     for key, raw in entered.items()}
        except ValidationError as refused:
            error = str(refused)
        else:
            outcome = run_service(lambda s: timesheets.save_week(s, employee, monday, cells),
                                  success=gettext("Week saved."), flash_errors=False)
            if outcome.ok:
                return redirect(url_for("hr.timesheet", week=monday.isoformat(),
                                        **({"employee_id": employee.id} if employee_id else {})))
            error = str(outcome.error)
    week = timesheets.week(session, employee, monday)
    return render_template("hr/timesheet.html", week=week, monday=monday, error=error, entered=entered,
                           employee_arg={"employee_id": employee.id} if employee_id else {},
                           previous=monday - dt.timedelta(days=7), following=monday + dt.timedelta(days=7),
                           team=_team(session) if actor.in_group(MANAGER) else []), (422 if error else 200)


def _employee_id() -> int | None:
    try:
        return id_arg("employee_id", Employee.id)
    except ValidationError:
        abort(404)


def _week_arg() -> dt.date:
    try:
        return date_arg("week", dt.date.today())
    except ValidationError:
        return dt.date.today()


def _name(week, activity_id: int) -> str:
    return next((a.name for a in week.activities if a.id == activity_id), "?")


def _team(session) -> list[Employee]:
    return list(session.scalars(select(Employee).where(Employee.active.is_(True)).order_by(Employee.name)
                                .limit(200)))


def _asked() -> dict:
    today = dt.date.today()
    first = today.replace(day=1)
    return {"start": date_arg("start", first), "end": date_arg("end", today)}


@blueprint.route("/hours")
def hours_report():
    """Scheduled, attended and booked hours of the employees the user may read (their team, or all for HR)."""
    _may_see_hours()
    return render_report("hr/hours.html", _asked, lambda asked: gap_report(db(), asked["start"], asked["end"]))


@blueprint.route("/hours.csv")
def hours_export():
    _may_see_hours()
    try:
        asked = _asked()
        report = gap_report(db(), asked["start"], asked["end"])
    except ValidationError as refused:
        return render_template("hr/hours.html", report=None, asked={}, error=str(refused), args={}), 422
    return download(reports.to_csv(report), "text/csv", f"{report.slug}.csv")


def _may_see_hours() -> None:
    require(Attendance, "read")
    if not current_actor().in_group(MANAGER):
        abort(403)
