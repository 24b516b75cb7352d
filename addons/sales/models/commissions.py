"""Commission plans and the statements confirmed from them.

A :class:`CommissionPlan` pays a salesperson (or every member of a sales
team without a plan of their own) a percentage of the revenue or of the
margin of the invoices of their orders, counted when invoiced or when paid,
by progressive bands (:class:`CommissionBand`): each band's rate applies to
the part of the period's base inside the band.

A :class:`CommissionStatement` is what a sales manager confirmed for one
salesperson and period: its documents (:class:`CommissionStatementLine`) and
band breakdown (:class:`CommissionStatementBand`) are copies, so it does not
change when invoices change afterwards. Cancelling it lets the period be
computed and confirmed again.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, CompanyMixin, TimestampMixin, intpk, str120
from core.fields import field
from core.models import User

from .orders import Money, _active_team, _active_user
from .teams import SalesTeam

REVENUE, MARGIN = "revenue", "margin"
COMMISSION_BASES = ((REVENUE, _l("Revenue (untaxed invoiced amount)")), (MARGIN, _l("Margin")))
ON_INVOICE, ON_PAYMENT = "invoiced", "paid"
COMMISSION_TRIGGERS = ((ON_INVOICE, _l("When invoiced")), (ON_PAYMENT, _l("When paid")))
STATEMENT_CONFIRMED, STATEMENT_CANCELLED = "confirmed", "cancelled"
STATEMENT_STATES = ((STATEMENT_CONFIRMED, _l("Confirmed statement")), (STATEMENT_CANCELLED, _l("Cancelled")))

Rate = Numeric(5, 2)


class CommissionPlan(CompanyMixin, TimestampMixin, Base):
    """How much commission a salesperson, or a sales team's members, earn on their invoiced orders."""

    __tablename__ = "sales_commission_plan"

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active"), listed=True))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), index=True, info=field(
        _l("Salesperson"), listed=True, domain=_active_user, domain_message=_l("Choose an active user."),
        help=_l("A salesperson's own plan wins over their team's.")))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("sales_team.id"), index=True, info=field(
        _l("Sales team"), listed=True, domain=_active_team, domain_message=_l("Choose an active team."),
        help=_l("For the team's members who have no plan of their own.")))
    base: Mapped[str] = mapped_column(String(10), default=REVENUE, info=field(
        _l("Commission on"), choices=COMMISSION_BASES, listed=True, required=True))
    trigger: Mapped[str] = mapped_column(String(10), default=ON_INVOICE, info=field(
        _l("Counted when"), choices=COMMISSION_TRIGGERS, listed=True, required=True,
        help=_l("When invoiced: on the invoice date. When paid: the share of the invoice paid in the period, "
                "on the payment date.")))

    user: Mapped[User | None] = relationship()
    team: Mapped[SalesTeam | None] = relationship()
    bands: Mapped[list[CommissionBand]] = relationship(back_populates="plan", order_by="CommissionBand.sequence",
                                                       cascade="all, delete-orphan")

    @property
    def display_name(self) -> str:
        return self.name


class CommissionBand(CompanyMixin, Base):
    """One band of a plan: ``rate`` percent of the period's base between ``amount_from`` and ``amount_to``
    (empty: no upper end)."""

    __tablename__ = "sales_commission_band"
    __table_args__ = (CheckConstraint("rate >= 0 AND rate <= 100", "rate_percent"),)

    id: Mapped[intpk]
    plan_id: Mapped[int] = mapped_column(ForeignKey("sales_commission_plan.id"), index=True,
                                         info=field(_l("Commission plan")))
    sequence: Mapped[int] = mapped_column(default=10, info=field(_l("Sequence")))
    amount_from: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), info=field(
        _l("Lower limit"), minimum=Decimal(0)))
    amount_to: Mapped[Decimal | None] = mapped_column(Money, info=field(
        _l("Upper limit"), minimum=Decimal(0), help=_l("Empty: no upper end (the last band only).")))
    rate: Mapped[Decimal] = mapped_column(Rate, info=field(
        _l("Commission rate (%)"), minimum=Decimal(0), maximum=Decimal(100)))

    plan: Mapped[CommissionPlan] = relationship(back_populates="bands")


