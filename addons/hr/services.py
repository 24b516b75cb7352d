"""Saving HR records: the field layer cleans the values; the business rules are here.

- an employee edits only their own contact data (:data:`SELF_SERVICE`); the rest is the HR officers';
- a department cannot be placed inside itself, and a manager or employee cannot be their own manager;
- a contract ends after it starts, and an employee has one contract at a time: two contracts whose dates
  overlap are refused;
- a contract's wage and the private data are read and written by HR officers only (model access), and
  stored encrypted (:mod:`core.encryption`).
"""
from __future__ import annotations

import datetime as dt

from flask_babel import gettext
from sqlalchemy import select

from core.errors import ValidationError
from core.fields import clean
from core.models import Company
from core.trees import cycle_chain

from .models import DRAFT, ENDED, RUNNING, Contract, Department, Employee
from .security import OFFICER

#: what employees change on their own record (the rest is for HR officers)
SELF_SERVICE = ("work_email", "work_phone", "mobile_phone")


def create_company_record(session, model, company_id: int, values: dict):
    """A record of ``model`` with nothing to check beyond its fields (a job position, a working schedule, a leave
    type, a company holiday); the pages save such records through the generic views' own create and update."""
    record = model(company_id=company_id, **clean(model, values, session=session))
    session.add(record)
    session.flush()
    return record


# --- employees -------------------------------------------------------------------------------------------------

def create_employee(session, company_id: int, **values) -> Employee:
    values = clean(Employee, values, session=session)
    _check_region(session, company_id, values)
    employee = Employee(company_id=company_id, **values)
    session.add(employee)
    session.flush()
    return employee


def update_employee(session, actor, employee: Employee, **values) -> Employee:
    """Save changes; someone who is not an HR officer changes only their own contact data."""
    if not actor.in_group(OFFICER):
        others = [name for name in values if name not in SELF_SERVICE]
        if others:
            raise ValidationError(gettext("Only HR officers change this; you can change your contact data."),
                                  others[0])
    values = clean(Employee, values, record=employee, session=session)
    _check_region(session, employee.company_id, {"country_code": employee.country_code, "region": employee.region,
                                                 **values})
    if values.get("manager_id") is not None and values["manager_id"] == employee.id:
        raise ValidationError(gettext("An employee cannot be their own manager."), "manager_id")
    for key, value in values.items():
        setattr(employee, key, value)
    session.flush()
    return employee


def _check_region(session, company_id: int, values: dict) -> None:
    from .workdays import check_region

    if values.get("region"):
        check_region(values.get("country_code") or session.get(Company, company_id).country_code, values["region"])


def manager_of(employee: Employee) -> Employee | None:
    """Who approves for ``employee``: their own manager, else their department's (never themselves)."""
    if employee.manager is not None:
        return employee.manager
    department = employee.department
    while department is not None:
        if department.manager is not None and department.manager_id != employee.id:
            return department.manager
        department = department.parent
    return None


def employee_of_user(session, user_id: int, company_id: int) -> Employee | None:
    return session.scalars(select(Employee).where(Employee.user_id == user_id,
                                                  Employee.company_id == company_id)).first()


# --- departments and positions ---------------------------------------------------------------------------------

def create_department(session, company_id: int, **values) -> Department:
    values = clean(Department, values, session=session)
    _check_department_parent(session, None, values.get("parent_id"))
    department = Department(company_id=company_id, **values)
    session.add(department)
    session.flush()
    return department


def update_department(session, department: Department, **values) -> Department:
    values = clean(Department, values, record=department, session=session)
    if "parent_id" in values:
        _check_department_parent(session, department, values["parent_id"])
    for key, value in values.items():
        setattr(department, key, value)
    session.flush()
    return department


def _check_department_parent(session, department: Department | None, parent_id: int | None) -> None:
    if parent_id is None:
        return
    parent = session.get(Department, parent_id)
    chain = cycle_chain(department, parent)
    if chain:
        raise ValidationError(gettext(
            "%(name)s cannot be placed under %(parent)s: that department is inside it (%(chain)s).",
            name=department.name, parent=parent.name, chain=" / ".join(chain)), "parent_id")


def department_path(department: Department) -> str:
    """``Company / Sales / Iberia``: the department's name after its ancestors'."""
    names, node = [], department
    while node is not None:
        names.append(node.name)
        node = node.parent
    return " / ".join(reversed(names))


# --- contracts ---------------------------------------------------------------------------------------------------

def create_contract(session, company_id: int, **values) -> Contract:
    values = clean(Contract, values, session=session)
    contract = Contract(company_id=company_id, **values)
    _check_contract(session, contract)
    session.add(contract)
    session.flush()
    return contract


def update_contract(session, contract: Contract, **values) -> Contract:
    values = clean(Contract, values, record=contract, session=session)
    if contract.state == ENDED:
        raise ValidationError(gettext("An ended contract is not changed: write a new one."))
    with session.no_autoflush:
        for key, value in values.items():
            setattr(contract, key, value)
        _check_contract(session, contract)
    session.flush()
    return contract


def start_contract(session, contract: Contract) -> Contract:
    if contract.state != DRAFT:
        raise ValidationError(gettext("Only a draft contract starts."))
    contract.state = RUNNING
    session.flush()
    return contract


def end_contract(session, contract: Contract, *, on: dt.date) -> Contract:
    """End a running contract on ``on`` (its last day)."""
    if contract.state != RUNNING:
        raise ValidationError(gettext("Only a running contract ends."))
    if on < contract.date_start:
        raise ValidationError(gettext("A contract cannot end before it starts (%(start)s).",
                                      start=contract.date_start.isoformat()), "date_end")
    contract.date_end = on
    contract.state = ENDED
    session.flush()
    return contract


def _check_contract(session, contract: Contract) -> None:
    if contract.date_end is not None and contract.date_end < contract.date_start:
        raise ValidationError(gettext("A contract cannot end before it starts."), "date_end")
    employee = session.get(Employee, contract.employee_id)
    if employee.company_id != contract.company_id:
        raise ValidationError(gettext("The employee works for another company."), "employee_id")
    overlapping = select(Contract).where(
        Contract.employee_id == contract.employee_id,
        (Contract.date_end.is_(None)) | (Contract.date_end >= contract.date_start))
    if contract.date_end is not None:
        overlapping = overlapping.where(Contract.date_start <= contract.date_end)
    if contract.id is not None:
        overlapping = overlapping.where(Contract.id != contract.id)
    other = session.scalars(overlapping.limit(1)).first()
    if other is not None:
        raise ValidationError(gettext(
            "%(employee)s already has contract %(other)s over these dates: end it first, or change the dates.",
            employee=employee.name, other=other.name), "date_start")


def contract_on(session, employee_id: int, day: dt.date) -> Contract | None:
    """The employee's running or ended contract that covers ``day`` (payroll and leave read it)."""
    return session.scalars(select(Contract).where(
        Contract.employee_id == employee_id, Contract.state != DRAFT, Contract.date_start <= day,
        (Contract.date_end.is_(None)) | (Contract.date_end >= day))).first()
