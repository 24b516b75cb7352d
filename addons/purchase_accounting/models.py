"""The bridge's own rows: a company's billing policy, which order line each bill line bills, and who accepted
a bill's differences from its order.

All three tables belong to the bridge, so they exist only while purchase and
accounting are both installed and go with the bridge when it is purged.
"""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.accounting.models import Account, Invoice, InvoiceLine, Tax
from addons.accounting.models.ledger import ACTIVE_ACCOUNT, active_account
from addons.accounting.models.taxes import PURCHASE as PURCHASE_TAX
from addons.purchase.models import OrderLine, PurchaseOrder
from core import Base, CompanyMixin, intpk
from core.fields import field
from core.models import User

ORDERED, RECEIVED = "ordered", "received"
POLICIES = ((ORDERED, _l("Ordered quantities")), (RECEIVED, _l("Received quantities")))


def _purchase_tax(actor):
    return Tax.active.is_(True) & (Tax.use == PURCHASE_TAX)


class BillingSettings(CompanyMixin, Base):
    """How a company bills its purchase orders."""

    __tablename__ = "purchase_accounting_settings"
    __table_args__ = (UniqueConstraint("company_id"),)

    id: Mapped[intpk]
    policy: Mapped[str] = mapped_column(String(10), default=ORDERED, info=field(
        _l("Bill"), choices=POLICIES, listed=True,
        help=_l("What a bill made from an order takes: what was ordered, or what was received. Received "
                "quantities come from stock: while stock is not installed nothing is received, and the ordered "
                "quantities are billed instead.")))
    tax_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_tax.id"), info=field(
        _l("Purchase tax"), listed=True, domain=_purchase_tax, domain_message=_l("Choose an active purchase tax."),
        help=_l("The tax put on the lines of bills made from orders whose product has no default purchase "
                "taxes (its own, its category's or the company's); empty: none (add taxes on the draft).")))

    goods_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_account.id"), info=field(
        _l("Account for goods"), listed=True, domain=active_account(), domain_message=ACTIVE_ACCOUNT,
        help=_l("Where bill lines of goods (not services) are booked; empty: the goods received not billed "
                "account when stock is valued in the ledger (the bill clears what the receipt booked), else "
                "accounting's expense account.")))

    tax: Mapped[Tax | None] = relationship()
    goods_account: Mapped[Account | None] = relationship()


class BillLine(Base):
    """A bill line made from an order line (the bill line's quantity is in the order line's unit)."""

    __tablename__ = "purchase_accounting_bill_line"
    __audit__ = False  # a link between two audited records (a bill line, an order line); it goes with either

    invoice_line_id: Mapped[int] = mapped_column(ForeignKey("accounting_invoice_line.id", ondelete="CASCADE"),
                                                 primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("accounting_invoice.id", ondelete="CASCADE"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("purchase_order_line.id", ondelete="CASCADE"),
                                               index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_order.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True, info=field(internal=True))

    invoice_line: Mapped[InvoiceLine] = relationship()
    invoice: Mapped[Invoice] = relationship()
    order_line: Mapped[OrderLine] = relationship()
    order: Mapped[PurchaseOrder] = relationship()


class Acceptance(Base):
    """A purchase manager's or accountant's acceptance of a bill's differences from its order.

    ``differences`` is what the three-way check found when they accepted: the
    acceptance holds while the check still finds exactly that.
    """

    __tablename__ = "purchase_accounting_acceptance"

    # deleted with its draft bill by the bridge's flush guard (audited), not by the database
    invoice_id: Mapped[int] = mapped_column(ForeignKey("accounting_invoice.id"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True, info=field(internal=True))
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), info=field(
        _l("Accepted by"), readonly=True))
    accepted_at: Mapped[dt.datetime] = mapped_column(DateTime, info=field(_l("Accepted on"), readonly=True))
    differences: Mapped[str] = mapped_column(Text, info=field(_l("Differences accepted"), readonly=True))
    reason: Mapped[str | None] = mapped_column(Text, info=field(_l("Reason")))

    accepted_by: Mapped[User | None] = relationship()


ALL = (BillingSettings, BillLine, Acceptance)
