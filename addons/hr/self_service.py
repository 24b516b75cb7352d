"""What an employee sees and changes about themself ("My profile") and what a manager sees of their team.

An employee changes their work contact data on their record, and their private contact data (private phone,
email and address, emergency contact, bank account): those columns belong to the private data, which only HR
officers read and write, so they are read and written here for the employee, on their own row only, by the
system. The national id, the social security number and the contracts (wages) stay with HR.
"""
from __future__ import annotations

import datetime as dt

from flask_babel import gettext
from sqlalchemy import select

from core.errors import ValidationError
from core.fields import clean
from core.sessions import system_rows

from .models import APPROVED, Department, Employee, EmployeePrivate, LeaveRequest
from .services import SELF_SERVICE, employee_of_user, manager_of, update_employee

#: the private data an employee keeps up to date themself
OWN_PRIVATE = ("private_phone", "private_email", "private_address", "emergency_contact", "emergency_phone",
               "bank_account")
#: every field of "My profile"'s form
MY_CONTACT = (*SELF_SERVICE, *OWN_PRIVATE)


def my_employee(session, actor) -> Employee:
    employee = employee_of_user(session, actor.user_id, actor.company_id)
    if employee is None:
        raise ValidationError(gettext("You are not an employee of this company."))
    return employee


def my_private(session, employee: Employee) -> dict:
    """The employee's own private contact data (empty values when HR has written none)."""
    with system_rows(session) as system:
        row = system.get(EmployeePrivate, employee.id)
        return {name: getattr(row, name) if row is not None else None for name in OWN_PRIVATE}


def my_manager(session, employee: Employee) -> str | None:
    """The name of who approves the employee's leave (read by the system: an employee may not read them)."""
    with system_rows(session) as system:
        manager = manager_of(system.get(Employee, employee.id))
        return manager.name if manager is not None else None


def update_my_contact(session, actor, **values) -> Employee:
    """Save the actor's own contact data; any other field is refused, naming it."""
    others = [name for name in values if name not in MY_CONTACT]
    if others:
        raise ValidationError(gettext("Only HR officers change this; you can change your contact data."), others[0])
    employee = my_employee(session, actor)
    work = {name: value for name, value in values.items() if name in SELF_SERVICE}
    if work:
        update_employee(session, actor, employee, **work)
    private = {name: value for name, value in values.items() if name in OWN_PRIVATE}
    if private:
        with system_rows(session) as system:
            row = system.get(EmployeePrivate, employee.id)
            cleaned = clean(EmployeePrivate, private, record=row, session=system)
            if row is None:
                row = EmployeePrivate(employee_id=employee.id, company_id=employee.company_id)
                system.add(row)
            for name, value in cleaned.items():
                setattr(row, name, value)
    return employee


def team(session, actor) -> list[Employee]:
    """The employees of the departments the actor manages and of the departments under them (and those they
    manage directly), the actor excepted, by name, in two queries."""
    me = my_employee(session, actor)
    departments = session.execute(select(Department.id, Department.parent_id, Department.manager_id)).all()
    managed = {department_id for department_id, _parent, manager_id in departments if manager_id == me.id}
    children: dict = {}
    for department_id, parent_id, _manager in departments:
        children.setdefault(parent_id, []).append(department_id)
    pending = list(managed)
    while pending:
        for child in children.get(pending.pop(), ()):
            if child not in managed:
                managed.add(child)
                pending.append(child)
    return list(session.scalars(select(Employee).where(
        Employee.active.is_(True), Employee.id != me.id,
        Employee.department_id.in_(managed) | (Employee.manager_id == me.id)).order_by(Employee.name)))


def off_on(session, employee_ids: list[int], day: dt.date) -> dict[int, LeaveRequest]:
    """Who of ``employee_ids`` is off on ``day`` (an approved leave covers it), with the leave."""
    if not employee_ids:
        return {}
    return {leave.employee_id: leave for leave in session.scalars(select(LeaveRequest).where(
        LeaveRequest.employee_id.in_(employee_ids), LeaveRequest.state == APPROVED,
        LeaveRequest.date_from <= day, LeaveRequest.date_to >= day))}
