"""Valuation records: what each done move was worth, the FIFO cost layers, and each product's running totals.

Written only by the valuation engine (``addons.stock.valuation``), set-wise,
on behalf of whoever did the moves; read by reports, by the accounting bridge
and by the services that say what stock is worth at a date.

- :class:`ValuationEntry` is the value ledger: one ``in`` or ``out`` entry per
  valued move (quantity, unit cost, value, signed: in adds, out takes), a
  ``settle`` entry when a receipt settles units issued while stock was
  negative, a ``revalue`` entry when the cost of what is on hand changes
  (standard cost set by hand, last purchase price moved by a receipt).
  Entries are never rewritten: a move re-valued later (a back-dated move
  before it, a recompute) gets an entry of its kind with quantity 0 and the
  difference in value, dated like the move. The stock value at a date is the
  sum of the entries up to it.
- :class:`CostLayer` is what a receipt brought under FIFO: its quantity, its
  unit cost and what ``remaining`` of it is unsold. A layer with a negative
  remaining stands for units issued before they were received (negative
  stock); receipts settle it. Only open layers (remaining not zero) are ever
  read in the normal flow, through a partial index.
- :class:`LayerUse` records each change of a layer's remaining by a move (a
  delivery consuming it, a receipt settling it), so a back-dated move can undo
  exactly what the moves after it did.
- :class:`ValuationState` keeps, per company and product, the quantity and
  value on hand, the current unit cost and the last valued move, so valuing
  the next moves reads one row.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, Numeric, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.products.models import Product
from core import Base, CompanyMixin, intpk
from core.db import utcnow
from core.fields import field

from .locations import Quantity
from .moves import StockMove

UnitCost = Numeric(18, 6)
Value = Numeric(20, 6)

IN, OUT, SETTLE, REVALUE = "in", "out", "settle", "revalue"
ENTRY_KINDS = ((IN, _l("Received")), (OUT, _l("Issued")), (SETTLE, _l("Negative stock settled")),
               (REVALUE, _l("Revaluation")))


class ValuationEntry(CompanyMixin, Base):
    __tablename__ = "stock_valuation_entry"
    __table_args__ = (Index("ix_stock_valuation_entry_product_date", "company_id", "product_id", "date", "move_id"),)
    __audit__ = False  # a ledger already

    id: Mapped[intpk]
    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id"), info=field(_l("Product"), listed=True))
    move_id: Mapped[int | None] = mapped_column(ForeignKey("stock_move.id"), index=True, info=field(
        _l("Move"), listed=True))
    date: Mapped[dt.datetime] = mapped_column(info=field(_l("Date"), listed=True))
    kind: Mapped[str] = mapped_column(String(8), info=field(_l("Kind"), choices=ENTRY_KINDS, listed=True))
    quantity: Mapped[Decimal] = mapped_column(Quantity, info=field(_l("Quantity"), listed=True))
    unit_cost: Mapped[Decimal] = mapped_column(UnitCost, info=field(_l("Unit cost"), listed=True))
    value: Mapped[Decimal] = mapped_column(Value, info=field(_l("Value"), listed=True))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, info=field(_l("Recorded on")))

    product: Mapped[Product] = relationship()
    move: Mapped[StockMove | None] = relationship()


#: a layer with units left: the open layers' index holds these; a query reads through that index only when its
#: condition is written as this literal (SQLite cannot tell that ``remaining != ?`` with 0 bound stays within it)
OPEN_LAYERS = text("remaining <> 0")


class CostLayer(CompanyMixin, Base):
    __tablename__ = "stock_cost_layer"
    __table_args__ = (
        # by product alone (a product is one company's): a read of the open layers, by company and product,
        # matches the open index on more columns and SQLite takes it without statistics
        Index("ix_stock_cost_layer_product_date", "product_id", "date", "move_id"),
        Index("ix_stock_cost_layer_open", "company_id", "product_id", "date", "move_id", "id",
              postgresql_where=OPEN_LAYERS, sqlite_where=OPEN_LAYERS),
    )
    __audit__ = False

    id: Mapped[intpk]
    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id"), info=field(_l("Product"), listed=True))
    move_id: Mapped[int] = mapped_column(ForeignKey("stock_move.id"), index=True, info=field(_l("Move"), listed=True))
    date: Mapped[dt.datetime] = mapped_column(info=field(_l("Date"), listed=True))
    quantity: Mapped[Decimal] = mapped_column(Quantity, info=field(_l("Quantity"), listed=True))
    unit_cost: Mapped[Decimal] = mapped_column(UnitCost, info=field(_l("Unit cost"), listed=True))
    remaining: Mapped[Decimal] = mapped_column(Quantity, info=field(_l("Remaining"), listed=True))


class LayerUse(CompanyMixin, Base):
    __tablename__ = "stock_cost_layer_use"
    __table_args__ = (Index("ix_stock_cost_layer_use_product_date", "company_id", "product_id", "date", "move_id"),)
    __audit__ = False

    id: Mapped[intpk]
    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id"), info=field(_l("Product")))
    layer_id: Mapped[int] = mapped_column(ForeignKey("stock_cost_layer.id", ondelete="CASCADE"), index=True,
                                          info=field(_l("Cost layer")))
    move_id: Mapped[int] = mapped_column(ForeignKey("stock_move.id"), index=True, info=field(_l("Move")))
    date: Mapped[dt.datetime] = mapped_column(info=field(_l("Date")))
    quantity: Mapped[Decimal] = mapped_column(Quantity, info=field(
        _l("Change of the remaining quantity"), help=_l("Negative: units taken; positive: negative stock settled.")))


class ValuationState(CompanyMixin, Base):
    __tablename__ = "stock_valuation_state"
    __table_args__ = (UniqueConstraint("company_id", "product_id"),)
    __audit__ = False

    id: Mapped[intpk]
    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id"), info=field(_l("Product"), listed=True))
    quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0), info=field(_l("Quantity"), listed=True))
    value: Mapped[Decimal] = mapped_column(Value, default=Decimal(0), info=field(_l("Value"), listed=True))
    cost: Mapped[Decimal] = mapped_column(UnitCost, default=Decimal(0), info=field(
        _l("Unit cost"), listed=True, help=_l("The average, the last purchase price or the standard cost; "
                                              "under FIFO the cost of the last unit received.")))
    last_date: Mapped[dt.datetime | None] = mapped_column(info=field(_l("Last valued move on")))
    last_move_id: Mapped[int | None] = mapped_column(info=field(internal=True))

    product: Mapped[Product] = relationship()


ALL = (ValuationEntry, CostLayer, LayerUse, ValuationState)
