"""What sales keeps about invoicing orders: each product's invoicing policy, and which invoice lines bill
which order lines.

A product is invoiced on its ordered quantities (the default, and what a
product without a :class:`SalesProduct` row gets) or on its delivered ones.
:class:`InvoiceLineLink` ties an accounting invoice line (of an invoice, a
down-payment invoice or a credit note) to the order it bills: to one of its
lines, or, for a down payment and its deduction, to the order itself. The
order's invoiced quantities, invoice status and payment status are all worked
out from these links (:mod:`addons.sales.services.invoicing`).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.accounting.models import InvoiceLine
from addons.products.models import Product
from core import Base
from core.fields import field

ORDERED, DELIVERED = "ordered", "delivered"
INVOICE_POLICIES = ((ORDERED, _l("Ordered quantities")), (DELIVERED, _l("Delivered quantities")))

NOTHING_TO_INVOICE, TO_INVOICE, PARTLY_INVOICED, INVOICED = "nothing", "to_invoice", "partial", "invoiced"
INVOICE_STATUSES = ((NOTHING_TO_INVOICE, _l("Nothing to invoice")), (TO_INVOICE, _l("To invoice")),
                    (PARTLY_INVOICED, _l("Partly invoiced")), (INVOICED, _l("Invoiced")))
NOT_PAID, PARTLY_PAID, PAID = "not_paid", "partial", "paid"
PAYMENT_STATUSES = ((NOT_PAID, _l("Not paid")), (PARTLY_PAID, _l("Partly paid")), (PAID, _l("Paid")))


class SalesProduct(Base):
    """What sales adds to a product (an extension): how its order lines are invoiced."""

    __tablename__ = "sales_product"

    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True, info=field(internal=True))
    invoice_policy: Mapped[str] = mapped_column(String(12), default=ORDERED, info=field(
        _l("Invoicing policy"), choices=INVOICE_POLICIES,
        help=_l("Ordered quantities: invoiced once the order is confirmed. Delivered quantities: invoiced as "
                "they are delivered.")))

    product: Mapped[Product] = relationship()


class InvoiceLineLink(Base):
    """An invoice line billing an order: one of its lines, or (``order_line_id`` empty) a down payment on it
    or the deduction of one. Written by the sales services only."""

    __tablename__ = "sales_invoice_line"
    __audit__ = False  # a link the system writes between two audited records; it goes when either does

    invoice_line_id: Mapped[int] = mapped_column(
        ForeignKey("accounting_invoice_line.id", ondelete="CASCADE"), primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id", ondelete="CASCADE"), index=True)
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("sales_order_line.id", ondelete="CASCADE"),
                                                      index=True)

    invoice_line: Mapped[InvoiceLine] = relationship()
