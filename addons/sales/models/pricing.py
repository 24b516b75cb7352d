"""Price lists (tariffs), their rules, and the price list a customer is given.

A rule prices a product, every product of a category (and its sub-categories),
or every product, from a quantity (``min_quantity``, in the product's unit)
up to, not including, ``max_quantity`` (empty: no end). It gives a fixed
price in the list's currency, or a percentage on the product's list price or
on its cost: ``-12`` is a 12% discount, ``30`` a 30% markup. Which rule
applies and why is :func:`addons.sales.services.pricing.price_for`'s job.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    Table,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.contacts.models import Partner, Tag
from addons.products.models import Product, ProductCategory
from core import Base, CompanyMixin, TimestampMixin, intpk, str120
from core.fields import field

PRODUCT, CATEGORY, ALL_PRODUCTS = "product", "category", "all"
APPLIES_TO = ((PRODUCT, _l("A product")), (CATEGORY, _l("A product category")), (ALL_PRODUCTS, _l("All products")))
FIXED, LIST, COST = "fixed", "list", "cost"
METHODS = ((FIXED, _l("Fixed price")), (LIST, _l("Percentage on the list price")),
           (COST, _l("Percentage on the cost")))

Quantity = Numeric(16, 4)
UnitPrice = Numeric(18, 6)

pricelist_tags = Table(
    "sales_pricelist_tag",
    Base.metadata,
    Column("pricelist_id", ForeignKey("sales_pricelist.id"), primary_key=True),
    Column("tag_id", ForeignKey("contacts_tag.id"), primary_key=True, index=True),
)


def _active_pricelist(actor):
    return PriceList.active.is_(True)


def _active_product(actor):
    return Product.active.is_(True)


class PriceList(CompanyMixin, TimestampMixin, Base):
    """A tariff in one currency, valid between two dates, for the customers given it or tagged with its tags."""

    __tablename__ = "sales_pricelist"
    __table_args__ = (
        CheckConstraint("date_end IS NULL OR date_start IS NULL OR date_end >= date_start", "dates_in_order"),
    )

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    currency_code: Mapped[str] = mapped_column(String(3), default="EUR", info=field(
        _l("Currency"), format="currency", listed=True))
    date_start: Mapped[dt.date | None] = mapped_column(Date, info=field(_l("Valid from"), listed=True))
    date_end: Mapped[dt.date | None] = mapped_column(Date, info=field(_l("Valid until"), listed=True))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active"), listed=True))

    tags: Mapped[list[Tag]] = relationship(secondary=pricelist_tags, order_by=Tag.name, info=field(
        _l("Customer groups"), help=_l("Customers with one of these tags get this list unless they have their own.")))
    rules: Mapped[list[PriceRule]] = relationship(back_populates="pricelist", cascade="all, delete-orphan",
                                                  order_by="PriceRule.id")

    @property
    def display_name(self) -> str:
        return self.name

    def valid_on(self, date: dt.date) -> bool:
        return ((self.date_start is None or self.date_start <= date)
                and (self.date_end is None or self.date_end >= date))


class PriceRule(CompanyMixin, Base):
    """One line of a price list: what it prices, from which quantity, and how."""

    __tablename__ = "sales_pricelist_rule"
    __table_args__ = (
        Index("ix_sales_pricelist_rule_lookup", "pricelist_id", "applies_to", "product_id", "category_id"),
        CheckConstraint("min_quantity >= 0", "min_quantity_positive"),
        CheckConstraint("max_quantity IS NULL OR max_quantity > min_quantity", "max_above_min"),
        CheckConstraint("fixed_price IS NULL OR fixed_price >= 0", "fixed_price_positive"),
    )

    id: Mapped[intpk]
    pricelist_id: Mapped[int] = mapped_column(ForeignKey("sales_pricelist.id"), index=True, info=field(
        _l("Price list"), listed=True))
    applies_to: Mapped[str] = mapped_column(String(10), default=PRODUCT, info=field(
        _l("Applies to"), choices=APPLIES_TO, listed=True))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products_product.id"), index=True, info=field(
        _l("Product"), listed=True, domain=_active_product, domain_message=_l("Choose an active product.")))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("products_category.id"), index=True, info=field(
        _l("Product category"), display="full_name", listed=True))
    min_quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0), info=field(
        _l("From quantity"), minimum=Decimal(0), listed=True,
        help=_l("The rule applies from this quantity on, in the product's unit.")))
    max_quantity: Mapped[Decimal | None] = mapped_column(Quantity, info=field(
        _l("Up to quantity"), minimum=Decimal(0), listed=True,
        help=_l("The rule applies below this quantity; empty: no limit.")))
    method: Mapped[str] = mapped_column(String(8), default=FIXED, info=field(
        _l("Price"), choices=METHODS, listed=True))
    fixed_price: Mapped[Decimal | None] = mapped_column(UnitPrice, info=field(
        _l("Fixed price"), minimum=Decimal(0), listed=True, help=_l("In the list's currency, per product unit.")))
    percent: Mapped[Decimal] = mapped_column(Numeric(8, 3), default=Decimal(0), info=field(
        _l("Percentage"), minimum=Decimal(-100), maximum=Decimal(1000), listed=True,
        help=_l("On the list price or the cost: -12 takes 12 percent off, 30 adds 30 percent.")))

    pricelist: Mapped[PriceList] = relationship(back_populates="rules")
    product: Mapped[Product | None] = relationship()
    category: Mapped[ProductCategory | None] = relationship()

    @property
    def display_name(self) -> str:
        return f"{self.pricelist.name} #{self.id}"


class SalesPartner(Base):
    """What sales adds to a partner (an extension): the price list the customer is given."""

    __tablename__ = "sales_partner"

    partner_id: Mapped[int] = mapped_column(ForeignKey("contacts_partner.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True, info=field(internal=True))
    pricelist_id: Mapped[int | None] = mapped_column(ForeignKey("sales_pricelist.id"), index=True, info=field(
        _l("Price list"), domain=_active_pricelist, domain_message=_l("Choose an active price list."),
        help=_l("Empty: the list of the customer's groups (tags), else the products' list prices.")))

    partner: Mapped[Partner] = relationship()
    pricelist: Mapped[PriceList | None] = relationship()
