"""Forecast per product: on hand, plus what confirmed or reserved moves bring in, less what they take out,
up to a date.

A pending move (waiting or ready) counts on its transfer's scheduled date
(today when it has no transfer). It is incoming when it enters the scope's
held locations from outside them, outgoing when it leaves them; a move
within them changes nothing. Draft moves are not promised yet and do not count.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, literal, not_, select, union_all
from sqlalchemy.orm import Session

from addons.products.models import Product
from core.reports import QUANTITY, Column, Report

from ..models import Quant, StockMove, Transfer
from ..models.moves import READY, WAITING
from .scope import Scope, held_locations, require_stock_read, unit_names, where_product

PENDING = (WAITING, READY)
ZERO = Decimal(0)


@dataclass(frozen=True)
class ForecastRow:
    product_id: int
    code: str
    product: str
    unit: str
    on_hand: Decimal
    incoming: Decimal
    outgoing: Decimal
    forecast: Decimal


COLUMNS = (
    Column("code", _l("Code")), Column("product", _l("Product")), Column("unit", _l("Unit")),
    Column("on_hand", _l("On hand"), QUANTITY), Column("incoming", _l("Incoming"), QUANTITY),
    Column("outgoing", _l("Outgoing"), QUANTITY), Column("forecast", _l("Forecast"), QUANTITY),
)


def pending_day(today: dt.date):
    """The day a pending move counts on: its transfer's scheduled date, else ``today``."""
    return func.coalesce(Transfer.scheduled_date, literal(today))


def pending_moves(locations, until: dt.date, today: dt.date):
    """SELECT (product_id, day, incoming, outgoing) of the pending moves into or out of ``locations`` (a
    SELECT of location ids) up to ``until``, one row per move."""
    into, out_of = StockMove.dest_location_id.in_(locations), StockMove.source_location_id.in_(locations)
    day = pending_day(today)
    return (
        select(StockMove.product_id.label("product_id"), day.label("day"),
               case((and_(into, not_(out_of)), StockMove.product_quantity), else_=0).label("incoming"),
               case((and_(out_of, not_(into)), StockMove.product_quantity), else_=0).label("outgoing"))
        .outerjoin(Transfer, Transfer.id == StockMove.transfer_id)
        .where(StockMove.state.in_(PENDING), into != out_of, day <= until)
    )


def figures_subquery(scope: Scope, until: dt.date, product_ids: Iterable[int] | None, today: dt.date):
    """A subquery (product_id, on_hand, incoming, outgoing): quants and pending moves summed per product."""
    locations = held_locations(scope)
    stock = (select(Quant.product_id.label("product_id"), Quant.quantity.label("on_hand"),
                    literal(ZERO).label("incoming"), literal(ZERO).label("outgoing"))
             .where(Quant.company_id == scope.company_id, Quant.location_id.in_(locations)))
    moves = pending_moves(locations, until, today).where(StockMove.company_id == scope.company_id).subquery()
    moving = select(moves.c.product_id, literal(ZERO), moves.c.incoming, moves.c.outgoing)
    if product_ids is not None:
        ids = sorted(set(product_ids))
        stock, moving = stock.where(Quant.product_id.in_(ids)), moving.where(moves.c.product_id.in_(ids))
    stock, moving = where_product(stock, scope, Quant.product_id), where_product(moving, scope, moves.c.product_id)
    both = union_all(stock, moving).subquery()
    return (select(both.c.product_id.label("product_id"), func.sum(both.c.on_hand).label("on_hand"),
                   func.sum(both.c.incoming).label("incoming"), func.sum(both.c.outgoing).label("outgoing"))
            .group_by(both.c.product_id).subquery())


def _quantity(value) -> Decimal:
    return Decimal(value or 0)


def forecast(session: Session, scope: Scope, *, until: dt.date) -> Report:
    """Every product with stock or pending moves in the scope: on hand, incoming and outgoing up to ``until``,
    and the forecast (on hand + incoming - outgoing), in one query."""
    require_stock_read(session)
    figures = figures_subquery(scope, until, None, dt.date.today())
    statement = (select(Product.id, Product.code, Product.name, Product.uom_id, figures.c.on_hand, figures.c.incoming,
                        figures.c.outgoing)
                 .join(figures, figures.c.product_id == Product.id)
                 .where((figures.c.on_hand != 0) | (figures.c.incoming != 0) | (figures.c.outgoing != 0))
                 .order_by(Product.code))
    rows, units = [], unit_names(session)
    for product_id, code, name, unit_id, on_hand, incoming, outgoing in session.execute(statement):
        on_hand, incoming, outgoing = _quantity(on_hand), _quantity(incoming), _quantity(outgoing)
        rows.append(ForecastRow(product_id, code, name, units[unit_id], on_hand, incoming, outgoing,
                                on_hand + incoming - outgoing))
    return Report(_l("Forecast"), COLUMNS, rows, filters=[*scope.filters(session), (_l("Up to"), until)],
                  slug="stock-forecast")
