"""Customer invoices, supplier bills and credit notes, their lines and taxes, and payment terms.

Amounts on an invoice are in its own currency; posting converts them at the
invoice date's rate into the journal entry (``move``). ``residual`` and
``payment_state`` are kept by the reconciliation service: ``credited`` when
what settled the invoice is its credit notes (or, on a credit note, the
invoice it credits) rather than money; an invoice whose total is zero is
``paid`` from its posting on.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, ForeignKey, Index, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.contacts.models import Partner
from addons.products.models import Product
from core import Base, CompanyMixin, TimestampMixin, intpk, str120
from core.fields import field

from .ledger import ACTIVE_ACCOUNT, PURCHASE, SALE, Account, Journal, Money, Move, active_account
from .taxes import Tax

OUT_INVOICE, IN_INVOICE, OUT_REFUND, IN_REFUND = "out_invoice", "in_invoice", "out_refund", "in_refund"
INVOICE_KINDS = ((OUT_INVOICE, _l("Customer invoice")), (IN_INVOICE, _l("Supplier bill")),
                 (OUT_REFUND, _l("Customer credit note")), (IN_REFUND, _l("Supplier credit note")))
DRAFT, POSTED, CANCELLED = "draft", "posted", "cancelled"
INVOICE_STATES = ((DRAFT, _l("Draft")), (POSTED, _l("Posted")), (CANCELLED, _l("Cancelled")))
NOT_PAID, PARTIAL, PAID, CREDITED = "not_paid", "partial", "paid", "credited"
PAYMENT_STATES = ((NOT_PAID, _l("Unpaid")), (PARTIAL, _l("Partially paid")), (PAID, _l("Paid")),
                  (CREDITED, _l("Credited")))
#: nothing is left to pay: paid (a zero total from its posting on), or settled by its credit notes
SETTLED = (PAID, CREDITED)


def _not_draft(record) -> bool:
    """An invoice's header once it is posted or cancelled (its amounts are the service's anyway)."""
    return record.state != DRAFT


def _active_term(actor):
    return PaymentTerm.active.is_(True)


def _invoice_journal(actor):
    return Journal.active.is_(True) & Journal.kind.in_((SALE, PURCHASE))


class PaymentTerm(CompanyMixin, TimestampMixin, Base):
    """When an invoice falls due: one or more instalments (e.g. 30/60/90 days, end of month)."""

    __tablename__ = "accounting_payment_term"

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active"), listed=True))

    lines: Mapped[list[PaymentTermLine]] = relationship(back_populates="term", order_by="PaymentTermLine.sequence",
                                                        cascade="all, delete-orphan")


class PaymentTermLine(CompanyMixin, Base):
    """An instalment: ``percent`` of the total (the last one takes the balance), ``days`` after the date,
    optionally moved to the end of that month."""

    __tablename__ = "accounting_payment_term_line"

    id: Mapped[intpk]
    term_id: Mapped[int] = mapped_column(ForeignKey("accounting_payment_term.id"), index=True,
                                         info=field(_l("Payment terms")))
    sequence: Mapped[int] = mapped_column(default=10, info=field(_l("Order")))
    percent: Mapped[Decimal] = mapped_column(Numeric(7, 4), default=Decimal("100"), info=field(
        _l("Percent of the total"), minimum=Decimal(0), maximum=Decimal(100)))
    days: Mapped[int] = mapped_column(default=0, info=field(_l("Days after the invoice date"), minimum=0,
                                                            maximum=3660))
    end_of_month: Mapped[bool] = mapped_column(default=False, info=field(_l("At the end of that month")))

    term: Mapped[PaymentTerm] = relationship(back_populates="lines")


class Invoice(CompanyMixin, TimestampMixin, Base):
    __tablename__ = "accounting_invoice"
    __table_args__ = (Index("ix_accounting_invoice_list", "company_id", "kind", "date", "id"),)  # the lists' order

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(12), default=OUT_INVOICE, info=field(
        _l("Kind"), choices=INVOICE_KINDS, readonly=True))
    state: Mapped[str] = mapped_column(String(10), default=DRAFT, info=field(
        _l("Status"), choices=INVOICE_STATES, readonly=True))
    number: Mapped[str | None] = mapped_column(String(32), index=True, info=field(_l("Number"), readonly=True))
    partner_id: Mapped[int] = mapped_column(ForeignKey("contacts_partner.id"), index=True, info=field(
        _l("Partner"), readonly=_not_draft, domain=lambda actor: Partner.active.is_(True),
        domain_message=_l("Choose an active partner.")))
    journal_id: Mapped[int] = mapped_column(ForeignKey("accounting_journal.id"), info=field(
        _l("Journal"), readonly=_not_draft, domain=_invoice_journal,
        domain_message=_l("Choose an active sales or purchase journal.")))
    date: Mapped[dt.date] = mapped_column(Date, info=field(_l("Date"), readonly=_not_draft))
    due_date: Mapped[dt.date | None] = mapped_column(Date, info=field(_l("Due date"), readonly=_not_draft))
    payment_term_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_payment_term.id"), info=field(
        _l("Payment terms"), readonly=_not_draft, domain=_active_term,
        domain_message=_l("Choose active payment terms.")))
    currency_code: Mapped[str] = mapped_column(String(3), default="EUR", info=field(
        _l("Currency"), readonly=_not_draft))
    rate: Mapped[Decimal] = mapped_column(Numeric(18, 8), default=Decimal("1"), info=field(_l("Rate"), readonly=True))
    reference: Mapped[str | None] = mapped_column(String(64), info=field(_l("Reference"), readonly=_not_draft))
    narration: Mapped[str | None] = mapped_column(Text, info=field(_l("Notes"), readonly=_not_draft))
    origin_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_invoice.id"), info=field(
        _l("Credit note of"), readonly=True))
    move_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_move.id"), info=field(
        _l("Entry"), readonly=True))
    amount_untaxed: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"), info=field(
        _l("Untaxed"), readonly=True))
    amount_tax: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"), info=field(_l("Taxes"), readonly=True))
    amount_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"), info=field(_l("Total"), readonly=True))
    residual: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"), info=field(
        _l("Amount due"), readonly=True))
    payment_state: Mapped[str] = mapped_column(String(10), default=NOT_PAID, info=field(
        _l("Payment"), choices=PAYMENT_STATES, readonly=True))

    partner: Mapped[Partner] = relationship()
    journal: Mapped[Journal] = relationship()
    payment_term: Mapped[PaymentTerm | None] = relationship()
    move: Mapped[Move | None] = relationship()
    origin_invoice: Mapped[Invoice | None] = relationship(remote_side="Invoice.id")
    lines: Mapped[list[InvoiceLine]] = relationship(back_populates="invoice", order_by="InvoiceLine.sequence",
                                                    cascade="all, delete-orphan")
    taxes: Mapped[list[InvoiceTax]] = relationship(back_populates="invoice", cascade="all, delete-orphan")

    @property
    def display_name(self) -> str:
        return self.number or f"draft #{self.id}"

    @property
    def is_customer(self) -> bool:
        return self.kind in (OUT_INVOICE, OUT_REFUND)

    @property
    def is_refund(self) -> bool:
        return self.kind in (OUT_REFUND, IN_REFUND)


invoice_line_taxes = Table(
    "accounting_invoice_line_tax",
    Base.metadata,
    Column("line_id", ForeignKey("accounting_invoice_line.id"), primary_key=True),
    Column("tax_id", ForeignKey("accounting_tax.id"), primary_key=True, index=True),
)


class InvoiceLine(CompanyMixin, Base):
    __tablename__ = "accounting_invoice_line"

    id: Mapped[intpk]
    invoice_id: Mapped[int] = mapped_column(ForeignKey("accounting_invoice.id"), index=True,
                                            info=field(_l("Invoice")))
    sequence: Mapped[int] = mapped_column(default=10, info=field(_l("Order")))
    description: Mapped[str] = mapped_column(String(255), info=field(_l("Description")))
    #: on a credit note, the line of the invoice it credits (the quantity left to credit is counted from these)
    origin_line_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_invoice_line.id"),
                                                       index=True, info=field(internal=True))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products_product.id"), index=True, info=field(
        _l("Product"), domain=lambda actor: Product.active.is_(True), domain_message=_l("Choose an active product.")))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounting_account.id"), info=field(
        _l("Account"), domain=active_account(), domain_message=ACTIVE_ACCOUNT))
    quantity: Mapped[Decimal] = mapped_column(Numeric(16, 4), default=Decimal("1"), info=field(_l("Quantity")))
    unit_price: Mapped[Decimal] = mapped_column(Numeric(18, 6), default=Decimal("0"), info=field(
        _l("Unit price"), minimum=Decimal(0)))
    discount: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"), info=field(
        _l("Discount (%)"), minimum=Decimal(0), maximum=Decimal(100)))
    subtotal: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"), info=field(_l("Subtotal"), readonly=True))
    total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"), info=field(_l("Total"), readonly=True))

    invoice: Mapped[Invoice] = relationship(back_populates="lines")
    # loaded with the lines (the invoice page, PDF, e-invoices and posting read them for every line)
    account: Mapped[Account] = relationship(lazy="selectin")
    product: Mapped[Product | None] = relationship(lazy="selectin")
    taxes: Mapped[list[Tax]] = relationship(secondary=invoice_line_taxes, order_by=Tax.sequence, lazy="selectin",
                                            info=field(_l("Taxes"), domain=lambda actor: Tax.active.is_(True),
                                                       domain_message=_l("Choose active taxes.")))

    @property
    def tax_ids(self) -> list[int]:
        """The ids of the line's taxes (what the invoice form edits: a draft opened again keeps them ticked)."""
        return [tax.id for tax in self.taxes]


class InvoiceTax(CompanyMixin, Base):
    """One tax of an invoice: its base and amount in the invoice's currency, as printed and posted."""

    __tablename__ = "accounting_invoice_tax"
    __table_args__ = (UniqueConstraint("invoice_id", "tax_id"),)

    id: Mapped[intpk]
    invoice_id: Mapped[int] = mapped_column(ForeignKey("accounting_invoice.id"), index=True,
                                            info=field(_l("Invoice")))
    tax_id: Mapped[int] = mapped_column(ForeignKey("accounting_tax.id"), info=field(_l("Tax")))
    base: Mapped[Decimal] = mapped_column(Money, info=field(_l("Base")))
    amount: Mapped[Decimal] = mapped_column(Money, info=field(_l("Amount")))

    invoice: Mapped[Invoice] = relationship(back_populates="taxes")
    tax: Mapped[Tax] = relationship()



