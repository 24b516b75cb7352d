"""Expense categories, claims and their lines.

A claim is in the company's currency and its amounts include tax. It moves draft → submitted → approved →
reimbursed, or is refused with a reason; with accounting (the ``hr_accounting`` bridge) an approved claim is
posted to the ledger before it is reimbursed by a payment.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, CompanyMixin, TimestampMixin, intpk, str120
from core.fields import field
from core.models import User

from ..models import Employee

DRAFT, SUBMITTED, APPROVED, POSTED, REIMBURSED, REFUSED = (
    "draft", "submitted", "approved", "posted", "reimbursed", "refused")
CLAIM_STATES = ((DRAFT, _l("Draft")), (SUBMITTED, _l("To approve")), (APPROVED, _l("Approved")),
                (POSTED, _l("Posted")), (REIMBURSED, _l("Reimbursed")), (REFUSED, _l("Refused")))
#: the states of a claim the company owes its employee
TO_REIMBURSE = (APPROVED, POSTED)


class ExpenseCategory(CompanyMixin, TimestampMixin, Base):
    """Travel, meals, lodging...: what an expense was for (with accounting, the account it is booked to)."""

    __tablename__ = "hr_expense_category"
    __table_args__ = (UniqueConstraint("company_id", "name"),)

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active"), listed=True))


class ExpenseClaim(CompanyMixin, TimestampMixin, Base):
    """What an employee paid for the company and asks back, with the receipts attached to it."""

    __tablename__ = "hr_expense_claim"
    __table_args__ = (Index("ix_hr_expense_claim_state", "company_id", "state", "date"),)

    id: Mapped[intpk]
    employee_id: Mapped[int] = mapped_column(ForeignKey("hr_employee.id"), index=True, info=field(
        _l("Employee"), listed=True, required=False, help=_l("Empty: yourself.")))
    date: Mapped[dt.date] = mapped_column(info=field(_l("Date"), listed=True))
    description: Mapped[str120] = mapped_column(info=field(_l("Description"), listed=True))
    total: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal(0), info=field(
        _l("Total"), readonly=True, listed=True))
    currency_code: Mapped[str] = mapped_column(String(3), info=field(_l("Currency"), internal=True))
    state: Mapped[str] = mapped_column(String(10), default=DRAFT, info=field(
        _l("Status"), choices=CLAIM_STATES, readonly=True, listed=True))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(info=field(_l("Submitted on"), readonly=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), info=field(
        _l("Decided by"), readonly=True))
    decided_at: Mapped[dt.datetime | None] = mapped_column(info=field(_l("Decided on"), readonly=True))
    refusal: Mapped[str | None] = mapped_column(Text, info=field(_l("Why refused"), readonly=True))
    reimbursed_on: Mapped[dt.date | None] = mapped_column(info=field(_l("Reimbursed on"), readonly=True))
    reimbursement_ref: Mapped[str | None] = mapped_column(String(60), info=field(
        _l("Reimbursement reference"), readonly=True))

    employee: Mapped[Employee] = relationship()
    decided_by: Mapped[User | None] = relationship()
    lines: Mapped[list[ExpenseLine]] = relationship(back_populates="claim", order_by="ExpenseLine.sequence",
                                                    cascade="all, delete-orphan")


class ExpenseLine(CompanyMixin, Base):
    """One expense of a claim: its category, day and amount (tax included)."""

    __tablename__ = "hr_expense_line"
    __table_args__ = (CheckConstraint("amount > 0", "amount_positive"),)

    id: Mapped[intpk]
    claim_id: Mapped[int] = mapped_column(ForeignKey("hr_expense_claim.id"), index=True,
                                          info=field(_l("Claim"), internal=True))
    sequence: Mapped[int] = mapped_column(default=10, info=field(_l("Sequence")))
    category_id: Mapped[int] = mapped_column(ForeignKey("hr_expense_category.id"), index=True, info=field(
        _l("Category"), listed=True, domain=lambda actor: ExpenseCategory.active.is_(True),
        domain_message=_l("Choose an active expense category.")))
    date: Mapped[dt.date] = mapped_column(info=field(_l("Date"), listed=True))
    description: Mapped[str | None] = mapped_column(String(255), info=field(_l("Description"), listed=True))
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2), info=field(
        _l("Amount (tax included)"), listed=True, minimum=Decimal("0.01")))

    claim: Mapped[ExpenseClaim] = relationship(back_populates="lines")
    category: Mapped[ExpenseCategory] = relationship()
