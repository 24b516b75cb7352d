"""Time: attendances (check in, check out), the company's activities and the timesheet lines booked on them.

Times are stored in UTC (naive, like every datetime of Bottega) and shown in the user's time zone.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, CompanyMixin, TimestampMixin, intpk, str120
from core.fields import field

from .models import Employee


class Attendance(CompanyMixin, TimestampMixin, Base):
    """A stretch of presence: checked in, then checked out (empty while the employee is in)."""

    __tablename__ = "hr_attendance"
    __table_args__ = (CheckConstraint("check_out IS NULL OR check_out >= check_in", "out_after_in"),
                      Index("ix_hr_attendance_employee_in", "employee_id", "check_in"),
                      # one open attendance per employee, even with two check-ins racing
                      Index("uq_hr_attendance_open", "employee_id", unique=True,
                            sqlite_where=text("check_out IS NULL"), postgresql_where=text("check_out IS NULL")))

    id: Mapped[intpk]
    employee_id: Mapped[int] = mapped_column(ForeignKey("hr_employee.id"), index=True, info=field(
        _l("Employee"), listed=True))
    check_in: Mapped[dt.datetime] = mapped_column(info=field(_l("Check in"), listed=True))
    check_out: Mapped[dt.datetime | None] = mapped_column(info=field(_l("Check out"), listed=True))
    correction_reason: Mapped[str | None] = mapped_column(Text, info=field(
        _l("Why corrected"), help=_l("Required when HR corrects the times; kept in the history.")))

    employee: Mapped[Employee] = relationship()

    @property
    def hours(self) -> Decimal | None:
        if self.check_out is None:
            return None
        return (Decimal((self.check_out - self.check_in).total_seconds()) / 3600).quantize(Decimal("0.01"))


class WorkActivity(CompanyMixin, TimestampMixin, Base):
    """A project or activity the company's people book their hours on."""

    __tablename__ = "hr_activity"
    __table_args__ = (UniqueConstraint("company_id", "name"),)

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active"), listed=True))


class TimesheetLine(CompanyMixin, TimestampMixin, Base):
    """Hours an employee spent on an activity on one day (one line per employee, activity and day)."""

    __tablename__ = "hr_timesheet_line"
    __table_args__ = (UniqueConstraint("employee_id", "activity_id", "date"),
                      CheckConstraint("hours >= 0 AND hours <= 24", "hours_in_a_day"),
                      Index("ix_hr_timesheet_line_employee_date", "employee_id", "date"))

    id: Mapped[intpk]
    employee_id: Mapped[int] = mapped_column(ForeignKey("hr_employee.id"), index=True, info=field(
        _l("Employee"), listed=True))
    activity_id: Mapped[int] = mapped_column(ForeignKey("hr_activity.id"), index=True, info=field(
        _l("Activity"), listed=True))
    date: Mapped[dt.date] = mapped_column(info=field(_l("Date"), listed=True))
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 2), info=field(
        _l("Hours"), listed=True, minimum=Decimal(0), maximum=Decimal(24)))

    employee: Mapped[Employee] = relationship()
    activity: Mapped[WorkActivity] = relationship()


class KioskBadge(CompanyMixin, Base):
    """An employee's badge code and PIN for the entrance kiosk; the PIN is kept as an Argon2 hash only."""

    __tablename__ = "hr_kiosk_badge"
    __table_args__ = (UniqueConstraint("company_id", "badge"),)
    __audit_exclude__ = ("pin_hash",)

    employee_id: Mapped[int] = mapped_column(ForeignKey("hr_employee.id"), primary_key=True, info=field(
        _l("Employee"), listed=True))
    badge: Mapped[str] = mapped_column(String(40), info=field(_l("Badge code"), format="code", listed=True))
    pin_hash: Mapped[str] = mapped_column(String(255), info=field(internal=True))

    employee: Mapped[Employee] = relationship()
