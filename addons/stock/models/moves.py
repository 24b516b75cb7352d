"""What moves: lots, transfers and their moves, and the quants that say what is where.

A move takes ``quantity`` of a product, counted in its unit ``uom_id``, from
one location to another (``product_quantity``: the same in the product's own
unit, which quants and reservations count in); a
transfer groups the moves of one receipt, delivery, internal transfer or
return. States: ``draft`` -> ``waiting`` (confirmed, not all available) ->
``ready`` (reserved) -> ``done``, or ``cancelled``. A done move keeps its
``unit_cost``, which the valuation fills (empty until then).

A quant is the quantity of a product in a held location (internal or transit),
per lot: ``quantity`` on hand and ``reserved`` for moves that are ready. Quants
are written only by the move services, set-wise, when moves are reserved or
done; stock on hand is a sum over them. ``lot_key`` is the lot's id, 0 without
a lot: the unique key (product, location, lot_key) lets the services add to a
quant with one upsert on every engine (a NULL lot would not clash).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.products.models import Product, Uom
from core import Base, CompanyMixin, TimestampMixin, intpk
from core.fields import field

from .locations import Location, Quantity, Warehouse

DRAFT, WAITING, READY, DONE, CANCELLED = "draft", "waiting", "ready", "done", "cancelled"
STATES = ((DRAFT, _l("Draft")), (WAITING, _l("Waiting")), (READY, _l("Ready")), (DONE, _l("Done")),
          (CANCELLED, _l("Cancelled")))
RECEIPT, DELIVERY, INTERNAL_TRANSFER = "receipt", "delivery", "internal"
TRANSFER_KINDS = ((RECEIPT, _l("Receipt")), (DELIVERY, _l("Delivery")), (INTERNAL_TRANSFER, _l("Internal transfer")))


def _not_draft(record) -> bool:
    return record.state != DRAFT


class Lot(CompanyMixin, TimestampMixin, Base):
    """A lot or serial number of a product (a serial is a lot of one unit)."""

    __tablename__ = "stock_lot"
    __table_args__ = (UniqueConstraint("company_id", "product_id", "name"),)

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(64), info=field(_l("Lot / serial number"), listed=True))
    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id"), index=True, info=field(
        _l("Product"), listed=True))
    expiry_date: Mapped[dt.date | None] = mapped_column(info=field(_l("Expiry date"), listed=True))

    product: Mapped[Product] = relationship()

    @property
    def display_name(self) -> str:
        return self.name


class Transfer(CompanyMixin, TimestampMixin, Base):
    __tablename__ = "stock_transfer"

    id: Mapped[intpk]
    name: Mapped[str | None] = mapped_column(String(40), index=True, info=field(
        _l("Reference"), readonly=True, listed=True))
    kind: Mapped[str] = mapped_column(String(16), info=field(
        _l("Kind"), choices=TRANSFER_KINDS, listed=True, readonly=_not_draft))
    state: Mapped[str] = mapped_column(String(16), default=DRAFT, info=field(
        _l("State"), choices=STATES, readonly=True, listed=True))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("stock_warehouse.id"), index=True, info=field(
        _l("Warehouse"), listed=True, readonly=_not_draft))
    source_location_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"), info=field(
        _l("From"), readonly=_not_draft, required=False, help=_l("Empty: as usual for the kind of transfer.")))
    dest_location_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"), info=field(
        _l("To"), readonly=_not_draft, required=False, help=_l("Empty: as usual for the kind of transfer.")))
    scheduled_date: Mapped[dt.date] = mapped_column(default=dt.date.today, info=field(
        _l("Scheduled date"), listed=True))
    date_done: Mapped[dt.datetime | None] = mapped_column(info=field(_l("Done on"), readonly=True))
    origin: Mapped[str | None] = mapped_column(String(120), info=field(
        _l("Source document"), help=_l("The order or document this transfer comes from.")))
    note: Mapped[str | None] = mapped_column(Text, info=field(_l("Note")))
    backorder_of_id: Mapped[int | None] = mapped_column(ForeignKey("stock_transfer.id"), info=field(
        _l("Backorder of"), readonly=True))
    return_of_id: Mapped[int | None] = mapped_column(ForeignKey("stock_transfer.id"), info=field(
        _l("Return of"), readonly=True))

    warehouse: Mapped[Warehouse] = relationship()
    source_location: Mapped[Location] = relationship(foreign_keys=[source_location_id])
    dest_location: Mapped[Location] = relationship(foreign_keys=[dest_location_id])
    moves: Mapped[list[StockMove]] = relationship(back_populates="transfer", order_by="StockMove.id")

    @property
    def display_name(self) -> str:
        return self.name or _l("Draft transfer")


class StockMove(CompanyMixin, TimestampMixin, Base):
    __tablename__ = "stock_move"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="positive_quantity"),
        CheckConstraint("product_quantity > 0", name="positive_product_quantity"),
        Index("ix_stock_move_product_state", "product_id", "state"),
    )

    id: Mapped[intpk]
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("stock_transfer.id"), index=True, info=field(
        _l("Transfer"), readonly=True))
    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id"), info=field(
        _l("Product"), listed=True, readonly=_not_draft))
    quantity: Mapped[Decimal] = mapped_column(Quantity, info=field(
        _l("Quantity"), minimum=Decimal(0), listed=True, readonly=_not_draft))
    uom_id: Mapped[int] = mapped_column(ForeignKey("products_uom.id"), info=field(
        _l("Unit"), listed=True, readonly=_not_draft))
    product_quantity: Mapped[Decimal] = mapped_column(Quantity, info=field(
        _l("Quantity in the product's unit"), readonly=True))
    quantity_done: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0), info=field(
        _l("Quantity done"), minimum=Decimal(0), listed=True, help=_l("In the move's unit.")))
    reserved: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0), info=field(
        _l("Reserved"), readonly=True, help=_l("In the product's unit.")))
    source_location_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"), index=True, info=field(
        _l("From"), listed=True, readonly=_not_draft))
    dest_location_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"), index=True, info=field(
        _l("To"), listed=True, readonly=_not_draft))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("stock_lot.id"), index=True, info=field(
        _l("Lot / serial number")))
    state: Mapped[str] = mapped_column(String(16), default=DRAFT, info=field(
        _l("State"), choices=STATES, readonly=True, listed=True))
    date: Mapped[dt.datetime | None] = mapped_column(info=field(_l("Date"), readonly=True, listed=True))
    unit_cost: Mapped[Decimal | None] = mapped_column(Numeric(18, 6), info=field(
        _l("Unit cost"), readonly=True, help=_l("Filled by the valuation when the move is done.")))
    return_of_id: Mapped[int | None] = mapped_column(ForeignKey("stock_move.id"), index=True, info=field(
        _l("Return of"), readonly=True))

    transfer: Mapped[Transfer | None] = relationship(back_populates="moves")
    product: Mapped[Product] = relationship()
    uom: Mapped[Uom] = relationship()
    source_location: Mapped[Location] = relationship(foreign_keys=[source_location_id])
    dest_location: Mapped[Location] = relationship(foreign_keys=[dest_location_id])
    lot: Mapped[Lot | None] = relationship()

    @property
    def display_name(self) -> str:
        return f"{self.product.display_name} × {self.quantity.normalize():f} {self.uom.display_name}"


class Quant(CompanyMixin, Base):
    __tablename__ = "stock_quant"
    __audit__ = False  # derived from the done moves, which are audited
    __table_args__ = (UniqueConstraint("product_id", "location_id", "lot_key"),)

    id: Mapped[intpk]
    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id"), info=field(_l("Product"), listed=True))
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"), index=True, info=field(
        _l("Location"), listed=True))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("stock_lot.id"), index=True, info=field(
        _l("Lot / serial number"), listed=True))
    lot_key: Mapped[int] = mapped_column(default=0, info=field(internal=True))
    quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0), info=field(_l("On hand"), listed=True))
    reserved: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0), info=field(_l("Reserved"), listed=True))

    product: Mapped[Product] = relationship()
    location: Mapped[Location] = relationship()
    lot: Mapped[Lot | None] = relationship()
