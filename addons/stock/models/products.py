"""What stock adds to a product: a side table of ``products_product`` (an extension, ``core.fields.Extension``).

Keyed by the product, removed with it by the database's cascade, shown on the
product's pages only while stock is installed. ``company_id`` is the
product's, set by the core when the row is written
(``core.fields.extensions.complete_side_companies``), so the core's company
rule applies and a barcode is unique within a company.
A product without a row is stockable, untracked, valued by its category's
method (:class:`CategoryStock`, else FIFO), and never goes negative.
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core import Base
from core.fields import field

STOCKABLE, CONSUMABLE = "stockable", "consumable"
STOCK_TYPES = ((STOCKABLE, _l("Stockable")), (CONSUMABLE, _l("Consumable")))
FIFO, AVERAGE, LAST, STANDARD = "fifo", "average", "last", "standard"
VALUATION_METHODS = ((FIFO, _l("FIFO")), (AVERAGE, _l("Moving average")), (LAST, _l("Last purchase price")),
                     (STANDARD, _l("Standard cost")))
NONE, LOT, SERIAL = "none", "lot", "serial"
TRACKING = ((NONE, _l("No tracking")), (LOT, _l("By lots")), (SERIAL, _l("By serial numbers")))


class ProductStock(Base):
    __tablename__ = "stock_product"
    __table_args__ = (UniqueConstraint("company_id", "barcode"),)

    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True, info=field(internal=True))
    stock_type: Mapped[str] = mapped_column(String(16), default=STOCKABLE, info=field(
        _l("Stock type"), choices=STOCK_TYPES, listed=True,
        help=_l("Consumables are moved but their stock on hand is not followed.")))
    tracking: Mapped[str] = mapped_column(String(8), default=NONE, info=field(_l("Tracking"), choices=TRACKING))
    barcode: Mapped[str | None] = mapped_column(String(64), info=field(_l("Barcode"), format="code"))
    weight: Mapped[Decimal | None] = mapped_column(Numeric(18, 4), info=field(
        _l("Weight (kg)"), minimum=Decimal(0)))
    volume: Mapped[Decimal | None] = mapped_column(Numeric(18, 6), info=field(
        _l("Volume (m³)"), minimum=Decimal(0)))
    valuation_method: Mapped[str | None] = mapped_column(String(16), info=field(
        _l("Valuation method"), choices=VALUATION_METHODS, help=_l("Empty: the category's, else FIFO.")))
    allow_negative: Mapped[bool] = mapped_column(default=False, info=field(
        _l("Allow negative stock"), help=_l("Deliveries may take more than is on hand.")))


class CategoryStock(Base):
    """What stock adds to a product category: the valuation method of its products that name none."""

    __tablename__ = "stock_category"

    category_id: Mapped[int] = mapped_column(ForeignKey("products_category.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True, info=field(internal=True))
    valuation_method: Mapped[str | None] = mapped_column(String(16), info=field(
        _l("Valuation method"), choices=VALUATION_METHODS, listed=True,
        help=_l("Of its products that name none; empty: FIFO.")))
