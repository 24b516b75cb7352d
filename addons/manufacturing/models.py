"""Manufacturing records: work centres, bills of materials and production orders.

A bill says how to make ``quantity`` of a product (in ``uom_id``): its
components (each in a unit that converts to the component's own unit, with a
scrap percentage added to what is consumed), the by-products it also gives
(each taking ``cost_share`` per cent of the cost), and the operations done at
work centres (``minutes`` for the bill's quantity; the work centre adds its
setup time once per production order). A product may have several bills,
versions valid between two dates; a *kit* bill is never produced: its product
is delivered as its components.

A production order makes a quantity of a product from the bill valid on its
date: draft -> confirmed (its components reserved) -> in progress (part
produced) -> done, or cancelled. What it consumes and produces are stock moves
(:class:`ProductionMove` links them, with their role); its cost is theirs.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.products.models import Product, Uom
from addons.stock.models import Location, StockMove, Warehouse
from core import Base, CompanyMixin, TimestampMixin, intpk, str120
from core.fields import field

Quantity = Numeric(18, 4)
UnitCost = Numeric(18, 6)
Percent = Numeric(5, 2)
Minutes = Numeric(10, 2)
Money = Numeric(18, 2)

NORMAL, KIT = "normal", "kit"
BOM_KINDS = ((NORMAL, _l("Manufacture this product")), (KIT, _l("Kit")))

DRAFT, CONFIRMED, PROGRESS, DONE, CANCELLED = "draft", "confirmed", "progress", "done", "cancelled"
STATES = ((DRAFT, _l("Draft")), (CONFIRMED, _l("Confirmed")), (PROGRESS, _l("In progress")), (DONE, _l("Done")),
          (CANCELLED, _l("Cancelled")))

COMPONENT, FINISHED, BYPRODUCT, SCRAP = "component", "finished", "byproduct", "scrap"
MOVE_ROLES = ((COMPONENT, _l("Component")), (FINISHED, _l("Finished product")), (BYPRODUCT, _l("By-product")),
              (SCRAP, _l("Scrap")))


def _not_draft(record) -> bool:
    return record.state != DRAFT


class WorkCentre(CompanyMixin, TimestampMixin, Base):
    """Where operations are done: how many hours a day it works, what an hour costs, its setup time."""

    __tablename__ = "manufacturing_workcentre"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[intpk]
    code: Mapped[str] = mapped_column(String(16), info=field(_l("Code"), format="code", listed=True))
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    capacity_hours: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(8), info=field(
        _l("Capacity (hours per day)"), minimum=Decimal(0), maximum=Decimal(24), listed=True))
    hourly_cost: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), info=field(
        _l("Cost per hour"), minimum=Decimal(0), listed=True))
    setup_minutes: Mapped[Decimal] = mapped_column(Minutes, default=Decimal(0), info=field(
        _l("Setup time (minutes)"), minimum=Decimal(0), help=_l("Once per production order.")))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active")))

    @property
    def display_name(self) -> str:
        return f"{self.code} {self.name}"


class Bom(CompanyMixin, TimestampMixin, Base):
    __tablename__ = "manufacturing_bom"
    __table_args__ = (
        UniqueConstraint("company_id", "product_id", "version"),
        CheckConstraint("quantity > 0", name="positive_quantity"),
    )

    id: Mapped[intpk]
    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id"), index=True, info=field(
        _l("Product"), listed=True))
    kind: Mapped[str] = mapped_column(String(8), default=NORMAL, info=field(
        _l("Type"), choices=BOM_KINDS, listed=True,
        help=_l("A kit is delivered as its components instead of being manufactured.")))
    quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(1), info=field(
        _l("Quantity"), minimum=Decimal("0.0001"), listed=True))
    uom_id: Mapped[int] = mapped_column(ForeignKey("products_uom.id"), info=field(
        _l("Unit"), required=False, help=_l("Empty: the product's unit.")))
    version: Mapped[int] = mapped_column(default=1, info=field(_l("Version"), minimum=1, listed=True))
    valid_from: Mapped[dt.date | None] = mapped_column(info=field(
        _l("Valid from"), listed=True, help=_l("Empty: since always.")))
    valid_to: Mapped[dt.date | None] = mapped_column(info=field(
        _l("Valid until"), listed=True, help=_l("Empty: no end.")))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active")))
    note: Mapped[str | None] = mapped_column(Text, info=field(_l("Note")))

    product: Mapped[Product] = relationship()
    uom: Mapped[Uom] = relationship()
    lines: Mapped[list[BomLine]] = relationship(back_populates="bom", order_by="BomLine.sequence, BomLine.id")
    byproducts: Mapped[list[BomByproduct]] = relationship(back_populates="bom", order_by="BomByproduct.id")
    operations: Mapped[list[BomOperation]] = relationship(
        back_populates="bom", order_by="BomOperation.sequence, BomOperation.id")

    @property
    def display_name(self) -> str:
        return f"{self.product.display_name} v{self.version}"


class BomLine(CompanyMixin, Base):
    """A component: ``quantity`` of ``uom_id`` for the bill's quantity, plus ``scrap_percent`` of it."""

    __tablename__ = "manufacturing_bom_line"
    __table_args__ = (CheckConstraint("quantity > 0", name="positive_quantity"),)

    id: Mapped[intpk]
    bom_id: Mapped[int] = mapped_column(ForeignKey("manufacturing_bom.id"), index=True, info=field(
        _l("Bill of materials")))
    sequence: Mapped[int] = mapped_column(default=10, info=field(_l("Sequence")))
    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id"), index=True, info=field(
        _l("Component"), listed=True))
    quantity: Mapped[Decimal] = mapped_column(Quantity, info=field(_l("Quantity"), minimum=Decimal("0.0001"),
                                                                   listed=True))
    uom_id: Mapped[int] = mapped_column(ForeignKey("products_uom.id"), info=field(
        _l("Unit"), required=False, listed=True, help=_l("Empty: the component's unit.")))
    scrap_percent: Mapped[Decimal] = mapped_column(Percent, default=Decimal(0), info=field(
        _l("Scrap (%)"), minimum=Decimal(0), maximum=Decimal(99), listed=True,
        help=_l("Consumed on top of the quantity: what is lost making it.")))

    bom: Mapped[Bom] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
    uom: Mapped[Uom] = relationship()


