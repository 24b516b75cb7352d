"""Planning records: forecasts, each product's manufacturing lead time, the proposals of the requirements run,
and one planning row per company (the lock two planners meet on).

A proposal says: make (a production order) or buy (from a supplier)
``quantity`` of a product, starting by ``date_start`` so that it is there
on ``date_needed``, for the demands named in ``origin``. A run replaces the
company's open proposals; a planner confirms them (which makes draft
production orders, or draft purchase orders through the hook) or discards
them. Nothing is ordered without that.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.products.models import Product
from addons.stock.models import Warehouse
from core import Base, CompanyMixin, TimestampMixin, intpk
from core.fields import field
from core.models import User

from ..models import Bom, Production

Quantity = Numeric(18, 4)

MAKE, BUY = "make", "buy"
KINDS = ((MAKE, _l("Make")), (BUY, _l("Buy")))
PROPOSED, CONFIRMED, DISCARDED = "proposed", "confirmed", "discarded"
PROPOSAL_STATES = ((PROPOSED, _l("Proposed")), (CONFIRMED, _l("Confirmed")), (DISCARDED, _l("Discarded")))


class Forecast(CompanyMixin, TimestampMixin, Base):
    """A quantity of a product the company expects to need on a date (its own unit)."""

    __tablename__ = "manufacturing_forecast"
    __table_args__ = (CheckConstraint("quantity > 0", name="positive_quantity"),)

    id: Mapped[intpk]
    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id"), index=True, info=field(
        _l("Product"), listed=True))
    date: Mapped[dt.date] = mapped_column(info=field(_l("Date"), listed=True))
    quantity: Mapped[Decimal] = mapped_column(Quantity, info=field(
        _l("Quantity"), minimum=Decimal("0.0001"), listed=True, help=_l("In the product's unit.")))
    note: Mapped[str | None] = mapped_column(String(120), info=field(_l("Note"), listed=True))

    product: Mapped[Product] = relationship()

    @property
    def display_name(self) -> str:
        return f"{self.product.display_name} {self.date.isoformat()}"


class ProductPlanning(Base):
    """What planning adds to a product (an extension): how many days making it takes."""

    __tablename__ = "manufacturing_product_planning"

    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id", ondelete="CASCADE"), primary_key=True)
    produce_days: Mapped[int] = mapped_column(default=0, info=field(
        _l("Manufacturing lead time (days)"), minimum=0, maximum=3650,
        help=_l("Days between starting a production order of it and having the product.")))


class Proposal(CompanyMixin, Base):
    """What the requirements run proposes to make or buy (see the module's docstring)."""

    __tablename__ = "manufacturing_proposal"
    __audit__ = False  # a list each run computes again; what confirming creates is audited
    __table_args__ = (CheckConstraint("quantity > 0", name="positive_quantity"),)

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(8), info=field(_l("Action"), choices=KINDS, readonly=True,
                                                            listed=True))
    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id"), index=True, info=field(
        _l("Product"), readonly=True, listed=True))
    quantity: Mapped[Decimal] = mapped_column(Quantity, info=field(_l("Quantity"), readonly=True, listed=True))
    date_start: Mapped[dt.date] = mapped_column(info=field(
        _l("Start by"), readonly=True, listed=True, help=_l("The date needed less the lead time.")))
    date_needed: Mapped[dt.date] = mapped_column(info=field(_l("Needed by"), readonly=True, listed=True))
    level: Mapped[int] = mapped_column(default=0, info=field(
        _l("Level"), readonly=True, help=_l("0: wanted itself; 1 and deeper: a component of a proposal above.")))
    bom_id: Mapped[int | None] = mapped_column(ForeignKey("manufacturing_bom.id"), info=field(
        _l("Bill of materials"), readonly=True))
    supplier_id: Mapped[int | None] = mapped_column(info=field(internal=True))  # a partner: contacts may be absent
    supplier_name: Mapped[str | None] = mapped_column(String(120), info=field(
        _l("Supplier"), readonly=True, listed=True))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("stock_warehouse.id"), info=field(
        _l("Warehouse"), readonly=True))
    origin: Mapped[str] = mapped_column(Text, default="", info=field(_l("For"), readonly=True, listed=True))
    state: Mapped[str] = mapped_column(String(12), default=PROPOSED, index=True, info=field(
        _l("State"), choices=PROPOSAL_STATES, readonly=True, listed=True))
    production_id: Mapped[int | None] = mapped_column(ForeignKey("manufacturing_production.id"), info=field(
        _l("Production order"), readonly=True))
    result: Mapped[str | None] = mapped_column(String(255), info=field(_l("Ordered as"), readonly=True))
    computed_at: Mapped[dt.datetime] = mapped_column(info=field(_l("Computed at"), readonly=True))

    product: Mapped[Product] = relationship()
    bom: Mapped[Bom | None] = relationship()
    warehouse: Mapped[Warehouse] = relationship()
    production: Mapped[Production | None] = relationship()

    @property
    def display_name(self) -> str:
        return f"{self.product.display_name} × {self.quantity.normalize():f}"


class PlanningState(CompanyMixin, Base):
    """A company's planning row: locked by the requirements run for its whole transaction (two planners of a
    company never run at once), and telling when and by whom it last ran."""

    __tablename__ = "manufacturing_planning"
    __audit__ = False  # bookkeeping of the runs
    __table_args__ = (UniqueConstraint("company_id"),)

    id: Mapped[intpk]
    last_run_at: Mapped[dt.datetime | None] = mapped_column(info=field(_l("Last run"), readonly=True))
    last_run_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), info=field(
        _l("Run by"), readonly=True))
    proposals: Mapped[int] = mapped_column(default=0, info=field(_l("Proposals"), readonly=True))
    demands: Mapped[int] = mapped_column(default=0, info=field(_l("Demands"), readonly=True))

    last_run_by: Mapped[User | None] = relationship()


ALL = (Forecast, ProductPlanning, Proposal, PlanningState)
