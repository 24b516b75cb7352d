from flask_babel import lazy_gettext as _l

from core import MenuItem

from .models import Contract, Department, Employee, JobPosition, WorkingSchedule

MENU = (
    MenuItem(id="hr.root", label=_l("Employees"), sequence=40, icon="identification"),
    MenuItem(id="hr.employees", label=_l("Employees"), parent="hr.root", sequence=1, endpoint="hr.employee_list",
             model=Employee),
    MenuItem(id="hr.departments", label=_l("Departments"), parent="hr.root", sequence=2,
             endpoint="hr.department_list", model=Department),
    MenuItem(id="hr.jobs", label=_l("Job positions"), parent="hr.root", sequence=3, endpoint="hr.job_list",
             model=JobPosition),
    MenuItem(id="hr.contracts", label=_l("Contracts"), parent="hr.root", sequence=4, endpoint="hr.contract_list",
             model=Contract),
    MenuItem(id="hr.schedules", label=_l("Working schedules"), parent="hr.root", sequence=5,
             endpoint="hr.schedule_list", model=WorkingSchedule),
)
