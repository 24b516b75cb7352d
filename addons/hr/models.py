"""People: departments, job positions, employees, their private data, working schedules and contracts.

What only HR officers may see (national id, social security number, bank
account, wage) lives in tables of its own, encrypted at rest
(:mod:`core.encryption`): an employee's private data is an extension of the
employee (:class:`EmployeePrivate`), so its fields appear on the employee's
pages, exports and imports only for users who may read that model.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, CompanyMixin, TimestampMixin, intpk, str120
from core.encrypted_columns import Encrypted
from core.fields import field
from core.models import User

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
PERMANENT, FIXED_TERM, APPRENTICE, FREELANCE = "permanent", "fixed_term", "apprentice", "freelance"
CONTRACT_KINDS = ((PERMANENT, _l("Permanent")), (FIXED_TERM, _l("Fixed term")), (APPRENTICE, _l("Apprenticeship")),
                  (FREELANCE, _l("Freelance")))
DRAFT, RUNNING, ENDED = "draft", "running", "ended"
SUBMITTED, APPROVED, REFUSED, CANCELLED = "submitted", "approved", "refused", "cancelled"
LEAVE_STATES = ((SUBMITTED, _l("To approve")), (APPROVED, _l("Approved")), (REFUSED, _l("Refused")),
                (CANCELLED, _l("Cancelled")))
#: the states of a request that holds its days (counted in the balance, and overlapping is refused)
HOLDING = (SUBMITTED, APPROVED)
BY_MANAGER, BY_HR = "manager", "hr"
APPROVERS = ((BY_MANAGER, _l("The employee's manager")), (BY_HR, _l("An HR officer")))
CONTRACT_STATES = ((DRAFT, _l("Draft")), (RUNNING, _l("Running")), (ENDED, _l("Ended")))


def _active_users(actor):
    return User.active.is_(True)


class Department(CompanyMixin, TimestampMixin, Base):
    """A department in the company's tree, with its manager (an employee)."""

    __tablename__ = "hr_department"
    __table_args__ = (UniqueConstraint("company_id", "parent_id", "name"),)

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("hr_department.id"), index=True, info=field(
        _l("Parent department"), listed=True))
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("hr_employee.id", use_alter=True), index=True,
                                                   info=field(_l("Manager"), listed=True))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active")))

    parent: Mapped[Department | None] = relationship(remote_side="Department.id")
    manager: Mapped[Employee | None] = relationship(foreign_keys=[manager_id], post_update=True)


class JobPosition(CompanyMixin, TimestampMixin, Base):
    __tablename__ = "hr_job"
    __table_args__ = (UniqueConstraint("company_id", "name"),)

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("hr_department.id"), index=True, info=field(
        _l("Department"), listed=True))
    description: Mapped[str | None] = mapped_column(Text, info=field(_l("Description")))

    department: Mapped[Department | None] = relationship()


class Employee(CompanyMixin, TimestampMixin, Base):
    """A person working for the company; ``user_id`` when they log in to Bottega (self-service)."""

    __tablename__ = "hr_employee"
    __table_args__ = (UniqueConstraint("company_id", "user_id"),
                      Index("ix_hr_employee_list", "company_id", "name", "id"))

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), index=True, info=field(
        _l("User"), domain=_active_users, help=_l("The login of this employee, for self-service.")))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("hr_department.id"), index=True, info=field(
        _l("Department"), listed=True))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("hr_job.id"), index=True, info=field(
        _l("Job position"), listed=True))
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("hr_employee.id"), index=True, info=field(
        _l("Manager"), listed=True, help=_l("Empty: the department's manager.")))
    work_email: Mapped[str | None] = mapped_column(info=field(_l("Work email"), format="email", listed=True))
    work_phone: Mapped[str | None] = mapped_column(String(40), info=field(_l("Work phone"), format="phone"))
    mobile_phone: Mapped[str | None] = mapped_column(String(40), info=field(_l("Mobile phone"), format="phone"))
    country_code: Mapped[str | None] = mapped_column(String(2), info=field(
        _l("Country of work"), format="country", help=_l("Its public holidays apply; empty: the company's country.")))
    region: Mapped[str | None] = mapped_column(String(10), info=field(
        _l("Region of work"), format="code",
        help=_l("The region whose public holidays apply too, by its ISO code: MD for Madrid, 25 for Lombardy.")))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active")))

    user: Mapped[User | None] = relationship()
    department: Mapped[Department | None] = relationship(foreign_keys=[department_id])
    job: Mapped[JobPosition | None] = relationship()
    manager: Mapped[Employee | None] = relationship(remote_side="Employee.id", foreign_keys=[manager_id])


