from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, CompanyMixin, TimestampMixin, intpk, str120
from core.fields import field

from .unit_names import category_label, unit_label

GOODS, SERVICE = "goods", "service"
KINDS = ((GOODS, _l("Goods")), (SERVICE, _l("Service")))


class UomCategory(Base):
    """What a unit measures (count, weight, volume, ...): units convert only within one category."""

    __tablename__ = "products_uom_category"

    id: Mapped[intpk]
    code: Mapped[str] = mapped_column(String(20), unique=True, info=field(_l("Code"), format="code", listed=True))
    name: Mapped[str] = mapped_column(String(60), info=field(_l("Name"), listed=True))

    @property
    def display_name(self) -> str:
        return category_label(self.code, self.name)


class Uom(Base):
    """A unit of measure, shared by every company like a currency.

    ``factor`` says how many of its category's reference unit one of this
    unit is (a dozen is 12 units, a gram 0.001 kg), so converting is one
    multiplication and one division. ``whole`` units refuse fractions.
    """

    __tablename__ = "products_uom"
    __table_args__ = (CheckConstraint("factor > 0", "positive_factor"),)

    id: Mapped[intpk]
    code: Mapped[str] = mapped_column(String(20), unique=True, info=field(_l("Code"), format="code", listed=True))
    name: Mapped[str] = mapped_column(String(60), info=field(_l("Name"), listed=True))
    category_id: Mapped[int] = mapped_column(ForeignKey("products_uom_category.id"), index=True, info=field(
        _l("Measures"), listed=True))
    factor: Mapped[Decimal] = mapped_column(Numeric(24, 12), default=Decimal(1), info=field(
        _l("Factor"), minimum=Decimal("0.000000000001"), listed=True,
        help=_l("How many of the category's reference unit one of this unit is: 12 for a dozen of units.")))
    whole: Mapped[bool] = mapped_column(default=False, info=field(
        _l("Whole units only"), help=_l("Quantities in this unit cannot have decimals.")))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active")))

    category: Mapped[UomCategory] = relationship(lazy="joined")

    @property
    def display_name(self) -> str:
        return unit_label(self.code, self.name)


class ProductCategory(CompanyMixin, TimestampMixin, Base):
    """A node of the company's tree of product categories ("Tools / Power tools")."""

    __tablename__ = "products_category"
    __table_args__ = (UniqueConstraint("company_id", "parent_id", "name"),)

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(80), info=field(_l("Name"), listed=True))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("products_category.id"), index=True, info=field(
        _l("Parent category"), display="full_name", listed=True))

    parent: Mapped[ProductCategory | None] = relationship(remote_side="ProductCategory.id")

    @property
    def full_name(self) -> str:
        """The path from the root, one name per level; bounded so a corrupt tree cannot loop."""
        names, node = [], self
        while node is not None and len(names) < 32:
            names.append(node.name)
            node = node.parent
        return " / ".join(reversed(names))

    @property
    def display_name(self) -> str:
        return self.full_name


class Product(CompanyMixin, TimestampMixin, Base):
    """Something the company sells or buys, known by a code unique in the company.

    ``list_price`` and ``cost`` have six decimals so unit prices such as
    0.0035 per item fit. ``cost`` is what one unit costs the company; stock
    valuation keeps it up to date when stock is installed.

    A variant ("T-shirt (M, Red)") is a product like any other, made from a
    configurable product (``template_id``); its list price is the
    configurable product's plus the extras of its values (:mod:`.variants`).
    """

    __tablename__ = "products_product"
    __table_args__ = (UniqueConstraint("company_id", "code"), UniqueConstraint("template_id", "variant_key"))

    id: Mapped[intpk]
    code: Mapped[str] = mapped_column(String(40), info=field(_l("Code"), format="code", listed=True))
    name: Mapped[str120] = mapped_column(index=True, info=field(_l("Name"), listed=True))
    kind: Mapped[str] = mapped_column(String(16), default=GOODS, info=field(_l("Kind"), choices=KINDS, listed=True))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("products_category.id"), index=True, info=field(
        _l("Category"), display="full_name"))
    uom_id: Mapped[int] = mapped_column(ForeignKey("products_uom.id"), info=field(
        _l("Unit"), required=False, help=_l("The unit its quantities are counted in; units if left empty.")))
    list_price: Mapped[Decimal] = mapped_column(Numeric(18, 6), default=Decimal(0), info=field(
        _l("List price"), minimum=Decimal(0), listed=True))
    cost: Mapped[Decimal] = mapped_column(Numeric(18, 6), default=Decimal(0), info=field(
        _l("Cost"), minimum=Decimal(0), help=_l("What one unit costs the company.")))
    description: Mapped[str | None] = mapped_column(Text, info=field(_l("Description")))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active")))
    template_id: Mapped[int | None] = mapped_column(ForeignKey("products_product.id"), index=True, info=field(
        _l("Variant of"), readonly=True, help=_l("The configurable product this variant was made from.")))
    #: the variant's chosen value ids, sorted and comma-separated: one variant per combination (attributes.py)
    variant_key: Mapped[str | None] = mapped_column(String(200), info=field(internal=True))

    category: Mapped[ProductCategory | None] = relationship()
    uom: Mapped[Uom] = relationship()
    template: Mapped[Product | None] = relationship(remote_side="Product.id")

    @property
    def display_name(self) -> str:
        return f"[{self.code}] {self.name}"
