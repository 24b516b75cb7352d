"""What accounting knows about a partner: its receivable and payable accounts, terms and credit limit.

Kept beside ``contacts_partner`` rather than as columns on it, so the row
exists only while accounting is installed and uninstalling drops it whole.
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.contacts.models import Partner
from core import Base, CompanyMixin, intpk

from .invoicing import PaymentTerm
from .ledger import Account, Money


class PartnerAccounting(CompanyMixin, Base):
    __tablename__ = "accounting_partner"
    __table_args__ = (UniqueConstraint("partner_id"),)

    id: Mapped[intpk]
    partner_id: Mapped[int] = mapped_column(ForeignKey("contacts_partner.id"))
    receivable_account_id: Mapped[int] = mapped_column(ForeignKey("accounting_account.id"))
    payable_account_id: Mapped[int] = mapped_column(ForeignKey("accounting_account.id"))
    customer_payment_term_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_payment_term.id"))
    supplier_payment_term_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_payment_term.id"))
    credit_limit: Mapped[Decimal | None] = mapped_column(Money)

    partner: Mapped[Partner] = relationship()
    receivable_account: Mapped[Account] = relationship(foreign_keys=[receivable_account_id])
    payable_account: Mapped[Account] = relationship(foreign_keys=[payable_account_id])
    customer_payment_term: Mapped[PaymentTerm | None] = relationship(foreign_keys=[customer_payment_term_id])
    supplier_payment_term: Mapped[PaymentTerm | None] = relationship(foreign_keys=[supplier_payment_term_id])
