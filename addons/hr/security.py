"""Who may see and change whom in HR.

- employee (self-service): reads and edits their own contact data; reads departments, positions and schedules;
- team manager: also reads the employees of their team (those they manage, directly or as their department's
  manager);
- HR officer: every employee of their companies, with the private data and the contracts;
- payroll manager: an HR officer who also runs payroll.

The private data and the contracts (wages) are granted to HR officers only: the field layer shows their
fields to nobody else, on pages, in exports and imports.
"""
from sqlalchemy import or_, select, true

from core import Group, ModelAccess, N_, RecordRule

from .models import (Contract, Department, Employee, EmployeePrivate, JobPosition, LeaveAllocation, LeaveRequest,
                     LeaveType, PublicHoliday, WorkingSchedule)

EMPLOYEE = "hr.group_employee"
MANAGER = "hr.group_manager"
OFFICER = "hr.group_officer"
PAYROLL = "hr.group_payroll"

GROUPS = (
    Group(EMPLOYEE, N_("HR: employee (self-service)"), implies=("core.group_user",)),
    Group(MANAGER, N_("HR: team manager"), implies=(EMPLOYEE,)),
    Group(OFFICER, N_("HR: officer"), implies=(MANAGER,)),
    Group(PAYROLL, N_("HR: payroll manager"), implies=(OFFICER,), for_admin=True),
)


def grant(model, group, letters):
    return ModelAccess(model, group, read="r" in letters, create="c" in letters, write="w" in letters,
                       delete="d" in letters)


ACCESS = (
    grant(Employee, EMPLOYEE, "rw"),
    grant(LeaveRequest, EMPLOYEE, "rcw"),
    *(grant(model, EMPLOYEE, "r")
      for model in (Department, JobPosition, WorkingSchedule, LeaveType, LeaveAllocation, PublicHoliday)),
    *(grant(model, OFFICER, "rcwd")
      for model in (Employee, EmployeePrivate, Department, JobPosition, WorkingSchedule, Contract, LeaveType,
                    LeaveAllocation, LeaveRequest, PublicHoliday)),
)


def my_employee_ids(actor):
    return select(Employee.id).where(Employee.user_id == actor.user_id)


def _team(actor):
    """Oneself, the employees one manages, and the members of the departments one manages."""
    managed_departments = select(Department.id).where(Department.manager_id.in_(my_employee_ids(actor)))
    return or_(Employee.user_id == actor.user_id, Employee.manager_id.in_(my_employee_ids(actor)),
               Employee.department_id.in_(managed_departments))


def team_ids(actor):
    return select(Employee.id).where(_team(actor))


RULES = (
    RecordRule(Employee, "own employee record", lambda actor: Employee.user_id == actor.user_id,
               groups=(EMPLOYEE,)),
    RecordRule(Employee, "own team", _team, groups=(MANAGER,), operations=("read",)),
    RecordRule(Employee, "all employees", lambda actor: true(), groups=(OFFICER,)),
    *(rule for model in (LeaveRequest, LeaveAllocation) for rule in (
        RecordRule(model, "own", lambda actor, model=model: model.employee_id.in_(my_employee_ids(actor)),
                   groups=(EMPLOYEE,)),
        RecordRule(model, "own team's", lambda actor, model=model: model.employee_id.in_(team_ids(actor)),
                   groups=(MANAGER,), operations=("read", "write")),
        RecordRule(model, "all", lambda actor: true(), groups=(OFFICER,)))),
)
