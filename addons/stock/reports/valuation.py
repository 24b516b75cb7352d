"""Valuation at a date: per product, the quantity held in the scope's locations at the end of the day and
what it is worth, in one query.

The quantity is the sum of what the done moves up to that day brought into
the scope's locations or took out of them. The value is:

- for a whole company (no warehouse or location asked), the valuation's
  ledger up to that day (``models.valuation.ValuationEntry``, what
  ``valuation.services.stock_value_at`` sums): every move's value, with the
  re-valuations of standard costs, the settlement of negative stock and the
  corrections of back-dated moves;
- for a warehouse or a location, which the ledger does not follow, the same
  quantities at each move's ``unit_cost`` (what the valuation gave the move,
  corrections included; revaluations of stock on hand, which belong to no
  move, are left out).

The unit cost shown is value / quantity.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import Session

from addons.products.models import Product
from core.reports import MONEY, QUANTITY, Column, Report

from ..models import StockMove, ValuationEntry
from .scope import (
    Scope,
    done_until,
    held_locations,
    net_quantity,
    require_stock_read,
    touching,
    unit_names,
    where_product,
)

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
    """A subquery (product_id, quantity, value) of the scope at the end of ``at``."""
    locations = held_locations(scope)
    net = net_quantity(locations)
    moved = where_product(select(StockMove.product_id.label("product_id"), net.label("quantity"),
                                 (net * func.coalesce(StockMove.unit_cost, 0)).label("value"))
                          .where(StockMove.company_id == scope.company_id, done_until(at), touching(locations)),
                          scope, StockMove.product_id)
    if scope.warehouse_id is None and scope.location_id is None:
        end = dt.datetime.combine(at + dt.timedelta(days=1), dt.time())
        ledger = where_product(select(ValuationEntry.product_id, literal(0), ValuationEntry.value)
                               .where(ValuationEntry.company_id == scope.company_id, ValuationEntry.date < end),
                               scope, ValuationEntry.product_id)
        moved = union_all(moved.with_only_columns(StockMove.product_id, net.label("quantity"), literal(0).label("value")),
                          ledger)
    both = moved.subquery()
    return (select(both.c.product_id.label("product_id"), func.sum(both.c.quantity).label("quantity"),
                   func.sum(both.c.value).label("value")).group_by(both.c.product_id).subquery())


def valuation_at(session: Session, scope: Scope, *, at: dt.date) -> Report:
    """Every product with stock, or value, in the scope at the end of ``at``, with a total value."""
    require_stock_read(session)
    figures = valuation_figures(scope, at)
    statement = (select(Product.id, Product.code, Product.name, Product.uom_id, figures.c.quantity, figures.c.value)
                 .join(figures, figures.c.product_id == Product.id)
                 .where((figures.c.quantity != 0) | (figures.c.value != 0)).order_by(Product.code))
    rows, units = [], unit_names(session)
    for product_id, code, name, unit_id, quantity, value in session.execute(statement):
        quantity, value = Decimal(quantity or 0), Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)
        unit_cost = (value / quantity).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP) if quantity else None
        rows.append(ValuationRow(product_id, code, name, units[unit_id], quantity, unit_cost, value))
    total = sum((row.value for row in rows), Decimal("0.00"))
    return Report(_l("Valuation"), COLUMNS, rows, [(_l("Total"), {"value": total})],
                  filters=[*scope.filters(session), (_l("At"), at)], slug="stock-valuation")
