"""Stock-move history: the moves done in a date range, filtered by the scope, newest last, page by page;
quantities in the product's unit, which the unit cost is for."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from addons.products.models import Product
from core.reports import DATE, MONEY, QUANTITY, Column, Report

from ..models import Location, Lot, StockMove, Transfer
from ..models.moves import DONE
from .scope import (
    Scope,
    check_range,
    held_locations,
    location_path,
    require_stock_read,
    touching,
    unit_names,
    where_product,
)

PAGE_SIZE = 200


@dataclass(frozen=True)
class HistoryRow:
    move_id: int
    date: dt.date
    reference: str | None
    code: str
    product: str
    lot: str | None
    source: str
    destination: str
    quantity: Decimal
    unit: str
    unit_cost: Decimal | None
    value: Decimal | None


COLUMNS = (
    Column("date", _l("Date"), DATE), Column("reference", _l("Reference")), Column("code", _l("Code")),
    Column("product", _l("Product")), Column("lot", _l("Lot / serial number")), Column("source", _l("From")),
    Column("destination", _l("To")), Column("quantity", _l("Quantity"), QUANTITY), Column("unit", _l("Unit")),
    Column("unit_cost", _l("Unit cost"), MONEY), Column("value", _l("Value"), MONEY),
)


def move_history(session: Session, scope: Scope, *, date_from: dt.date | None = None,
                 date_to: dt.date | None = None, page: int = 1, page_size: int | None = PAGE_SIZE) -> Report:
    """The done moves between ``date_from`` and ``date_to`` (either open) of the scope's products, into or
    out of its locations when it names a warehouse or a location; one query for the page (and one count
    when paginated). ``page_size`` None: every move (exports)."""
    require_stock_read(session)
    check_range(date_from, date_to)
    source, destination = aliased(Location), aliased(Location)
    source_parent, destination_parent = aliased(Location), aliased(Location)
    where = [StockMove.company_id == scope.company_id, StockMove.state == DONE]
    if date_from is not None:
        where.append(StockMove.date >= dt.datetime.combine(date_from, dt.time()))
    if date_to is not None:
        where.append(StockMove.date < dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time()))
    if scope.location_id is not None or scope.warehouse_id is not None:
        where.append(touching(held_locations(scope)))
    statement = (
        select(StockMove.id, StockMove.date, Transfer.name, Product.code, Product.name, Lot.name,
               location_path(source, source_parent), location_path(destination, destination_parent),
               StockMove.product_quantity, Product.uom_id, StockMove.unit_cost)
        .select_from(StockMove)
        .join(Product, Product.id == StockMove.product_id)
        .join(source, source.id == StockMove.source_location_id)
        .join(destination, destination.id == StockMove.dest_location_id)
        .outerjoin(source_parent, source_parent.id == source.parent_id)
        .outerjoin(destination_parent, destination_parent.id == destination.parent_id)
        .outerjoin(Transfer, Transfer.id == StockMove.transfer_id).outerjoin(Lot, Lot.id == StockMove.lot_id)
        .where(*where).order_by(StockMove.date, StockMove.id)
    )
    statement = where_product(statement, scope, StockMove.product_id)
    pages = 1
    if page_size is not None:
        counted = where_product(select(func.count(StockMove.id)).where(*where), scope, StockMove.product_id)
        pages = max(1, -(-session.scalar(counted) // page_size))
        page = min(max(1, page), pages)
        statement = statement.limit(page_size).offset((page - 1) * page_size)
    units = unit_names(session)
    rows = [HistoryRow(move_id, date.date(), reference, code, product, lot, from_, to, quantity, units[unit_id],
                       unit_cost, None if unit_cost is None else (quantity * unit_cost).quantize(Decimal("0.01")))
            for move_id, date, reference, code, product, lot, from_, to, quantity, unit_id, unit_cost
            in session.execute(statement)]
    return Report(_l("Stock moves"), COLUMNS, rows,
                  filters=[*scope.filters(session), (_l("From"), date_from), (_l("To"), date_to)],
                  page=page, pages=pages, slug="stock-moves")
