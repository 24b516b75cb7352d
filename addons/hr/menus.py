from flask_babel import lazy_gettext as _l

from core import MenuItem

from .security import MANAGER
from .models import (Contract, Department, Employee, JobPosition, LeaveAllocation, LeaveRequest, LeaveType,
                     PublicHoliday, WorkingSchedule)

MENU = (
    MenuItem(id="hr.root", label=_l("Employees"), sequence=40, icon="identification"),
    MenuItem(id="hr.me", label=_l("My profile"), parent="hr.root", sequence=0, endpoint="hr.profile_page",
             model=Employee),
    MenuItem(id="hr.my_team", label=_l("My team"), parent="hr.root", sequence=0, endpoint="hr.managed_team",
             group=MANAGER),
    MenuItem(id="hr.employees", label=_l("Employees"), parent="hr.root", sequence=1, endpoint="hr.employee_list",
             model=Employee),
    MenuItem(id="hr.org_chart", label=_l("Org chart"), parent="hr.root", sequence=2, endpoint="hr.org_chart_page",
             model=Employee),
    MenuItem(id="hr.departments", label=_l("Departments"), parent="hr.root", sequence=2,
             endpoint="hr.department_list", model=Department),
    MenuItem(id="hr.jobs", label=_l("Job positions"), parent="hr.root", sequence=3, endpoint="hr.job_list",
             model=JobPosition),
    MenuItem(id="hr.contracts", label=_l("Contracts"), parent="hr.root", sequence=4, endpoint="hr.contract_list",
             model=Contract),
    MenuItem(id="hr.schedules", label=_l("Working schedules"), parent="hr.root", sequence=5,
             endpoint="hr.schedule_list", model=WorkingSchedule),
    MenuItem(id="hr.leaves", label=_l("Leave requests"), parent="hr.root", sequence=10, endpoint="hr.leave_list",
             model=LeaveRequest),
    MenuItem(id="hr.calendar", label=_l("Team calendar"), parent="hr.root", sequence=11,
             endpoint="hr.team_calendar", model=Employee),
    MenuItem(id="hr.allocations", label=_l("Leave allocations"), parent="hr.root", sequence=12,
             endpoint="hr.allocation_list", model=LeaveAllocation),
    MenuItem(id="hr.reports", label=_l("Reports"), parent="hr.root", sequence=20, endpoint="hr.reports_page",
             model=LeaveAllocation),
    MenuItem(id="hr.leave_types", label=_l("Leave types"), parent="hr.root", sequence=13,
             endpoint="hr.leave_type_list", model=LeaveType, operation="write"),
    MenuItem(id="hr.holidays", label=_l("Company holidays"), parent="hr.root", sequence=14,
             endpoint="hr.holiday_list", model=PublicHoliday, operation="write"),
)
