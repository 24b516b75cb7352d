"""Supplier prices, purchase orders (requests for quotation until confirmed) and their lines.

Amounts of an order are in its own currency (``currency_code``); a supplier
price keeps the currency the supplier quotes in (see :mod:`.services.currency`
for when purchase converts). ``received_quantity`` on a line is filled by the
``purchase_stock`` bridge; without stock it stays 0.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.contacts.models import Partner
from addons.products.models import Product, Uom
from core import Base, CompanyMixin, TimestampMixin, intpk
from core.fields import field
from core.models import User

DRAFT, SENT, TO_APPROVE, PURCHASE, DONE, CANCELLED = "draft", "sent", "to_approve", "purchase", "done", "cancelled"
ORDER_STATES = ((DRAFT, _l("Request for quotation")), (SENT, _l("Request sent")), (TO_APPROVE, _l("To approve")),
                (PURCHASE, _l("Purchase order")), (DONE, _l("Done")), (CANCELLED, _l("Cancelled")))
#: States in which an order's header and lines may still change.
EDITABLE = (DRAFT, SENT)

Quantity = Numeric(16, 4)
UnitPrice = Numeric(18, 6)
Money = Numeric(18, 2)


def _active_partner(actor):
    return Partner.active.is_(True)


def _active_product(actor):
    return Product.active.is_(True)


def _active_unit(actor):
    return Uom.active.is_(True)


_PARTNER_MESSAGE = _l("Choose an active partner.")
_PRODUCT_MESSAGE = _l("Choose an active product.")
_UNIT_MESSAGE = _l("Choose an active unit of measure.")


def _not_editable(record) -> bool:
    return record.state not in EDITABLE


class SupplierPrice(CompanyMixin, TimestampMixin, Base):
    """What a supplier charges for a product from a minimum quantity, in a currency, between two dates.

    The price and the minimum quantity are per the product's purchase unit
    (:class:`PurchaseProduct`), else per its unit.
    """

    __tablename__ = "purchase_supplier_price"
    __table_args__ = (
        Index("ix_purchase_supplier_price_product", "product_id", "supplier_id"),
        CheckConstraint("price >= 0", "price_positive"),
        CheckConstraint("min_quantity >= 0", "min_quantity_positive"),
        CheckConstraint("lead_time >= 0", "lead_time_positive"),
        CheckConstraint("date_end IS NULL OR date_start IS NULL OR date_end >= date_start", "dates_in_order"),
    )

    id: Mapped[intpk]
    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id"), info=field(
        _l("Product"), listed=True, domain=_active_product, domain_message=_PRODUCT_MESSAGE))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("contacts_partner.id"), index=True, info=field(
        _l("Supplier"), listed=True, domain=_active_partner, domain_message=_PARTNER_MESSAGE))
    supplier_code: Mapped[str | None] = mapped_column(String(64), info=field(
        _l("Supplier's product code"), listed=True))
    supplier_name: Mapped[str | None] = mapped_column(String(120), info=field(_l("Supplier's product name")))
    min_quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0), info=field(
        _l("Minimum quantity"), minimum=Decimal(0), listed=True,
        help=_l("The price applies from this quantity on.")))
    price: Mapped[Decimal] = mapped_column(UnitPrice, info=field(_l("Price"), minimum=Decimal(0), listed=True))
    currency_code: Mapped[str] = mapped_column(String(3), default="EUR", info=field(
        _l("Currency"), format="currency", listed=True))
    date_start: Mapped[dt.date | None] = mapped_column(Date, info=field(_l("Valid from")))
    date_end: Mapped[dt.date | None] = mapped_column(Date, info=field(_l("Valid until")))
    lead_time: Mapped[int] = mapped_column(default=0, info=field(
        _l("Lead time (days)"), minimum=0, maximum=3650, help=_l("Days between ordering and receiving.")))
    sequence: Mapped[int] = mapped_column(default=10, info=field(
        _l("Sequence"), help=_l("Lower first, among the supplier prices that apply.")))
    preferred: Mapped[bool] = mapped_column(default=False, info=field(
        _l("Preferred"), listed=True, help=_l("Chosen before the other suppliers of the product.")))

    product: Mapped[Product] = relationship()
    supplier: Mapped[Partner] = relationship()

    @property
    def display_name(self) -> str:
        return f"{self.supplier.name}: {self.product.code} ≥ {self.min_quantity.normalize():f}"


class PurchaseSettings(CompanyMixin, Base):
    """A company's purchase settings: the order amount above which a manager must approve."""

    __tablename__ = "purchase_settings"
    __table_args__ = (UniqueConstraint("company_id"),)

    id: Mapped[intpk]
    approval_amount: Mapped[Decimal | None] = mapped_column(Money, info=field(
        _l("Approval above"), minimum=Decimal(0), listed=True,
        help=_l("Orders whose total, in the company's currency, is above this amount need a purchase manager's "
                "approval. Empty: no approval.")))


