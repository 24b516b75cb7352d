"""Quotations and sales orders, and their lines.

A quotation is ``draft`` until it is sent (``sent``), then becomes a sales
order (``confirmed``), or ends ``cancelled``, ``declined`` (by the customer) or
``expired`` (its validity date passed). A customer accepts or declines on the
quotation's public page (see ``services.acceptance``), which keeps who
accepted and their reference, or why they declined. Revising a sent quotation makes a new one with the next revision
number; the old one becomes ``revised`` and read-only, linked from the new.

Amounts are in the order's currency. ``cost`` on a line is the unit cost (per
the line's unit, in the order's currency) taken when the line was priced,
``cost_source`` says where it came from; margins are never printed for the
customer.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.accounting.models import Tax
from addons.accounting.models.ledger import SALE
from addons.contacts.models import Partner
from addons.products.models import Product, Uom
from core import Base, CompanyMixin, TimestampMixin, intpk
from core.fields import field
from core.models import User

from .pricing import PriceList, Quantity, UnitPrice
from .teams import SalesTeam

DRAFT, SENT, CONFIRMED, CANCELLED, EXPIRED, REVISED, DECLINED = (
    "draft", "sent", "confirmed", "cancelled", "expired", "revised", "declined")
ORDER_STATES = ((DRAFT, _l("Quotation")), (SENT, _l("Quotation sent")), (CONFIRMED, _l("Sales order")),
                (CANCELLED, _l("Cancelled")), (EXPIRED, _l("Expired")), (REVISED, _l("Revised")),
                (DECLINED, _l("Declined")))
#: States in which a quotation's header and lines may still change.
EDITABLE = (DRAFT, SENT)
PRODUCT, SECTION, NOTE = "product", "section", "note"
LINE_KINDS = ((PRODUCT, _l("Product or service")), (SECTION, _l("Section")), (NOTE, _l("Note")))

Money = Numeric(18, 2)


def _not_editable(record) -> bool:
    return record.state not in EDITABLE


def _active_partner(actor):
    return Partner.active.is_(True)


def _active_pricelist(actor):
    return PriceList.active.is_(True)


def _active_team(actor):
    return SalesTeam.active.is_(True)


def _active_user(actor):
    return User.active.is_(True)


def _active_product(actor):
    return Product.active.is_(True)


def _active_unit(actor):
    return Uom.active.is_(True)


def _active_tax(actor):
    return Tax.active.is_(True) & (Tax.use == SALE)


class SaleOrder(CompanyMixin, TimestampMixin, Base):
    """A quotation to one customer, then (confirmed) a sales order."""

    __tablename__ = "sales_order"
    __table_args__ = (Index("ix_sales_order_list", "company_id", "date_order", "id"),
                      # the dashboard counts how the quotations of a period ended from this index alone
                      Index("ix_sales_order_state_date", "company_id", "state", "date_order"),
                      # the dashboard's sums over the orders confirmed in a period, read from this index alone
                      Index("ix_sales_order_confirmed", "company_id", "state", "confirmed_at", "id", "date_order",
                            "currency_code", "amount_untaxed", "margin", "user_id", "partner_id", "team_id"),
                      UniqueConstraint("company_id", "number", "revision"))

    id: Mapped[intpk]
    number: Mapped[str | None] = mapped_column(String(32), info=field(_l("Number"), readonly=True, listed=True))
    revision: Mapped[int] = mapped_column(default=0, info=field(_l("Revision"), readonly=True))
    state: Mapped[str] = mapped_column(String(12), default=DRAFT, index=True, info=field(
        _l("Status"), choices=ORDER_STATES, readonly=True, listed=True))
    partner_id: Mapped[int] = mapped_column(ForeignKey("contacts_partner.id"), index=True, info=field(
        _l("Customer"), listed=True, readonly=_not_editable, domain=_active_partner,
        domain_message=_l("Choose an active partner.")))
    pricelist_id: Mapped[int | None] = mapped_column(ForeignKey("sales_pricelist.id"), index=True, info=field(
        _l("Price list"), readonly=_not_editable, domain=_active_pricelist,
        domain_message=_l("Choose an active price list."),
        help=_l("Empty: the customer's price list, else the products' list prices.")))
    currency_code: Mapped[str] = mapped_column(String(3), default="EUR", info=field(
        _l("Currency"), format="currency", readonly=_not_editable))
    date_order: Mapped[dt.date] = mapped_column(Date, info=field(_l("Quotation date"), listed=True,
                                                                 readonly=_not_editable))
    validity_date: Mapped[dt.date | None] = mapped_column(Date, info=field(
        _l("Valid until"), listed=True, readonly=_not_editable))
    payment_terms: Mapped[str | None] = mapped_column(String(255), info=field(
        _l("Payment terms"), readonly=_not_editable))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), index=True, info=field(
        _l("Salesperson"), listed=True, readonly=_not_editable, domain=_active_user,
        domain_message=_l("Choose an active user.")))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("sales_team.id"), index=True, info=field(
        _l("Sales team"), readonly=_not_editable, domain=_active_team, domain_message=_l("Choose an active team.")))
    notes: Mapped[str | None] = mapped_column(Text, info=field(_l("Notes"), readonly=_not_editable))
    amount_untaxed: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), info=field(
        _l("Untaxed amount"), readonly=True))
    amount_tax: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), info=field(_l("Taxes"), readonly=True))
    amount_total: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), info=field(
        _l("Total"), readonly=True, listed=True))
    margin: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), info=field(_l("Margin"), readonly=True))
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("sales_order.id"), index=True, info=field(
        _l("Previous revision"), readonly=True))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, info=field(_l("Confirmed on"),
                                                                                  readonly=True))
    accepted_by: Mapped[str | None] = mapped_column(String(128), info=field(
        _l("Accepted by"), readonly=True, help=_l("The name the customer typed when accepting online.")))
    accepted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, info=field(_l("Accepted on"), readonly=True))
    customer_reference: Mapped[str | None] = mapped_column(String(64), info=field(
        _l("Customer reference"), readonly=True, help=_l("The customer's purchase order number, if they gave one.")))
    declined_at: Mapped[dt.datetime | None] = mapped_column(DateTime, info=field(_l("Declined on"), readonly=True))
    decline_reason: Mapped[str | None] = mapped_column(String(500), info=field(
        _l("Reason for declining"), readonly=True, widget="textarea"))

    partner: Mapped[Partner] = relationship()
    pricelist: Mapped[PriceList | None] = relationship()
    user: Mapped[User | None] = relationship()
    team: Mapped[SalesTeam | None] = relationship()
    previous: Mapped[SaleOrder | None] = relationship(remote_side="SaleOrder.id")
    lines: Mapped[list[SaleOrderLine]] = relationship(back_populates="order", order_by="SaleOrderLine.sequence",
                                                  cascade="all, delete-orphan")

    @property
    def display_name(self) -> str:
        if self.number is None:
            return str(_l("Draft quotation %(id)s", id=self.id))
        return str(_l("%(number)s rev. %(revision)s", number=self.number, revision=self.revision)) \
            if self.revision else self.number

    @property
    def margin_percent(self) -> Decimal | None:
        """The margin as a share of the untaxed amount (None when that is zero)."""
        if not self.amount_untaxed:
            return None
        return (self.margin * 100 / self.amount_untaxed).quantize(Decimal("0.1"))


order_line_taxes = Table(
    "sales_order_line_tax",
    Base.metadata,
    Column("line_id", ForeignKey("sales_order_line.id"), primary_key=True),
    Column("tax_id", ForeignKey("accounting_tax.id"), primary_key=True, index=True),
)


class SaleOrderLine(CompanyMixin, Base):
    """A product or free-text line (or a section title, or a note) of a quotation.

    Quantities and prices are per the line's unit. An ``optional`` line is
    offered but not counted in the totals nor in the margin.
    """

    __tablename__ = "sales_order_line"
    __table_args__ = (
        CheckConstraint("discount >= 0 AND discount <= 100", "discount_percent"),
        CheckConstraint("unit_price >= 0", "unit_price_positive"),
        # the dashboard's products: an order's lines and their sums from this index alone
        Index("ix_sales_order_line_dashboard", "order_id", "kind", "optional", "company_id", "product_id", "subtotal",
              "margin"),
    )

    id: Mapped[intpk]
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id"), index=True, info=field(_l("Quotation")))
    sequence: Mapped[int] = mapped_column(default=10, info=field(_l("Sequence")))
    kind: Mapped[str] = mapped_column(String(8), default=PRODUCT, info=field(_l("Line type"), choices=LINE_KINDS))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products_product.id"), index=True, info=field(
        _l("Product"), domain=_active_product, domain_message=_l("Choose an active product.")))
    description: Mapped[str] = mapped_column(String(255), info=field(_l("Description")))
    quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(1), info=field(
        _l("Quantity"), minimum=Decimal("0.0001")))
    uom_id: Mapped[int | None] = mapped_column(ForeignKey("products_uom.id"), info=field(
        _l("Unit"), domain=_active_unit, domain_message=_l("Choose an active unit of measure."),
        help=_l("Empty: the product's unit.")))
    unit_price: Mapped[Decimal] = mapped_column(UnitPrice, default=Decimal(0), info=field(
        _l("Unit price"), minimum=Decimal(0)))
    price_explanation: Mapped[str | None] = mapped_column(String(255), info=field(
        _l("Price from"), readonly=True))
    discount: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(0), info=field(
        _l("Discount (%)"), minimum=Decimal(0), maximum=Decimal(100)))
    optional: Mapped[bool] = mapped_column(default=False, info=field(
        _l("Optional"), help=_l("Offered to the customer, not counted in the totals.")))
    subtotal: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), info=field(_l("Subtotal"), readonly=True))
    tax_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), info=field(_l("Taxes"), readonly=True))
    total: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), info=field(_l("Total"), readonly=True))
    cost: Mapped[Decimal] = mapped_column(UnitPrice, default=Decimal(0), info=field(_l("Unit cost"), readonly=True))
    cost_source: Mapped[str | None] = mapped_column(String(64), info=field(_l("Cost from"), readonly=True))
    margin: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), info=field(_l("Margin"), readonly=True))
    qty_delivered: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0), info=field(
        _l("Delivered"), readonly=True, help=_l("Per the line's unit.")))
    qty_invoiced: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0), info=field(
        _l("Invoiced"), readonly=True, help=_l("Per the line's unit; credit notes count against it.")))

    order: Mapped[SaleOrder] = relationship(back_populates="lines")
    product: Mapped[Product | None] = relationship(lazy="selectin")
    uom: Mapped[Uom | None] = relationship(lazy="selectin")
    taxes: Mapped[list[Tax]] = relationship(secondary=order_line_taxes, order_by=Tax.sequence, lazy="selectin",
                                            info=field(_l("Taxes"), domain=_active_tax,
                                                       domain_message=_l("Choose active sales taxes.")))

    @property
    def tax_ids(self) -> list[int]:
        """The ids of the line's taxes (what the quotation form edits)."""
        return [tax.id for tax in self.taxes]

    @property
    def is_priced(self) -> bool:
        """A line with an amount (not a section title nor a note)."""
        return self.kind == PRODUCT
