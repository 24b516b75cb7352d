"""Inventory counts: what was found on the shelves, posted as moves to or from the inventory-loss location.

A count covers a location (and the locations under it), optionally one
product. Starting it lists what the quants say (``expected``); people fill
``counted``; posting it moves each difference. A count that finds less than is
reserved there is refused (``services.counts``): the reservations would
promise stock that is gone, so they are to be undone first.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.products.models import Product
from core import Base, CompanyMixin, TimestampMixin, intpk, str120
from core.fields import field

from .locations import Location, Quantity
from .moves import Lot

DRAFT, COUNTING, DONE = "draft", "counting", "done"
STATES = ((DRAFT, _l("Draft")), (COUNTING, _l("Counting")), (DONE, _l("Done")))


def _started(record) -> bool:
    return record.state != DRAFT


class Count(CompanyMixin, TimestampMixin, Base):
    __tablename__ = "stock_count"

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"), info=field(
        _l("Location"), listed=True, readonly=_started, help=_l("Counted with the locations under it.")))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products_product.id"), info=field(
        _l("Product"), listed=True, readonly=_started, help=_l("Empty: every product.")))
    state: Mapped[str] = mapped_column(String(16), default=DRAFT, info=field(
        _l("State"), choices=STATES, readonly=True, listed=True))
    date_done: Mapped[dt.datetime | None] = mapped_column(info=field(_l("Done on"), readonly=True))

    location: Mapped[Location] = relationship()
    product: Mapped[Product | None] = relationship()
    # deleted with the count by the ORM, so each line's deletion is audited (no ON DELETE CASCADE)
    lines: Mapped[list[CountLine]] = relationship(back_populates="count", order_by="CountLine.id",
                                                  cascade="all, delete-orphan")


class CountLine(CompanyMixin, Base):
    __tablename__ = "stock_count_line"

    id: Mapped[intpk]
    count_id: Mapped[int] = mapped_column(ForeignKey("stock_count.id"), index=True,
                                          info=field(internal=True))
    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id"), info=field(_l("Product"), listed=True))
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"), info=field(
        _l("Location"), listed=True))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("stock_lot.id"), info=field(_l("Lot / serial number")))
    expected: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0), info=field(
        _l("Expected"), readonly=True, listed=True))
    counted: Mapped[Decimal | None] = mapped_column(Quantity, info=field(
        _l("Counted"), minimum=Decimal(0), listed=True, help=_l("Empty: not counted, left as it is.")))

    count: Mapped[Count] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
    location: Mapped[Location] = relationship()
    lot: Mapped[Lot | None] = relationship()