class BomByproduct(CompanyMixin, Base):
    """A by-product: ``quantity`` of ``uom_id`` comes out with the bill's quantity, worth ``cost_share`` per cent
    of what making it cost."""

    __tablename__ = "manufacturing_bom_byproduct"
    __table_args__ = (CheckConstraint("quantity > 0", name="positive_quantity"),)

    id: Mapped[intpk]
    bom_id: Mapped[int] = mapped_column(ForeignKey("manufacturing_bom.id"), index=True, info=field(
        _l("Bill of materials")))
    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id"), index=True, info=field(
        _l("By-product"), listed=True))
    quantity: Mapped[Decimal] = mapped_column(Quantity, info=field(_l("Quantity"), minimum=Decimal("0.0001"),
                                                                   listed=True))
    uom_id: Mapped[int] = mapped_column(ForeignKey("products_uom.id"), info=field(
        _l("Unit"), required=False, listed=True, help=_l("Empty: the by-product's unit.")))
    cost_share: Mapped[Decimal] = mapped_column(Percent, default=Decimal(0), info=field(
        _l("Cost share (%)"), minimum=Decimal(0), maximum=Decimal(100), listed=True))

    bom: Mapped[Bom] = relationship(back_populates="byproducts")
    product: Mapped[Product] = relationship()
    uom: Mapped[Uom] = relationship()


class BomOperation(CompanyMixin, Base):
    """A step at a work centre: ``minutes`` for the bill's quantity."""

    __tablename__ = "manufacturing_bom_operation"

    id: Mapped[intpk]
    bom_id: Mapped[int] = mapped_column(ForeignKey("manufacturing_bom.id"), index=True, info=field(
        _l("Bill of materials")))
    sequence: Mapped[int] = mapped_column(default=10, info=field(_l("Sequence")))
    name: Mapped[str120] = mapped_column(info=field(_l("Operation"), listed=True))
    workcentre_id: Mapped[int] = mapped_column(ForeignKey("manufacturing_workcentre.id"), index=True, info=field(
        _l("Work centre"), listed=True))
    minutes: Mapped[Decimal] = mapped_column(Minutes, default=Decimal(0), info=field(
        _l("Duration (minutes)"), minimum=Decimal(0), listed=True, help=_l("For the bill's quantity.")))

    bom: Mapped[Bom] = relationship(back_populates="operations")
    workcentre: Mapped[WorkCentre] = relationship()