class CommissionStatement(CompanyMixin, TimestampMixin, Base):
    """A salesperson's commission for a period, as a sales manager confirmed it."""

    __tablename__ = "sales_commission_statement"

    id: Mapped[intpk]
    reference: Mapped[str] = mapped_column(String(32), index=True, info=field(
        _l("Reference"), readonly=True, listed=True))
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), index=True, info=field(
        _l("Salesperson"), readonly=True, listed=True))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("sales_commission_plan.id"),
                                                index=True, info=field(_l("Commission plan"), readonly=True))
    plan_name: Mapped[str120] = mapped_column(info=field(_l("Plan"), readonly=True))
    base_kind: Mapped[str] = mapped_column(String(10), info=field(
        _l("Commission on"), choices=COMMISSION_BASES, readonly=True))
    trigger: Mapped[str] = mapped_column(String(10), info=field(
        _l("Counted when"), choices=COMMISSION_TRIGGERS, readonly=True))
    date_from: Mapped[dt.date] = mapped_column(Date, info=field(_l("From"), readonly=True, listed=True))
    date_to: Mapped[dt.date] = mapped_column(Date, info=field(_l("Until"), readonly=True, listed=True))
    currency_code: Mapped[str] = mapped_column(String(3), info=field(_l("Currency"), readonly=True))
    base_amount: Mapped[Decimal] = mapped_column(Money, info=field(_l("Commission base"), readonly=True))
    amount: Mapped[Decimal] = mapped_column(Money, info=field(_l("Commission"), readonly=True, listed=True))
    state: Mapped[str] = mapped_column(String(10), default=STATEMENT_CONFIRMED, index=True, info=field(
        _l("Status"), choices=STATEMENT_STATES, readonly=True, listed=True))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), info=field(
        _l("Confirmed by"), readonly=True))
    confirmed_at: Mapped[dt.datetime] = mapped_column(DateTime, info=field(_l("Confirmed on"), readonly=True))
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), info=field(
        _l("Cancelled by"), readonly=True))
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime, info=field(_l("Cancelled on"),
                                                                                  readonly=True))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
    cancelled_by: Mapped[User | None] = relationship(foreign_keys=[cancelled_by_id])
    lines: Mapped[list[CommissionStatementLine]] = relationship(
        back_populates="statement", order_by="CommissionStatementLine.sequence", cascade="all, delete-orphan")
    bands: Mapped[list[CommissionStatementBand]] = relationship(
        back_populates="statement", order_by="CommissionStatementBand.sequence", cascade="all, delete-orphan")

    @property
    def display_name(self) -> str:
        return self.reference


class CommissionStatementLine(CompanyMixin, Base):
    """A document a statement counted, as it was then: an invoice (or its paid share) or a credit note."""

    __tablename__ = "sales_commission_statement_line"

    id: Mapped[intpk]
    statement_id: Mapped[int] = mapped_column(ForeignKey("sales_commission_statement.id"), index=True,
                                              info=field(_l("Statement")))
    sequence: Mapped[int] = mapped_column(default=10, info=field(_l("Sequence")))
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_invoice.id"),
                                                   index=True, info=field(_l("Invoice")))
    number: Mapped[str] = mapped_column(String(32), info=field(_l("Number")))
    customer: Mapped[str] = mapped_column(String(255), info=field(_l("Customer")))
    date: Mapped[dt.date] = mapped_column(Date, info=field(_l("Date")))
    share: Mapped[Decimal] = mapped_column(Numeric(9, 4), info=field(
        _l("Share counted (%)"), help=_l("Of the document's base: what was paid in the period, when paid.")))
    base_amount: Mapped[Decimal] = mapped_column(Money, info=field(_l("Commission base")))

    statement: Mapped[CommissionStatement] = relationship(back_populates="lines")


class CommissionStatementBand(CompanyMixin, Base):
    """One band of a statement: the part of the base inside it, its rate and the commission on that part."""

    __tablename__ = "sales_commission_statement_band"

    id: Mapped[intpk]
    statement_id: Mapped[int] = mapped_column(ForeignKey("sales_commission_statement.id"), index=True,
                                              info=field(_l("Statement")))
    sequence: Mapped[int] = mapped_column(default=10, info=field(_l("Sequence")))
    amount_from: Mapped[Decimal] = mapped_column(Money, info=field(_l("Lower limit")))
    amount_to: Mapped[Decimal | None] = mapped_column(Money, info=field(_l("Upper limit")))
    rate: Mapped[Decimal] = mapped_column(Rate, info=field(_l("Commission rate (%)")))
    base_amount: Mapped[Decimal] = mapped_column(Money, info=field(_l("Base in the band")))
    amount: Mapped[Decimal] = mapped_column(Money, info=field(_l("Commission")))

    statement: Mapped[CommissionStatement] = relationship(back_populates="bands")
