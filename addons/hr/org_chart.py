"""The org chart: the department tree, each department with its manager and its people, as the user's session
reads them (an HR officer everybody, a manager their team, an employee themself), in two queries.

A department shows only when someone the user may read is in it or under it; HR officers, who organise the
departments, see the empty ones too.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from .models import Department, Employee, JobPosition


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    job: str | None

    @property
    def initials(self) -> str:
        return "".join(word[0] for word in self.name.split()[:2]).upper()


@dataclass
class Unit:
    """A department (None: the people in none), its manager when readable, its other people and its children."""

    department: Department | None
    manager: Person | None = None
    members: list[Person] = field(default_factory=list)
    children: list[Unit] = field(default_factory=list)

    @property
    def people(self) -> int:
        """How many people the user sees here and below."""
        return (self.manager is not None) + len(self.members) + sum(child.people for child in self.children)


def org_chart(session, *, keep_empty: bool = False) -> list[Unit]:
    """The root departments (then the people in no department), each holding its sub-departments."""
    departments = session.scalars(select(Department).where(Department.active.is_(True))
                                  .order_by(Department.name, Department.id)).all()
    rows = session.execute(select(Employee.id, Employee.name, JobPosition.name, Employee.department_id)
                           .outerjoin(JobPosition, Employee.job_id == JobPosition.id)
                           .where(Employee.active.is_(True)).order_by(Employee.name, Employee.id)).all()
    people = {employee_id: Person(employee_id, name, job) for employee_id, name, job, _department in rows}
    units = {department.id: Unit(department, people.get(department.manager_id)) for department in departments}
    loose = Unit(None)
    for employee_id, _name, _job, department_id in rows:
        unit = units.get(department_id, loose)
        if unit.manager is None or unit.manager.id != employee_id:
            unit.members.append(people[employee_id])
    roots = []
    for department in departments:
        parent = units.get(department.parent_id)
        (parent.children if parent is not None else roots).append(units[department.id])
    if loose.members:
        roots.append(loose)
    return _pruned(roots) if not keep_empty else roots


def _pruned(units: list[Unit]) -> list[Unit]:
    kept = []
    for unit in units:
        unit.children = _pruned(unit.children)
        if unit.people:
            kept.append(unit)
    return kept
