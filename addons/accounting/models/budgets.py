"""Budgets: planned amounts per account and period, compared with the posted actuals."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, CompanyMixin, TimestampMixin, intpk, str120
from core.fields import field

from .ledger import ACTIVE_ACCOUNT, Account, FiscalYear, Money, Period, active_account


class Budget(CompanyMixin, TimestampMixin, Base):
    __tablename__ = "accounting_budget"

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    fiscal_year_id: Mapped[int] = mapped_column(ForeignKey("accounting_fiscal_year.id"), info=field(
        _l("Fiscal year"), listed=True))

    fiscal_year: Mapped[FiscalYear] = relationship()
    lines: Mapped[list[BudgetLine]] = relationship(back_populates="budget", cascade="all, delete-orphan")


class BudgetLine(CompanyMixin, Base):
    """The planned balance (debit less credit, so income is negative) of an account in a period."""

    __tablename__ = "accounting_budget_line"
    __table_args__ = (UniqueConstraint("budget_id", "account_id", "period_id"),)

    id: Mapped[intpk]
    budget_id: Mapped[int] = mapped_column(ForeignKey("accounting_budget.id"), index=True, info=field(
        _l("Budget"), listed=True))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounting_account.id"), info=field(
        _l("Account"), domain=active_account(), domain_message=ACTIVE_ACCOUNT, listed=True))
    period_id: Mapped[int] = mapped_column(ForeignKey("accounting_period.id"), info=field(_l("Period"), listed=True))
    amount: Mapped[Decimal] = mapped_column(Money, info=field(
        _l("Amount"), listed=True, help=_l("The planned balance: debit less credit, so income is negative.")))

    budget: Mapped[Budget] = relationship(back_populates="lines")
    account: Mapped[Account] = relationship()
    period: Mapped[Period] = relationship()
