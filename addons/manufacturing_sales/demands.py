"""What confirmed sales orders still have to deliver, as demands of the requirements run.

A product line of a confirmed order wants its quantity less what was
delivered, converted to the product's own unit, on the order's date. What
its delivery already reserved in stock is taken off (the run subtracts
reserved stock from what is available, so it is not counted twice). Three
queries whatever the number of orders.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from addons.products.models import Product, Uom
from addons.products.units import convert
from addons.sales.models import SaleOrder, SaleOrderLine
from addons.sales.models.orders import CONFIRMED, PRODUCT
from addons.sales_stock.models import SaleDelivery
from addons.stock.models import StockMove
from addons.stock.reports.forecast import PENDING
from core.planning import Demand

ZERO = Decimal(0)


def open_sales_demands(session: Session, company_id: int) -> list[Demand]:
    rows = session.execute(
        select(SaleOrder.id, SaleOrder.number, SaleOrder.date_order, SaleOrderLine.product_id,
               SaleOrderLine.quantity - SaleOrderLine.qty_delivered, SaleOrderLine.uom_id,
               Product.uom_id.label("own_uom_id"))
        .join(SaleOrder, SaleOrder.id == SaleOrderLine.order_id)
        .join(Product, Product.id == SaleOrderLine.product_id)
        .where(SaleOrder.company_id == company_id, SaleOrder.state == CONFIRMED, SaleOrderLine.kind == PRODUCT,
               SaleOrderLine.optional.is_(False), SaleOrderLine.quantity > SaleOrderLine.qty_delivered)
        .order_by(SaleOrder.id, SaleOrderLine.sequence, SaleOrderLine.id)).all()
    if not rows:
        return []
    units = {unit.id: unit for unit in session.scalars(select(Uom))}
    reserved = _reserved(session, company_id)
    demands = []
    for order_id, number, day, product_id, left, uom_id, own_uom_id in rows:
        quantity = convert(Decimal(left), units[uom_id or own_uom_id], units[own_uom_id])
        covered = min(quantity, reserved[order_id, product_id])
        reserved[order_id, product_id] -= covered
        if quantity > covered:
            demands.append(Demand(product_id, day, quantity - covered, number or ""))
    return demands


def _reserved(session: Session, company_id: int) -> dict[tuple[int, int], Decimal]:
    """(order id, product id) -> what the order's pending deliveries reserved in stock."""
    found: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for order_id, product_id, quantity in session.execute(
            select(SaleDelivery.order_id, StockMove.product_id, func.sum(StockMove.reserved))
            .join(StockMove, StockMove.transfer_id == SaleDelivery.transfer_id)
            .where(SaleDelivery.company_id == company_id, StockMove.state.in_(PENDING))
            .group_by(SaleDelivery.order_id, StockMove.product_id)):
        found[order_id, product_id] = Decimal(quantity or 0)
    return found
