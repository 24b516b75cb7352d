"""Payments and reconciliation.

A reconciliation matches ``amount`` (company currency) of a debit line with
a credit line on the same reconcilable account and partner; a line's
residual is its amount less its reconciliations. Reconciling never changes
a posted line: it only adds or removes rows here.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.contacts.models import Partner
from core import Base, CompanyMixin, TimestampMixin, intpk

from .ledger import Journal, Money, Move, MoveLine

INBOUND, OUTBOUND = "inbound", "outbound"
PAYMENT_KINDS = ((INBOUND, _l("Received")), (OUTBOUND, _l("Sent")))
DRAFT, POSTED, CANCELLED = "draft", "posted", "cancelled"
PAYMENT_STATES = ((DRAFT, _l("Draft")), (POSTED, _l("Posted")), (CANCELLED, _l("Cancelled")))


class Payment(CompanyMixin, TimestampMixin, Base):
    __tablename__ = "accounting_payment"
    __table_args__ = (CheckConstraint("amount > 0", "positive"),)

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(8), info={"choices": PAYMENT_KINDS})
    state: Mapped[str] = mapped_column(String(10), default=DRAFT, info={"choices": PAYMENT_STATES})
    partner_id: Mapped[int] = mapped_column(ForeignKey("contacts_partner.id"), index=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("accounting_journal.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money)
    currency_code: Mapped[str] = mapped_column(String(3), default="EUR")
    rate: Mapped[Decimal] = mapped_column(Numeric(18, 8), default=Decimal("1"))
    reference: Mapped[str | None] = mapped_column(String(64))
    move_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_move.id"))

    partner: Mapped[Partner] = relationship()
    journal: Mapped[Journal] = relationship()
    move: Mapped[Move | None] = relationship()

    @property
    def display_name(self) -> str:
        return self.move.number if self.move is not None and self.move.number else f"payment #{self.id}"


class Reconciliation(CompanyMixin, Base):
    __tablename__ = "accounting_reconciliation"
    __table_args__ = (CheckConstraint("amount > 0", "positive"),)

    id: Mapped[intpk]
    debit_line_id: Mapped[int] = mapped_column(ForeignKey("accounting_move_line.id"), index=True)
    credit_line_id: Mapped[int] = mapped_column(ForeignKey("accounting_move_line.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    amount_currency: Mapped[Decimal | None] = mapped_column(Money)
    date: Mapped[dt.date] = mapped_column(Date)
    exchange_move_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_move.id"))

    debit_line: Mapped[MoveLine] = relationship(foreign_keys=[debit_line_id])
    credit_line: Mapped[MoveLine] = relationship(foreign_keys=[credit_line_id])