class EmployeePrivate(Base):
    """An employee's private data, encrypted at rest and read by HR officers only."""

    __tablename__ = "hr_employee_private"

    employee_id: Mapped[int] = mapped_column(ForeignKey("hr_employee.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True, info=field(internal=True))
    national_id: Mapped[str | None] = mapped_column(Encrypted(String(20)), info=field(_l("National id"),
                                                                                      format="code"))
    social_security_number: Mapped[str | None] = mapped_column(Encrypted(String(20)), info=field(
        _l("Social security number"), format="code"))
    bank_account: Mapped[str | None] = mapped_column(Encrypted(String(34)), info=field(_l("Bank account (IBAN)"),
                                                                                       format="iban"))
    private_email: Mapped[str | None] = mapped_column(Encrypted(String(255)), info=field(
        _l("Private email"), format="email"))
    private_phone: Mapped[str | None] = mapped_column(Encrypted(String(40)), info=field(
        _l("Private phone"), format="phone"))
    private_address: Mapped[str | None] = mapped_column(Encrypted(String(255)), info=field(_l("Private address")))
    emergency_contact: Mapped[str | None] = mapped_column(Encrypted(String(120)), info=field(
        _l("Emergency contact"), help=_l("Whom to call if something happens to you at work.")))
    emergency_phone: Mapped[str | None] = mapped_column(Encrypted(String(40)), info=field(
        _l("Emergency phone"), format="phone"))


class WorkingSchedule(CompanyMixin, TimestampMixin, Base):
    """Hours worked on each weekday: 8 from Monday to Friday, or 4 on three days for a part-time schedule."""

    __tablename__ = "hr_schedule"
    __table_args__ = (UniqueConstraint("company_id", "name"),
                      *(CheckConstraint(f"{day}_hours >= 0 AND {day}_hours <= 24", f"{day}_hours_in_a_day")
                        for day in WEEKDAYS))

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    monday_hours: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal(8), info=field(
        _l("Monday"), minimum=Decimal(0), maximum=Decimal(24)))
    tuesday_hours: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal(8), info=field(
        _l("Tuesday"), minimum=Decimal(0), maximum=Decimal(24)))
    wednesday_hours: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal(8), info=field(
        _l("Wednesday"), minimum=Decimal(0), maximum=Decimal(24)))
    thursday_hours: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal(8), info=field(
        _l("Thursday"), minimum=Decimal(0), maximum=Decimal(24)))
    friday_hours: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal(8), info=field(
        _l("Friday"), minimum=Decimal(0), maximum=Decimal(24)))
    saturday_hours: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal(0), info=field(
        _l("Saturday"), minimum=Decimal(0), maximum=Decimal(24)))
    sunday_hours: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal(0), info=field(
        _l("Sunday"), minimum=Decimal(0), maximum=Decimal(24)))

    def hours_on(self, day: dt.date) -> Decimal:
        return getattr(self, f"{WEEKDAYS[day.weekday()]}_hours")

    @property
    def weekly_hours(self) -> Decimal:
        return sum((getattr(self, f"{day}_hours") for day in WEEKDAYS), Decimal(0))


class Contract(CompanyMixin, TimestampMixin, Base):
    """An employment contract: its dates, kind, monthly wage (encrypted), schedule and cost centre."""

    __tablename__ = "hr_contract"
    __table_args__ = (CheckConstraint("date_end IS NULL OR date_end >= date_start", "ends_after_start"),
                      Index("ix_hr_contract_employee_dates", "employee_id", "date_start"))

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Reference"), listed=True))
    employee_id: Mapped[int] = mapped_column(ForeignKey("hr_employee.id"), index=True, info=field(
        _l("Employee"), listed=True))
    kind: Mapped[str] = mapped_column(String(16), default=PERMANENT, info=field(_l("Kind"), choices=CONTRACT_KINDS,
                                                                                 listed=True))
    date_start: Mapped[dt.date] = mapped_column(info=field(_l("Start date"), listed=True))
    date_end: Mapped[dt.date | None] = mapped_column(info=field(_l("End date"), listed=True))
    wage: Mapped[Decimal] = mapped_column(Encrypted(Numeric(18, 2)), info=field(
        _l("Monthly wage"), minimum=Decimal(0)))
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("hr_schedule.id"), index=True, info=field(
        _l("Working schedule")))
    cost_centre: Mapped[str | None] = mapped_column(String(40), info=field(_l("Cost centre")))
    state: Mapped[str] = mapped_column(String(8), default=DRAFT, info=field(_l("Status"), choices=CONTRACT_STATES,
                                                                             readonly=True, listed=True))

    employee: Mapped[Employee] = relationship()
    schedule: Mapped[WorkingSchedule | None] = relationship()


