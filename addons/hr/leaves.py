"""Leave: requests, their approval, allocations, balances, monthly accrual and the carry-over between years.

- a request counts the days the employee works between its dates (:mod:`.calendar`); one that falls on days
  off only, ends before it starts, spans two years, overlaps another request that holds days, or takes more
  than the balance of a type that needs allocated days is refused;
- the employee's manager approves or refuses it (an HR officer for types approved by HR, or anyone's); nobody
  decides their own request; each step mails the people concerned through the outbox;
- the balance of a year is its allocation less the days of requests to approve or approved.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import func, select

from core.db import utcnow
from core.errors import ValidationError
from core.fields import clean
from core.mail import queue_mail
from core.models import User
from core.sessions import system_rows

from .approval import check_approver, record_decision
from .workdays import working_days
from .models import (APPROVED, BY_HR, CANCELLED, HOLDING, REFUSED, SUBMITTED, Contract, Employee, LeaveAllocation,
                     LeaveRequest, LeaveType)
from .services import employee_of_user, manager_of

#: pending requests older than this are reminded to their approver by the daily job
REMIND_AFTER_DAYS = 2


# --- requests ----------------------------------------------------------------------------------------------------

def request_leave(session, actor, **values) -> LeaveRequest:
    """A request for the employee named in ``values`` (by default, the actor's own), submitted for approval."""
    if values.get("employee_id") in (None, ""):
        own = employee_of_user(session, actor.user_id, actor.company_id)
        if own is None:
            raise ValidationError(gettext("You are not an employee of this company."), "employee_id")
        values["employee_id"] = own.id
    values = clean(LeaveRequest, values, session=session)
    employee = session.get(Employee, values["employee_id"])
    leave = LeaveRequest(company_id=employee.company_id, state=SUBMITTED, **values)
    _count(session, leave, employee)
    session.add(leave)
    session.flush()
    _notify_approver(session, leave)
    return leave


def update_request(session, leave: LeaveRequest, **values) -> LeaveRequest:
    """Change a request still to approve (its type, dates or reason); its days are counted again."""
    if leave.state != SUBMITTED:
        raise ValidationError(gettext("Only a request to approve is changed: this one was decided or cancelled."))
    values = clean(LeaveRequest, {k: v for k, v in values.items() if k != "employee_id"}, record=leave,
                   session=session)
    with session.no_autoflush:
        for key, value in values.items():
            setattr(leave, key, value)
        _count(session, leave, leave.employee)
    session.flush()
    return leave


def _count(session, leave: LeaveRequest, employee: Employee) -> None:
    if leave.date_to < leave.date_from:
        raise ValidationError(gettext("The leave ends before it starts."), "date_to")
    if leave.date_to.year != leave.date_from.year:
        raise ValidationError(gettext("A request stays within one year: ask for the days of %(year)s apart.",
                                      year=leave.date_to.year), "date_to")
    overlapping = session.scalars(select(LeaveRequest).where(
        LeaveRequest.employee_id == employee.id, LeaveRequest.state.in_(HOLDING), LeaveRequest.id != leave.id,
        LeaveRequest.date_from <= leave.date_to, LeaveRequest.date_to >= leave.date_from).limit(1)).first()
    if overlapping is not None:
        raise ValidationError(gettext("%(employee)s already asked for %(from)s to %(to)s: the dates overlap.",
                                      employee=employee.name, **{"from": overlapping.date_from.isoformat(),
                                                                 "to": overlapping.date_to.isoformat()}), "date_from")
    days = Decimal(len(working_days(session, employee, leave.date_from, leave.date_to)))
    if not days:
        raise ValidationError(gettext("These dates fall on days off only (weekends or holidays): nothing to ask."),
                              "date_from")
    leave_type = session.get(LeaveType, leave.leave_type_id)
    if leave_type.needs_allocation:
        left = balance(session, employee.id, leave_type.id, leave.date_from.year, excluding=leave.id)
        if days > left:
            raise ValidationError(gettext(
                "%(days)s days asked, %(left)s left of %(type)s in %(year)s.", days=_days(days), left=_days(left),
                type=leave_type.name, year=leave.date_from.year), "date_to")
    leave.days = days


def approve(session, actor, leave: LeaveRequest) -> LeaveRequest:
    _may_decide(session, actor, leave)
    record_decision(leave, actor, APPROVED)
    session.flush()
    _notify_employee(session, leave)
    registry = session.info.get("registry")
    if registry is not None:
        registry.hook.leave_approved(session=session, leave=leave)
    return leave


def refuse(session, actor, leave: LeaveRequest, *, reason: str) -> LeaveRequest:
    _may_decide(session, actor, leave)
    record_decision(leave, actor, REFUSED, reason=reason or "")
    session.flush()
    _notify_employee(session, leave)
    return leave


def cancel(session, actor, leave: LeaveRequest, today: dt.date | None = None) -> LeaveRequest:
    """The employee (or HR) withdraws a request to approve, or an approved one that has not started."""
    today = today or dt.date.today()
    if leave.state not in HOLDING or (leave.state == APPROVED and leave.date_from <= today):
        raise ValidationError(gettext("Only a request to approve, or an approved one that has not started, is "
                                      "cancelled."))
    leave.state = CANCELLED
    session.flush()
    return leave


def _may_decide(session, actor, leave: LeaveRequest) -> None:
    if leave.state != SUBMITTED:
        raise ValidationError(gettext("This request was already decided."))
    hr_only = gettext("Requests of %(type)s are decided by HR officers.", type=leave.leave_type.name) \
        if leave.leave_type.approver == BY_HR else None
    check_approver(session, actor, leave.employee, hr_only=hr_only)


# --- balances ----------------------------------------------------------------------------------------------------

def balance(session, employee_id: int, leave_type_id: int, year: int, *, excluding: int | None = None) -> Decimal:
    """Days allocated for ``year`` less the days of requests to approve or approved."""
    allocated = session.scalar(select(LeaveAllocation.days).where(
        LeaveAllocation.employee_id == employee_id, LeaveAllocation.leave_type_id == leave_type_id,
        LeaveAllocation.year == year)) or Decimal(0)
    return allocated - _taken(session, employee_id, leave_type_id, year, excluding)


def _taken(session, employee_id: int, leave_type_id: int, year: int, excluding: int | None = None) -> Decimal:
    query = select(func.coalesce(func.sum(LeaveRequest.days), 0)).where(
        LeaveRequest.employee_id == employee_id, LeaveRequest.leave_type_id == leave_type_id,
        LeaveRequest.state.in_(HOLDING), LeaveRequest.date_from >= dt.date(year, 1, 1),
        LeaveRequest.date_from <= dt.date(year, 12, 31))
    if excluding is not None:
        query = query.where(LeaveRequest.id != excluding)
    return Decimal(session.scalar(query))


class Balance(NamedTuple):
    """An allocation of a year and what is left of it."""

    employee_id: int
    employee: str
    leave_type_id: int
    leave_type: str
    allocated: Decimal
    taken: Decimal
    left: Decimal


def balances(session, year: int, *, employee_id: int | None = None, company_id: int | None = None
             ) -> list[Balance]:
    """The balance of every allocation of ``year`` the session may read (or of one employee's, or one company's),
    by employee and type, in one query: the allocations joined to the days held per employee and type. Names,
    not records: thousands of employees come back as fast as the rows do."""
    held = (select(LeaveRequest.employee_id, LeaveRequest.leave_type_id, func.sum(LeaveRequest.days).label("days"))
            .where(LeaveRequest.state.in_(HOLDING), LeaveRequest.date_from.between(dt.date(year, 1, 1),
                                                                                   dt.date(year, 12, 31)))
            .group_by(LeaveRequest.employee_id, LeaveRequest.leave_type_id))
    query = (select(Employee.id, Employee.name, LeaveType.id, LeaveType.name, LeaveAllocation.days)
             .select_from(LeaveAllocation)
             .join(Employee, LeaveAllocation.employee_id == Employee.id)
             .join(LeaveType, LeaveAllocation.leave_type_id == LeaveType.id)
             .where(LeaveAllocation.year == year).order_by(Employee.name, Employee.id, LeaveType.name))
    if employee_id is not None:
        held = held.where(LeaveRequest.employee_id == employee_id)
        query = query.where(LeaveAllocation.employee_id == employee_id)
    if company_id is not None:
        query = query.where(LeaveAllocation.company_id == company_id)
    held = held.subquery()
    query = query.add_columns(held.c.days).outerjoin(held, (held.c.employee_id == LeaveAllocation.employee_id)
                                                     & (held.c.leave_type_id == LeaveAllocation.leave_type_id))
    return [Balance(employee, name, leave_type, type_name, allocated, taken or Decimal(0),
                    allocated - (taken or Decimal(0)))
            for employee, name, leave_type, type_name, allocated, taken in session.execute(query)]


def allocate(session, company_id: int, **values) -> LeaveAllocation:
    values = clean(LeaveAllocation, values, session=session)
    allocation = LeaveAllocation(company_id=company_id, **values)
    session.add(allocation)
    session.flush()
    return allocation


def accrue(session, company_id: int, month: dt.date) -> int:
    """Add each accruing type's monthly days to the allocations of employees with a contract in ``month``;
    run again for the same month, it adds nothing. Returns the number of allocations credited."""
    first = month.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    types = session.scalars(select(LeaveType).where(LeaveType.company_id == company_id, LeaveType.active.is_(True),
                                                    LeaveType.accrual_days_per_month.is_not(None))).all()
    employees = session.scalars(select(Contract.employee_id).where(
        Contract.company_id == company_id, Contract.state != "draft", Contract.date_start <= last,
        (Contract.date_end.is_(None)) | (Contract.date_end >= first)).distinct()).all()
    credited = 0
    for leave_type in types:
        for employee_id in employees:
            allocation = _allocation(session, company_id, employee_id, leave_type.id, first.year)
            if allocation.accrued_until is not None and allocation.accrued_until >= last:
                continue
            allocation.days += leave_type.accrual_days_per_month
            allocation.accrued_until = last
            credited += 1
    session.flush()
    return credited


def carry_over(session, company_id: int, year: int) -> int:
    """Pass what is left of ``year`` to the next year, up to each type's limit, once."""
    moved = 0
    limits = dict(session.execute(select(LeaveType.id, LeaveType.max_carry_over_days).where(
        LeaveType.company_id == company_id, LeaveType.max_carry_over_days > 0)).all())
    for balance in balances(session, year, company_id=company_id):
        if balance.leave_type_id not in limits or balance.left <= 0:
            continue
        following = _allocation(session, company_id, balance.employee_id, balance.leave_type_id, year + 1)
        if following.carried_over:
            continue
        carried = min(balance.left, limits[balance.leave_type_id])
        following.carried_over = carried
        following.days += carried
        moved += 1
    session.flush()
    return moved


def _allocation(session, company_id: int, employee_id: int, leave_type_id: int, year: int) -> LeaveAllocation:
    allocation = session.scalars(select(LeaveAllocation).where(
        LeaveAllocation.employee_id == employee_id, LeaveAllocation.leave_type_id == leave_type_id,
        LeaveAllocation.year == year)).first()
    if allocation is None:
        allocation = LeaveAllocation(company_id=company_id, employee_id=employee_id, leave_type_id=leave_type_id,
                                     year=year, days=Decimal(0), carried_over=Decimal(0))
        session.add(allocation)
        session.flush()
    return allocation


def _days(value: Decimal) -> str:
    """2.5 and 22 rather than 2.50 and 22.00."""
    return format(value.normalize(), "f")


# --- mail --------------------------------------------------------------------------------------------------------

def _notify_approver(session, leave: LeaveRequest) -> None:
    with system_rows(session) as system:
        employee = system.get(Employee, leave.employee_id)
        manager = manager_of(employee)
        user = manager.user if manager is not None else None
        if user is None or not user.email:
            return
        with force_locale(user.lang):
            _mail(system, user, gettext("Leave to approve: %(employee)s", employee=employee.name),
                  gettext("%(employee)s asks for %(days)s days of %(type)s, from %(from)s to %(to)s.",
                          employee=employee.name, days=_days(leave.days), type=leave.leave_type.name,
                          **{"from": leave.date_from.isoformat(), "to": leave.date_to.isoformat()}), leave)


def _notify_employee(session, leave: LeaveRequest) -> None:
    with system_rows(session) as system:
        user = system.get(Employee, leave.employee_id).user
        if user is None or not user.email:
            return
        with force_locale(user.lang):
            subject = gettext("Your leave from %(from)s to %(to)s is approved.", **{
                "from": leave.date_from.isoformat(), "to": leave.date_to.isoformat()}) if leave.state == APPROVED \
                else gettext("Your leave from %(from)s to %(to)s is refused: %(reason)s", reason=leave.refusal, **{
                    "from": leave.date_from.isoformat(), "to": leave.date_to.isoformat()})
            _mail(system, user, subject, subject, leave)


def _mail(session, user: User, subject: str, text: str, leave: LeaveRequest) -> None:
    queue_mail(session, to=user.email, subject=subject[:200], text=text, reference=f"hr.leave:{leave.id}")


def remind_pending(session, today: dt.date | None = None) -> int:
    """Mail each approver the requests waiting longer than :data:`REMIND_AFTER_DAYS` (the daily job)."""
    today = today or utcnow().date()
    cutoff = dt.datetime.combine(today - dt.timedelta(days=REMIND_AFTER_DAYS), dt.time.max)
    pending = session.scalars(select(LeaveRequest).where(LeaveRequest.state == SUBMITTED,
                                                         LeaveRequest.created_at <= cutoff)
                              .order_by(LeaveRequest.created_at)).all()
    by_approver: dict[int, list[LeaveRequest]] = {}
    for leave in pending:
        manager = manager_of(leave.employee)
        if manager is not None and manager.user is not None and manager.user.email:
            by_approver.setdefault(manager.user_id, []).append(leave)
    for user_id, leaves in by_approver.items():
        user = session.get(User, user_id)
        with force_locale(user.lang):
            lines = "\n".join(f"- {leave.employee.name}: {leave.date_from.isoformat()} – {leave.date_to.isoformat()}"
                              for leave in leaves)
            queue_mail(session, to=user.email, subject=ngettext("%(num)s leave request waits for you",
                                                                "%(num)s leave requests wait for you", len(leaves)),
                       text=lines, reference=f"hr.leave_reminder:{user_id}")
    session.flush()
    return len(pending)
