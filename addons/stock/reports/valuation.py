"""Valuation at a date: per product, the quantity held in the scope's locations at the end of the day and
what it is worth.

Both come from the done moves up to that day, in one query: the quantity is
the sum of what each move brought in or took out; the value the sum of the
same quantities at each move's ``unit_cost`` (which the valuation fills when
a move is done, so the value at a date is what the moves were valued at; a
move not valued yet counts for nothing). The unit cost shown is value /
quantity.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from addons.products.models import Product, Uom
from core.reports import MONEY, QUANTITY, Column, Report

from ..models import StockMove
from .scope import Scope, done_until, held_locations, net_quantity, require_stock_read, where_product

CENT = Decimal("0.01")


@dataclass(frozen=True)
class ValuationRow:
    product_id: int
    code: str
    product: str
    unit: str
    quantity: Decimal
    unit_cost: Decimal | None
    value: Decimal


COLUMNS = (
    Column("code", _l("Code")), Column("product", _l("Product")), Column("unit", _l("Unit")),
    Column("quantity", _l("Quantity"), QUANTITY), Column("unit_cost", _l("Unit cost"), MONEY),
    Column("value", _l("Value"), MONEY),
)


def valuation_figures(scope: Scope, at: dt.date):
    """A subquery (product_id, quantity, value) of the scope at the end of ``at``, over the done moves."""
    net = net_quantity(held_locations(scope))
    statement = (select(StockMove.product_id.label("product_id"), func.sum(net).label("quantity"),
                        func.sum(net * func.coalesce(StockMove.unit_cost, 0)).label("value"))
                 .where(StockMove.company_id == scope.company_id, done_until(at))
                 .group_by(StockMove.product_id))
    return where_product(statement, scope, StockMove.product_id).subquery()


def valuation_at(session: Session, scope: Scope, *, at: dt.date) -> Report:
    """Every product with stock, or value, in the scope at the end of ``at``, with a total value."""
    require_stock_read(session)
    figures = valuation_figures(scope, at)
    statement = (select(Product.id, Product.code, Product.name, Uom.code, figures.c.quantity, figures.c.value)
                 .join(figures, figures.c.product_id == Product.id).join(Uom, Uom.id == Product.uom_id)
                 .where((figures.c.quantity != 0) | (figures.c.value != 0)).order_by(Product.code))
    rows = []
    for product_id, code, name, unit, quantity, value in session.execute(statement):
        quantity, value = Decimal(quantity or 0), Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)
        unit_cost = (value / quantity).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP) if quantity else None
        rows.append(ValuationRow(product_id, code, name, unit, quantity, unit_cost, value))
    total = sum((row.value for row in rows), Decimal("0.00"))
    return Report(_l("Valuation"), COLUMNS, rows, [(_l("Total"), {"value": total})],
                  filters=[*scope.filters(session), (_l("At"), at)], slug="stock-valuation")