class PublicHoliday(CompanyMixin, Base):
    """A day off the company adds to the country's public holidays (a local feast, a closing day)."""

    __tablename__ = "hr_public_holiday"
    __table_args__ = (UniqueConstraint("company_id", "date", "region"),)

    id: Mapped[intpk]
    date: Mapped[dt.date] = mapped_column(info=field(_l("Date"), listed=True))
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    region: Mapped[str | None] = mapped_column(String(10), info=field(
        _l("Region"), format="code", listed=True, help=_l("Empty: every employee of the company.")))


class LeaveType(CompanyMixin, TimestampMixin, Base):
    """Vacation, sick leave, unpaid leave...: whether it needs allocated days, who approves, how days carry over."""

    __tablename__ = "hr_leave_type"
    __table_args__ = (UniqueConstraint("company_id", "name"),)

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    needs_allocation: Mapped[bool] = mapped_column(default=True, info=field(
        _l("Needs allocated days"), listed=True, help=_l("A request may not take more days than the balance.")))
    approver: Mapped[str] = mapped_column(String(8), default=BY_MANAGER, info=field(
        _l("Approved by"), choices=APPROVERS, listed=True))
    paid: Mapped[bool] = mapped_column(default=True, info=field(_l("Paid")))
    accrual_days_per_month: Mapped[Decimal | None] = mapped_column(Numeric(5, 2), info=field(
        _l("Days earned per month"), minimum=Decimal(0), maximum=Decimal(31),
        help=_l("Empty: the allocation is given whole at the start of the year.")))
    max_carry_over_days: Mapped[Decimal | None] = mapped_column(Numeric(6, 2), info=field(
        _l("Days carried over at most"), minimum=Decimal(0),
        help=_l("What is left at the end of a year passes to the next, up to this; empty: nothing.")))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active")))


class LeaveAllocation(CompanyMixin, TimestampMixin, Base):
    """Days of a leave type an employee may take in a year (given, earned month by month, or carried over)."""

    __tablename__ = "hr_leave_allocation"
    __table_args__ = (UniqueConstraint("employee_id", "leave_type_id", "year"),
                      CheckConstraint("days >= 0", "days_not_negative"))

    id: Mapped[intpk]
    employee_id: Mapped[int] = mapped_column(ForeignKey("hr_employee.id"), index=True, info=field(
        _l("Employee"), listed=True))
    leave_type_id: Mapped[int] = mapped_column(ForeignKey("hr_leave_type.id"), index=True, info=field(
        _l("Leave type"), listed=True))
    year: Mapped[int] = mapped_column(info=field(_l("Year"), listed=True, minimum=2000, maximum=2100))
    days: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(0), info=field(
        _l("Days"), listed=True, minimum=Decimal(0), maximum=Decimal(366)))
    carried_over: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(0), info=field(
        _l("Carried over"), readonly=True))
    accrued_until: Mapped[dt.date | None] = mapped_column(info=field(_l("Earned until"), readonly=True))

    employee: Mapped[Employee] = relationship()
    leave_type: Mapped[LeaveType] = relationship()


class LeaveRequest(CompanyMixin, TimestampMixin, Base):
    """Whole days off asked by an employee; the days counted follow their schedule and the holidays."""

    __tablename__ = "hr_leave"
    __table_args__ = (CheckConstraint("date_to >= date_from", "ends_after_start"),
                      Index("ix_hr_leave_employee_dates", "employee_id", "date_from", "date_to"),
                      Index("ix_hr_leave_pending", "company_id", "state", "created_at"))

    id: Mapped[intpk]
    employee_id: Mapped[int] = mapped_column(ForeignKey("hr_employee.id"), index=True, info=field(
        _l("Employee"), listed=True, required=False, help=_l("Empty: yourself.")))
    leave_type_id: Mapped[int] = mapped_column(ForeignKey("hr_leave_type.id"), index=True, info=field(
        _l("Leave type"), listed=True))
    date_from: Mapped[dt.date] = mapped_column(info=field(_l("First day"), listed=True))
    date_to: Mapped[dt.date] = mapped_column(info=field(_l("Last day"), listed=True))
    days: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(0), info=field(
        _l("Days"), readonly=True, listed=True))
    reason: Mapped[str | None] = mapped_column(Text, info=field(_l("Reason")))
    state: Mapped[str] = mapped_column(String(10), default=SUBMITTED, info=field(
        _l("Status"), choices=LEAVE_STATES, readonly=True, listed=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), info=field(
        _l("Decided by"), readonly=True))
    decided_at: Mapped[dt.datetime | None] = mapped_column(info=field(_l("Decided on"), readonly=True))
    refusal: Mapped[str | None] = mapped_column(Text, info=field(_l("Why refused"), readonly=True))

    employee: Mapped[Employee] = relationship()
    leave_type: Mapped[LeaveType] = relationship()
    decided_by: Mapped[User | None] = relationship()
