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
from core.fields import field

from .ledger import BANK, CASH, Journal, Money, Move, MoveLine

INBOUND, OUTBOUND = "inbound", "outbound"
PAYMENT_KINDS = ((INBOUND, _l("Received")), (OUTBOUND, _l("Sent")))
DRAFT, POSTED, CANCELLED = "draft", "posted", "cancelled"
PAYMENT_STATES = ((DRAFT, _l("Draft")), (POSTED, _l("Posted")), (CANCELLED, _l("Cancelled")))


def _not_draft(record) -> bool:
    return record.state != DRAFT


class Payment(CompanyMixin, TimestampMixin, Base):
    __tablename__ = "accounting_payment"
    __table_args__ = (CheckConstraint("amount > 0", "positive"),)

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(8), info=field(_l("Kind"), choices=PAYMENT_KINDS, readonly=True))
    state: Mapped[str] = mapped_column(String(10), default=DRAFT, info=field(
        _l("Status"), choices=PAYMENT_STATES, readonly=True))
    partner_id: Mapped[int] = mapped_column(ForeignKey("contacts_partner.id"), index=True, info=field(
        _l("Partner"), readonly=_not_draft))
    journal_id: Mapped[int] = mapped_column(ForeignKey("accounting_journal.id"), info=field(
        _l("Journal"), readonly=_not_draft, domain=lambda actor: Journal.active.is_(True) & Journal.kind.in_(
            (BANK, CASH)), domain_message=_l("Choose an active bank or cash journal.")))
    date: Mapped[dt.date] = mapped_column(Date, info=field(_l("Date"), readonly=_not_draft))
    amount: Mapped[Decimal] = mapped_column(Money, info=field(
        _l("Amount"), minimum=Decimal("0.01"), readonly=_not_draft))
    currency_code: Mapped[str] = mapped_column(String(3), default="EUR", info=field(
        _l("Currency"), readonly=_not_draft))
    rate: Mapped[Decimal] = mapped_column(Numeric(18, 8), default=Decimal("1"), info=field(_l("Rate"), readonly=True))
    reference: Mapped[str | None] = mapped_column(String(64), info=field(_l("Reference"), readonly=_not_draft))
    move_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_move.id"), info=field(
        _l("Entry"), readonly=True))

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
    debit_line_id: Mapped[int] = mapped_column(ForeignKey("accounting_move_line.id"), index=True, info=field(
        _l("Debit line"), readonly=True))
    credit_line_id: Mapped[int] = mapped_column(ForeignKey("accounting_move_line.id"), index=True, info=field(
        _l("Credit line"), readonly=True))
    amount: Mapped[Decimal] = mapped_column(Money, info=field(_l("Amount"), readonly=True))
    amount_currency: Mapped[Decimal | None] = mapped_column(Money, info=field(_l("Amount in currency"),
                                                                               readonly=True))
    date: Mapped[dt.date] = mapped_column(Date, info=field(_l("Date"), readonly=True))
    exchange_move_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_move.id"), info=field(
        _l("Exchange difference entry"), readonly=True))

    debit_line: Mapped[MoveLine] = relationship(foreign_keys=[debit_line_id])
    credit_line: Mapped[MoveLine] = relationship(foreign_keys=[credit_line_id])