class PurchaseOrder(CompanyMixin, TimestampMixin, Base):
    """A request for quotation, then (confirmed) a purchase order, to one supplier."""

    __tablename__ = "purchase_order"
    __table_args__ = (Index("ix_purchase_order_list", "company_id", "date_order", "id"),
                      UniqueConstraint("company_id", "number"))

    id: Mapped[intpk]
    number: Mapped[str | None] = mapped_column(String(32), info=field(_l("Number"), readonly=True, listed=True))
    partner_id: Mapped[int] = mapped_column(ForeignKey("contacts_partner.id"), index=True, info=field(
        _l("Supplier"), listed=True, readonly=_not_editable, domain=_active_partner,
        domain_message=_PARTNER_MESSAGE))
    state: Mapped[str] = mapped_column(String(12), default=DRAFT, index=True, info=field(
        _l("Status"), choices=ORDER_STATES, readonly=True, listed=True))
    date_order: Mapped[dt.date] = mapped_column(Date, info=field(_l("Order date"), listed=True,
                                                                 readonly=_not_editable))
    currency_code: Mapped[str] = mapped_column(String(3), default="EUR", info=field(
        _l("Currency"), format="currency", readonly=_not_editable))
    supplier_reference: Mapped[str | None] = mapped_column(String(64), info=field(
        _l("Supplier's reference"), readonly=_not_editable))
    notes: Mapped[str | None] = mapped_column(Text, info=field(_l("Notes"), readonly=_not_editable))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), index=True, info=field(
        _l("Buyer"), readonly=True))
    amount_total: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), info=field(
        _l("Total"), readonly=True, listed=True))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), info=field(
        _l("Approved by"), readonly=True))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, info=field(_l("Confirmed on"),
                                                                                  readonly=True))

    partner: Mapped[Partner] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    lines: Mapped[list[OrderLine]] = relationship(back_populates="order", order_by="OrderLine.sequence",
                                                  cascade="all, delete-orphan")

    @property
    def display_name(self) -> str:
        return self.number or str(_l("Draft request %(id)s", id=self.id))


class OrderLine(CompanyMixin, Base):
    """A product ordered: quantity in a unit, price per that unit (in the order's currency), when it should arrive.

    ``received_quantity`` is in the line's unit too.
    """

    __tablename__ = "purchase_order_line"
    __table_args__ = (
        CheckConstraint("quantity > 0", "quantity_positive"),
        CheckConstraint("unit_price >= 0", "unit_price_positive"),
        CheckConstraint("received_quantity >= 0", "received_positive"),
    )

    id: Mapped[intpk]
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_order.id"), index=True, info=field(
        _l("Purchase order")))
    sequence: Mapped[int] = mapped_column(default=10, info=field(_l("Sequence")))
    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id"), index=True, info=field(
        _l("Product"), domain=_active_product, domain_message=_PRODUCT_MESSAGE))
    description: Mapped[str] = mapped_column(String(255), info=field(_l("Description")))
    quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(1), info=field(
        _l("Quantity"), minimum=Decimal("0.0001")))
    uom_id: Mapped[int] = mapped_column(ForeignKey("products_uom.id"), info=field(
        _l("Unit"), required=False, domain=_active_unit, domain_message=_UNIT_MESSAGE,
        help=_l("Empty: the product's purchase unit, else its unit.")))
    unit_price: Mapped[Decimal] = mapped_column(UnitPrice, default=Decimal(0), info=field(
        _l("Unit price"), minimum=Decimal(0)))
    subtotal: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), info=field(_l("Subtotal"), readonly=True))
    expected_date: Mapped[dt.date | None] = mapped_column(Date, info=field(_l("Expected on")))
    received_quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0), info=field(
        _l("Received"), readonly=True))
    supplier_price_id: Mapped[int | None] = mapped_column(
        ForeignKey("purchase_supplier_price.id"), info=field(_l("Supplier price"),
                                                                                  readonly=True))

    order: Mapped[PurchaseOrder] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship(lazy="selectin")
    uom: Mapped[Uom] = relationship(lazy="selectin")
    supplier_price: Mapped[SupplierPrice | None] = relationship()

    def is_late(self, today: dt.date) -> bool:
        """Expected before ``today`` on a confirmed order and not all received."""
        return (self.order.state == PURCHASE and self.expected_date is not None and self.expected_date < today
                and self.received_quantity < self.quantity)


class PurchaseProduct(Base):
    """What purchase adds to a product (an extension): the unit it is bought in, its preferred supplier and
    last purchase price.

    The purchase unit is the user's (empty: the product's unit); the rest is
    written by the services only: the preferred supplier when supplier
    prices change, the last price (per the purchase unit) when an order is
    confirmed.
    """

    __tablename__ = "purchase_product"

    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True, info=field(internal=True))
    purchase_uom_id: Mapped[int | None] = mapped_column(ForeignKey("products_uom.id"), info=field(
        _l("Purchase unit"), domain=_active_unit, domain_message=_UNIT_MESSAGE,
        help=_l("The unit supplier prices and orders count this product in; empty: the product's unit.")))
    preferred_supplier_id: Mapped[int | None] = mapped_column(ForeignKey("contacts_partner.id"), info=field(
        _l("Preferred supplier"), readonly=True, listed=True))
    last_purchase_price: Mapped[Decimal | None] = mapped_column(UnitPrice, info=field(
        _l("Last purchase price"), readonly=True))
    last_purchase_currency: Mapped[str | None] = mapped_column(String(3), info=field(
        _l("Last purchase currency"), readonly=True))
    last_purchase_date: Mapped[dt.date | None] = mapped_column(Date, info=field(_l("Last purchased on"),
                                                                                readonly=True))

    preferred_supplier: Mapped[Partner | None] = relationship()
    purchase_uom: Mapped[Uom | None] = relationship()


ALL = (SupplierPrice, PurchaseSettings, PurchaseOrder, OrderLine, PurchaseProduct)