class Production(CompanyMixin, TimestampMixin, Base):
    """A production order; quantities in the product's own unit."""

    __tablename__ = "manufacturing_production"
    __table_args__ = (CheckConstraint("quantity > 0", name="positive_quantity"),)

    id: Mapped[intpk]
    name: Mapped[str | None] = mapped_column(String(40), index=True, info=field(
        _l("Reference"), readonly=True, listed=True))
    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id"), index=True, info=field(
        _l("Product"), listed=True, readonly=_not_draft))
    bom_id: Mapped[int | None] = mapped_column(ForeignKey("manufacturing_bom.id"), index=True, info=field(
        _l("Bill of materials"), readonly=_not_draft, required=False,
        help=_l("Empty: the product's bill valid on the scheduled date.")))
    quantity: Mapped[Decimal] = mapped_column(Quantity, info=field(
        _l("Quantity to produce"), minimum=Decimal("0.0001"), listed=True, readonly=_not_draft))
    quantity_done: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0), info=field(
        _l("Quantity produced"), readonly=True, listed=True))
    state: Mapped[str] = mapped_column(String(16), default=DRAFT, info=field(
        _l("State"), choices=STATES, readonly=True, listed=True))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("stock_warehouse.id"), index=True, info=field(
        _l("Warehouse"), readonly=_not_draft))
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"), info=field(
        _l("Stock location"), readonly=_not_draft, required=False,
        help=_l("Where components are taken from and the product goes to. Empty: the warehouse's stock.")))
    scheduled_date: Mapped[dt.date] = mapped_column(default=dt.date.today, info=field(
        _l("Scheduled date"), listed=True, readonly=_not_draft))
    date_done: Mapped[dt.datetime | None] = mapped_column(info=field(_l("Done on"), readonly=True))
    origin: Mapped[str | None] = mapped_column(String(120), info=field(_l("Source document")))
    planned_unit_cost: Mapped[Decimal | None] = mapped_column(UnitCost, info=field(
        _l("Planned unit cost"), readonly=True, help=_l("The bill's cost when the order was confirmed.")))

    product: Mapped[Product] = relationship()
    bom: Mapped[Bom | None] = relationship()
    warehouse: Mapped[Warehouse] = relationship()
    location: Mapped[Location] = relationship()
    components: Mapped[list[ProductionComponent]] = relationship(
        back_populates="production", order_by="ProductionComponent.id")
    operations: Mapped[list[ProductionOperation]] = relationship(
        back_populates="production", order_by="ProductionOperation.id")

    @property
    def display_name(self) -> str:
        return self.name or _l("Draft production order")


class ProductionComponent(CompanyMixin, Base):
    """What an order plans to consume of a component (its own unit, scrap included) and has consumed."""

    __tablename__ = "manufacturing_production_component"

    id: Mapped[intpk]
    production_id: Mapped[int] = mapped_column(ForeignKey("manufacturing_production.id"), index=True, info=field(
        _l("Production order")))
    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id"), index=True, info=field(
        _l("Component"), listed=True))
    quantity: Mapped[Decimal] = mapped_column(Quantity, info=field(_l("Planned quantity"), listed=True))
    quantity_consumed: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0), info=field(
        _l("Consumed"), readonly=True, listed=True))
    planned_unit_cost: Mapped[Decimal] = mapped_column(UnitCost, default=Decimal(0), info=field(
        _l("Planned unit cost"), readonly=True))

    production: Mapped[Production] = relationship(back_populates="components")
    product: Mapped[Product] = relationship()


class ProductionOperation(CompanyMixin, Base):
    """An operation of an order: planned minutes (setup included), minutes done, the work centre's hourly cost
    when the order was confirmed."""

    __tablename__ = "manufacturing_production_operation"

    id: Mapped[intpk]
    production_id: Mapped[int] = mapped_column(ForeignKey("manufacturing_production.id"), index=True, info=field(
        _l("Production order")))
    name: Mapped[str120] = mapped_column(info=field(_l("Operation"), listed=True))
    workcentre_id: Mapped[int] = mapped_column(ForeignKey("manufacturing_workcentre.id"), index=True, info=field(
        _l("Work centre"), listed=True))
    planned_minutes: Mapped[Decimal] = mapped_column(Minutes, default=Decimal(0), info=field(
        _l("Planned minutes"), listed=True))
    minutes_done: Mapped[Decimal] = mapped_column(Minutes, default=Decimal(0), info=field(
        _l("Minutes done"), readonly=True, listed=True))
    hourly_cost: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), info=field(
        _l("Cost per hour"), readonly=True))

    production: Mapped[Production] = relationship(back_populates="operations")
    workcentre: Mapped[WorkCentre] = relationship()


class ProductionMove(CompanyMixin, Base):
    """A stock move of a production order, and what it is to the order."""

    __tablename__ = "manufacturing_production_move"

    move_id: Mapped[int] = mapped_column(ForeignKey("stock_move.id"), primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("manufacturing_production.id"), index=True, info=field(
        _l("Production order")))
    role: Mapped[str] = mapped_column(String(16), info=field(_l("Role"), choices=MOVE_ROLES, listed=True))

    move: Mapped[StockMove] = relationship()


BOMS = (Bom, BomLine, BomByproduct, BomOperation)
PRODUCTION = (Production, ProductionComponent, ProductionOperation, ProductionMove)
ALL = (WorkCentre, *BOMS, *PRODUCTION)
