"""Who sees and books whose time.

- employee: reads their attendances (their check-ins and check-outs are written by the services, which check
  them: the data layer refuses them any change of their own) and books their own timesheet;
- team manager: reads the attendances of their team, and reads and books their team's timesheets;
- HR officer: every attendance and timesheet of their companies, corrects attendances, keeps the activities and
  the kiosk badges.
"""
from sqlalchemy import true

from core import RecordRule

from .security import EMPLOYEE, MANAGER, OFFICER, _grant, _team_ids, my_employee_ids
from .time_models import Attendance, KioskBadge, TimesheetLine, WorkActivity

ACCESS = (
    _grant(Attendance, EMPLOYEE, "r"),
    _grant(TimesheetLine, EMPLOYEE, "rcwd"),
    _grant(WorkActivity, EMPLOYEE, "r"),
    *(_grant(model, OFFICER, "rcwd") for model in (Attendance, TimesheetLine, WorkActivity, KioskBadge)),
)


def _own(model):
    return RecordRule(model, "own", lambda actor: model.employee_id.in_(my_employee_ids(actor)), groups=(EMPLOYEE,))


def _all(model):
    return RecordRule(model, "all", lambda actor: true(), groups=(OFFICER,))


RULES = (
    _own(Attendance), _own(TimesheetLine), _all(Attendance), _all(TimesheetLine),
    RecordRule(Attendance, "own team's", lambda actor: Attendance.employee_id.in_(_team_ids(actor)),
               groups=(MANAGER,), operations=("read",)),
    RecordRule(TimesheetLine, "own team's", lambda actor: TimesheetLine.employee_id.in_(_team_ids(actor)),
               groups=(MANAGER,)),
)
