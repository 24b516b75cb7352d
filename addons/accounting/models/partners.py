"""What accounting knows about a partner: its receivable and payable accounts, terms and credit limit.

A side table of ``contacts_partner`` (an extension, see :mod:`core.fields.extensions`):
keyed by the partner, removed with it by the database's cascade, shown on the
partner's pages only while accounting is installed. Its ``company_id`` is the
partner's, set when the row is written (``services.books.complete_partner_rows``),
so the core's company rule and the ledger's company guard apply to it.
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.contacts.models import Partner
from core import Base
from core.fields import field

from .invoicing import PaymentTerm
from .ledger import PAYABLE, RECEIVABLE, Account, Money, active_account


def _active_term(actor):
    return PaymentTerm.active.is_(True)


_TERM_MESSAGE = _l("Choose active payment terms.")


class PartnerAccounting(Base):
    __tablename__ = "accounting_partner"

    partner_id: Mapped[int] = mapped_column(ForeignKey("contacts_partner.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True, info=field(internal=True))
    receivable_account_id: Mapped[int] = mapped_column(ForeignKey("accounting_account.id"), info=field(
        _l("Receivable account"), required=False, domain=active_account(RECEIVABLE),
        domain_message=_l("Choose an active receivable account."),
        help=_l("What the partner owes; empty: the company's default receivable account.")))
    payable_account_id: Mapped[int] = mapped_column(ForeignKey("accounting_account.id"), info=field(
        _l("Payable account"), required=False, domain=active_account(PAYABLE),
        domain_message=_l("Choose an active payable account."),
        help=_l("What the company owes the partner; empty: the company's default payable account.")))
    customer_payment_term_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_payment_term.id"), info=field(
        _l("Customer payment terms"), domain=_active_term, domain_message=_TERM_MESSAGE))
    supplier_payment_term_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_payment_term.id"), info=field(
        _l("Supplier payment terms"), domain=_active_term, domain_message=_TERM_MESSAGE))
    credit_limit: Mapped[Decimal | None] = mapped_column(Money, info=field(
        _l("Credit limit"), minimum=Decimal(0), listed=True, help=_l("Empty: no limit.")))

    partner: Mapped[Partner] = relationship()
    receivable_account: Mapped[Account] = relationship(foreign_keys=[receivable_account_id])
    payable_account: Mapped[Account] = relationship(foreign_keys=[payable_account_id])
    customer_payment_term: Mapped[PaymentTerm | None] = relationship(foreign_keys=[customer_payment_term_id])
    supplier_payment_term: Mapped[PaymentTerm | None] = relationship(foreign_keys=[supplier_payment_term_id])
