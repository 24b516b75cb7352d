"""A company's sales rules (minimum margin, credit policy) and the approvals a sales manager gives quotations.

``SalesSettings`` is one row per company; a company without one follows the
defaults (no minimum margin, a warning for credit problems). A
``SaleApproval`` is asked for a quotation that breaks a rule set to need a
manager's approval; it covers the quotation as it was when it was asked for
(``fingerprint``): a change to its lines or totals afterwards voids it.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from core import Base, CompanyMixin, TimestampMixin, intpk
from core.fields import field
from core.models import User

from .orders import SaleOrder

WARN, BLOCK, APPROVAL = "warn", "block", "approval"
MARGIN_POLICIES = ((WARN, _l("Warn")), (APPROVAL, _l("Needs a sales manager's approval")))
CREDIT_POLICIES = ((WARN, _l("Warn")), (BLOCK, _l("Block the confirmation")),
                   (APPROVAL, _l("Needs a sales manager's approval")))

PENDING, APPROVED, REFUSED = "pending", "approved", "refused"
APPROVAL_STATES = ((PENDING, _l("Waiting for approval")), (APPROVED, _l("Approved")), (REFUSED, _l("Refused")))


class SalesSettings(CompanyMixin, Base):
    """What a company asks of its quotations before they become orders."""

    __tablename__ = "sales_settings"
    __table_args__ = (UniqueConstraint("company_id"),
                      CheckConstraint("min_margin_percent >= 0 AND min_margin_percent <= 100", "margin_percent"))

    id: Mapped[intpk]
    min_margin_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2), info=field(
        _l("Minimum margin (%)"), minimum=Decimal(0), maximum=Decimal(100),
        help=_l("Of the untaxed amount; empty: no minimum.")))
    margin_policy: Mapped[str] = mapped_column(String(12), default=WARN, info=field(
        _l("Under the minimum margin"), choices=MARGIN_POLICIES, required=True))
    credit_policy: Mapped[str] = mapped_column(String(12), default=WARN, info=field(
        _l("Over the credit limit or with overdue invoices"), choices=CREDIT_POLICIES, required=True,
        help=_l("What confirming an order does when its customer owes too much.")))


class SaleApproval(CompanyMixin, TimestampMixin, Base):
    """A salesperson's request that a sales manager let a quotation be confirmed despite the company's rules."""

    __tablename__ = "sales_approval"

    id: Mapped[intpk]
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id"), index=True, info=field(
        _l("Quotation"), readonly=True))
    state: Mapped[str] = mapped_column(String(10), default=PENDING, info=field(
        _l("Status"), choices=APPROVAL_STATES, readonly=True, listed=True))
    reasons: Mapped[str] = mapped_column(Text, info=field(_l("Why it needs approval"), readonly=True))
    #: the rules the request is about (``margin``, ``credit``), comma-separated
    kinds: Mapped[str] = mapped_column(String(32), info=field(internal=True))
    #: what the quotation's lines and totals were when it was asked for (see services.approvals)
    fingerprint: Mapped[str] = mapped_column(String(64), info=field(internal=True))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), info=field(
        _l("Requested by"), readonly=True))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime, info=field(_l("Requested on"), readonly=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), info=field(
        _l("Decided by"), readonly=True))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime, info=field(_l("Decided on"), readonly=True))
    refusal_reason: Mapped[str | None] = mapped_column(Text, info=field(_l("Reason for refusing"), readonly=True))

    # deleting a draft quotation deletes its requests through the session (logged), not behind the audit
    order: Mapped[SaleOrder] = relationship(backref=backref("approvals", cascade="all, delete-orphan",
                                                             order_by="SaleApproval.id"))
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
