"""Attributes and their values (Size: S, M, L), and the values a configurable product offers, each with its
price extra. Variants are products (models.Product with ``template_id``); which values a variant was made of
is :class:`VariantValue`."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, CompanyMixin, TimestampMixin, intpk
from core.fields import field

from .models import Product


class Attribute(CompanyMixin, TimestampMixin, Base):
    """A way a configurable product varies (Size, Colour, Options)."""

    __tablename__ = "products_attribute"
    __table_args__ = (UniqueConstraint("company_id", "name"),)

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(60), info=field(_l("Name"), listed=True))
    sequence: Mapped[int] = mapped_column(default=10, info=field(
        _l("Sequence"), listed=True, help=_l("Where the attribute comes in a variant's name: lower first.")))
    required: Mapped[bool] = mapped_column(default=True, info=field(
        _l("Required"), listed=True,
        help=_l("A product offering values of this attribute is sold only once one of them is chosen; "
                "untick it for extras such as gift wrapping.")))

    @property
    def display_name(self) -> str:
        return self.name


class AttributeValue(CompanyMixin, TimestampMixin, Base):
    """One value of an attribute (M of Size); ``code`` goes into the variants' codes (TSHIRT-M-RED)."""

    __tablename__ = "products_attribute_value"
    __table_args__ = (UniqueConstraint("attribute_id", "name"),)

    id: Mapped[intpk]
    attribute_id: Mapped[int] = mapped_column(ForeignKey("products_attribute.id"), index=True, info=field(
        _l("Attribute"), listed=True))
    name: Mapped[str] = mapped_column(String(60), info=field(_l("Name"), listed=True))
    code: Mapped[str] = mapped_column(String(12), info=field(_l("Code"), format="code", listed=True, help=_l(
        "Short, for the variants' codes: M, RED.")))
    sequence: Mapped[int] = mapped_column(default=10, info=field(_l("Sequence"), listed=True))

    attribute: Mapped[Attribute] = relationship(lazy="joined")

    @property
    def display_name(self) -> str:
        return f"{self.attribute.name}: {self.name}"


class OfferedValue(CompanyMixin, TimestampMixin, Base):
    """A value a configurable product comes in, and what it adds to the list price (in the company's currency).

    A product offering values is configurable: it is sold as one of its
    variants, and the attributes of its values are the ones to choose.
    """

    __tablename__ = "products_offered_value"
    __table_args__ = (UniqueConstraint("product_id", "value_id"),)

    id: Mapped[intpk]
    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id"), index=True, info=field(
        _l("Configurable product"), listed=True))
    value_id: Mapped[int] = mapped_column(ForeignKey("products_attribute_value.id"), index=True, info=field(
        _l("Value"), listed=True))
    price_extra: Mapped[Decimal] = mapped_column(Numeric(18, 6), default=Decimal(0), info=field(
        _l("Price extra"), listed=True, help=_l("Added to the list price of the variants with this value.")))

    product: Mapped[Product] = relationship()
    value: Mapped[AttributeValue] = relationship(lazy="joined")

    @property
    def display_name(self) -> str:
        return f"{self.product.name}, {self.value.display_name}"


class VariantValue(Base):
    """A value a variant was made of: written by the system when it makes the variant, gone with it."""

    __tablename__ = "products_variant_value"
    __audit__ = False  # a system link, never edited; deleting the variant (audited) takes it along

    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id", ondelete="CASCADE"),
                                            primary_key=True)
    value_id: Mapped[int] = mapped_column(ForeignKey("products_attribute_value.id"), primary_key=True, index=True)
