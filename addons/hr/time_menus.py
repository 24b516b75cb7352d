from flask_babel import lazy_gettext as _l

from core import MenuItem

from .security import MANAGER, OFFICER
from .time_models import Attendance, TimesheetLine, WorkActivity

MENU = (
    MenuItem(id="hr.my_attendance", label=_l("My attendance"), parent="hr.root", sequence=20,
             endpoint="hr.my_attendance", model=Attendance),
    MenuItem(id="hr.timesheet", label=_l("Timesheet"), parent="hr.root", sequence=21, endpoint="hr.timesheet",
             model=TimesheetLine),
    MenuItem(id="hr.attendances", label=_l("Attendances"), parent="hr.root", sequence=22,
             endpoint="hr.attendance_list", model=Attendance, group=MANAGER),
    MenuItem(id="hr.hours", label=_l("Scheduled and worked hours"), parent="hr.root", sequence=23,
             endpoint="hr.hours_report", model=Attendance, group=MANAGER),
    MenuItem(id="hr.activities", label=_l("Projects and activities"), parent="hr.root", sequence=24,
             endpoint="hr.activity_list", model=WorkActivity, operation="write"),
    MenuItem(id="hr.kiosk", label=_l("Attendance kiosk"), parent="hr.root", sequence=25, endpoint="hr.kiosk_page",
             model=Attendance, group=OFFICER),
)
