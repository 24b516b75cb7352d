"""Budgets: planned amounts per account and period, compared with the posted actuals."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, CompanyMixin, TimestampMixin, intpk, str120

from .ledger import Account, FiscalYear, Money, Period


class Budget(CompanyMixin, TimestampMixin, Base):
    __tablename__ = "accounting_budget"

    id: Mapped[intpk]
    name: Mapped[str120]
    fiscal_year_id: Mapped[int] = mapped_column(ForeignKey("accounting_fiscal_year.id"))

    fiscal_year: Mapped[FiscalYear] = relationship()
    lines: Mapped[list[BudgetLine]] = relationship(back_populates="budget", cascade="all, delete-orphan")


class BudgetLine(CompanyMixin, Base):
    """The planned balance (debit less credit, so income is negative) of an account in a period."""

    __tablename__ = "accounting_budget_line"
    __table_args__ = (UniqueConstraint("budget_id", "account_id", "period_id"),)

    id: Mapped[intpk]
    budget_id: Mapped[int] = mapped_column(ForeignKey("accounting_budget.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounting_account.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("accounting_period.id"))
    amount: Mapped[Decimal] = mapped_column(Money)

    budget: Mapped[Budget] = relationship(back_populates="lines")
    account: Mapped[Account] = relationship()
    period: Mapped[Period] = relationship()
