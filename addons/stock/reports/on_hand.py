"""Stock on hand: per product, location and lot, what the quants hold, reserved and available."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from addons.products.models import Product
from core.reports import QUANTITY, Column, Report

from ..models import Location, Lot, Quant
from .scope import (
    Scope,
    held_locations,
    location_path,
    require_stock_read,
    unit_names,
    where_product,
)


@dataclass(frozen=True)
class OnHandRow:
    product_id: int
    code: str
    product: str
    location_id: int
    location: str
    lot: str | None
    unit: str
    quantity: Decimal
    reserved: Decimal
    available: Decimal


COLUMNS = (
    Column("code", _l("Code")), Column("product", _l("Product")), Column("location", _l("Location")),
    Column("lot", _l("Lot / serial number")), Column("unit", _l("Unit")),
    Column("quantity", _l("On hand"), QUANTITY), Column("reserved", _l("Reserved"), QUANTITY),
    Column("available", _l("Available"), QUANTITY),
)


def stock_on_hand(session: Session, scope: Scope, *, by_lot: bool = True) -> Report:
    """What is in the scope's held locations now, one row per product x location (x lot when ``by_lot``),
    from the quants in one query; empty quants are left out."""
    require_stock_read(session)
    quantity, reserved = func.sum(Quant.quantity), func.sum(Quant.reserved)
    parent = aliased(Location)
    path = location_path(Location, parent)
    lot_name = Lot.name if by_lot else None
    statement = (
        select(Product.id, Product.code, Product.name, Location.id, path, Product.uom_id,
               *([lot_name] if by_lot else []), quantity, reserved)
        .select_from(Quant)
        .join(Product, Product.id == Quant.product_id)
        .join(Location, Location.id == Quant.location_id).outerjoin(parent, parent.id == Location.parent_id)
        .where(Quant.company_id == scope.company_id, Quant.location_id.in_(held_locations(scope)))
        .group_by(Product.id, Product.code, Product.name, Location.id, path, Product.uom_id,
                  *([Lot.id, lot_name] if by_lot else []))
        .having((quantity != 0) | (reserved != 0))
        .order_by(Product.code, path, Location.id, *([lot_name] if by_lot else []))
    )
    if by_lot:
        statement = statement.outerjoin(Lot, Lot.id == Quant.lot_id)
    statement = where_product(statement, scope, Quant.product_id)
    rows, units = [], unit_names(session)
    for found in session.execute(statement):
        product_id, code, name, location_id, location, unit_id = found[:6]
        lot = found[6] if by_lot else None
        on_hand, held = Decimal(found[-2]), Decimal(found[-1])
        rows.append(OnHandRow(product_id, code, name, location_id, location, lot, units[unit_id], on_hand, held,
                              on_hand - held))
    columns = COLUMNS if by_lot else tuple(column for column in COLUMNS if column.key != "lot")
    return Report(_l("Stock on hand"), columns, rows, filters=scope.filters(session), slug="stock-on-hand")
