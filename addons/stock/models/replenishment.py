"""Replenishment: reorder rules per product and warehouse, and the list of what to order they produce.

A rule says: keep the product's forecast in the warehouse at ``min_quantity``
or above; when it falls below, order up to ``max_quantity``, in multiples of
``multiple``, ``lead_days`` ahead. The replenishment job
(``replenishment.evaluate``) replaces the company's :class:`ReplenishmentLine`
rows with one line per rule below its minimum.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.products.models import Product
from core import Base, CompanyMixin, TimestampMixin, intpk
from core.fields import field

from .locations import Quantity, Warehouse


class ReorderRule(CompanyMixin, TimestampMixin, Base):
    __tablename__ = "stock_reorder_rule"
    __table_args__ = (
        UniqueConstraint("product_id", "warehouse_id"),
        CheckConstraint("min_quantity >= 0 AND max_quantity >= min_quantity", name="min_max"),
        CheckConstraint("multiple > 0", name="positive_multiple"),
        CheckConstraint("lead_days >= 0", name="lead_days"),
    )

    id: Mapped[intpk]
    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id"), index=True, info=field(
        _l("Product"), listed=True))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("stock_warehouse.id"), index=True, info=field(
        _l("Warehouse"), listed=True))
    min_quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0), info=field(
        _l("Minimum"), minimum=Decimal(0), listed=True,
        help=_l("Below this forecast quantity, the product is to be ordered.")))
    max_quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0), info=field(
        _l("Maximum"), minimum=Decimal(0), listed=True, help=_l("An order brings the forecast up to this.")))
    multiple: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(1), info=field(
        _l("Order in multiples of"), minimum=Decimal("0.0001"), listed=True))
    lead_days: Mapped[int] = mapped_column(default=0, info=field(
        _l("Lead time (days)"), minimum=0, listed=True, help=_l("Days between ordering and receiving.")))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active")))

    product: Mapped[Product] = relationship()
    warehouse: Mapped[Warehouse] = relationship()

    @property
    def display_name(self) -> str:
        return f"{self.product.display_name} @ {self.warehouse.code}"


class ReplenishmentLine(CompanyMixin, Base):
    """What a rule asks to order, as the replenishment job last found it."""

    __tablename__ = "stock_replenishment_line"
    __audit__ = False  # a list the job computes again every night, not a record anyone edits

    id: Mapped[intpk]
    rule_id: Mapped[int] = mapped_column(ForeignKey("stock_reorder_rule.id", ondelete="CASCADE"), index=True,
                                         info=field(_l("Reorder rule"), readonly=True))
    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id"), index=True, info=field(
        _l("Product"), readonly=True, listed=True))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("stock_warehouse.id"), info=field(
        _l("Warehouse"), readonly=True, listed=True))
    forecast: Mapped[Decimal] = mapped_column(Quantity, info=field(
        _l("Forecast"), readonly=True, listed=True, help=_l("On hand, plus incoming, less outgoing, by the date "
                                                            "needed.")))
    min_quantity: Mapped[Decimal] = mapped_column(Quantity, info=field(_l("Minimum"), readonly=True, listed=True))
    max_quantity: Mapped[Decimal] = mapped_column(Quantity, info=field(_l("Maximum"), readonly=True, listed=True))
    quantity: Mapped[Decimal] = mapped_column(Quantity, info=field(
        _l("To order"), readonly=True, listed=True, help=_l("Up to the maximum, rounded up to the multiple.")))
    date_needed: Mapped[dt.date] = mapped_column(info=field(_l("Needed by"), readonly=True, listed=True))
    computed_at: Mapped[dt.datetime] = mapped_column(info=field(_l("Computed at"), readonly=True))

    rule: Mapped[ReorderRule] = relationship()
    product: Mapped[Product] = relationship()
    warehouse: Mapped[Warehouse] = relationship()

    @property
    def display_name(self) -> str:
        return f"{self.product.display_name} × {self.quantity.normalize():f}"
