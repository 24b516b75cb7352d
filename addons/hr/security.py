"""Who may see and change whom in HR.

- employee (self-service): reads and edits their own contact data; reads departments, positions and schedules;
- team manager: also reads the employees of their team (those they manage, directly or as their department's
  manager);
- HR officer: every employee of their companies, with the private data and the contracts;
- payroll manager: an HR officer who also runs payroll.

The private data and the contracts (wages) are granted to HR officers only: the field layer shows their
fields to nobody else, on pages, in exports and imports. The documents attached to an employee (the chatter's
attachments of their record) are read by HR officers and the employee themself, not by their manager.
"""
from functools import lru_cache

from sqlalchemy import or_, select, true
from sqlalchemy.orm import aliased

from core import Group, ModelAccess, N_, RecordRule
from core.chatter.models import Attachment

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


def _grant(model, group, letters):
    return ModelAccess(model, group, read="r" in letters, create="c" in letters, write="w" in letters,
                       delete="d" in letters)


ACCESS = (
    _grant(Employee, EMPLOYEE, "rw"),
    _grant(LeaveRequest, EMPLOYEE, "rcw"),
    *(_grant(model, EMPLOYEE, "r")
      for model in (Department, JobPosition, WorkingSchedule, LeaveType, LeaveAllocation, PublicHoliday)),
    *(_grant(model, OFFICER, "rcwd")
      for model in (Employee, EmployeePrivate, Department, JobPosition, WorkingSchedule, Contract, LeaveType,
                    LeaveAllocation, LeaveRequest, PublicHoliday)),
)


def my_employee_ids(actor):
    return select(Employee.id).where(Employee.user_id == actor.user_id)


def managed_departments(actor):
    """The ids of the departments one manages and of every department under them (a recursive query)."""
    return _managed_departments(actor.user_id)


@lru_cache(maxsize=1024)
def _managed_departments(user_id: int):
    """One query object per user: the rules of several models meet in one statement (the leave of one's team
    joined to the team), and SQL takes two WITH clauses of one name only when they are the same."""
    top = select(Department.id).where(Department.manager_id.in_(
        select(Employee.id).where(Employee.user_id == user_id))).cte("hr_managed_department", recursive=True)
    below = aliased(Department)
    return select(top.union_all(select(below.id).where(below.parent_id == top.c.id)).c.id)


def _team(actor):
    """Oneself, the employees one manages, and the members of the departments one manages and of those under
    them."""
    return or_(Employee.user_id == actor.user_id, Employee.manager_id.in_(my_employee_ids(actor)),
               Employee.department_id.in_(managed_departments(actor)))


def _team_ids(actor):
    return select(Employee.id).where(_team(actor))


def _employee_documents(actor):
    """Every attachment but an employee's documents, which only HR officers and that employee read."""
    if actor.in_group(OFFICER):
        return true()
    return or_(Attachment.res_model != Employee.__tablename__, Attachment.res_id.in_(my_employee_ids(actor)))


RULES = (
    RecordRule(Attachment, "employees' documents: HR officers and the employee", _employee_documents),
    RecordRule(Employee, "own employee record", lambda actor: Employee.user_id == actor.user_id,
               groups=(EMPLOYEE,)),
    RecordRule(Employee, "own team", _team, groups=(MANAGER,), operations=("read",)),
    RecordRule(Employee, "all employees", lambda actor: true(), groups=(OFFICER,)),
    *(rule for model in (LeaveRequest, LeaveAllocation) for rule in (
        RecordRule(model, "own", lambda actor, model=model: model.employee_id.in_(my_employee_ids(actor)),
                   groups=(EMPLOYEE,)),
        RecordRule(model, "own team's", lambda actor, model=model: model.employee_id.in_(_team_ids(actor)),
                   groups=(MANAGER,), operations=("read", "write")),
        RecordRule(model, "all", lambda actor: true(), groups=(OFFICER,)))),
)
