"""What sales and stock do together: the deliveries of a confirmed order, and what was delivered.

- Confirming an order makes one delivery per warehouse its goods leave from:
  a line's own warehouse, else the order's, else the company's first (a
  company with none gets a "Main warehouse"). Each has a move per line of
  goods that is not optional, in the line's unit, and is confirmed (it
  reserves what it can). Services get no move; consumables are moved as
  stock moves them.
- The deliveries' backorders and returns belong to the order too; whenever
  moves are done, each line's delivered quantity is recounted from the done
  moves of its order's transfers from its warehouse (all the orders of a
  batch at once): deliveries add, returns from the customer take away
  (stock's :mod:`addons.stock.services.documents`).
- Cancelling an order cancels what each of its deliveries has not delivered
  yet, and says which deliveries are done: their goods come back by a return.

The delivery is the sale's consequence, not the salesperson's stock work: it
is written by the system inside the salesperson's transaction
(``system_rows``), so a salesperson without stock rights confirms orders, and
a warehouse clerk without sales rights delivers them.
"""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from addons.products.models import SERVICE, Product
from addons.sales.models import CONFIRMED, SaleOrder, SaleOrderLine
from addons.stock.models import StockMove, Transfer, Warehouse
from addons.stock.models.moves import CANCELLED, DELIVERY, DONE
from addons.stock.services import documents
from addons.stock.services.kits import fold_kits
from addons.stock.services import moves as move_services
from addons.stock.services.setup import default_warehouse
from addons.stock.services.transfers import confirm_transfer, create_transfer
from core.bulk import update_rows
from core.db import utcnow
from core.sessions import system_rows

from .models import SaleDelivery, SaleLineWarehouse, SaleWarehouse


def orders_changed(session: Session, orders, deleting) -> None:
    """Deliver the confirmed orders that have no delivery yet."""
    confirmed = [order for order in orders if order.state == CONFIRMED]
    if not confirmed:
        return
    with system_rows(session) as system:
        delivered = set(system.scalars(select(SaleDelivery.order_id).where(
            SaleDelivery.order_id.in_([order.id for order in confirmed]))))
        for order in confirmed:
            if order.id not in delivered:
                create_deliveries(system, order)


def goods(order: SaleOrder) -> list[SaleOrderLine]:
    """The lines of ``order`` that move goods: products that are not services, not offered as options."""
    return [line for line in order.lines if line.is_priced and not line.optional and line.product is not None
            and line.product.kind != SERVICE]


def delivery_source(line: SaleOrderLine) -> str | None:
    """Goods are delivered by the order's deliveries, so nobody enters their delivered quantity by hand."""
    if line.product is not None and line.product.kind != SERVICE:
        return gettext("deliveries")
    return None


def shipping_warehouse(session: Session, order: SaleOrder) -> Warehouse:
    """The order's "Deliver from", else the company's first warehouse."""
    side = session.get(SaleWarehouse, order.id)
    if side is not None and side.warehouse_id is not None:
        return session.get(Warehouse, side.warehouse_id)
    return default_warehouse(session, order.company_id)


def line_warehouses(session: Session, order_ids) -> dict[int, int]:
    """line id -> the warehouse it names itself, for the lines of ``order_ids`` that name one."""
    return dict(session.execute(select(SaleLineWarehouse.line_id, SaleLineWarehouse.warehouse_id)
                                .join(SaleOrderLine, SaleOrderLine.id == SaleLineWarehouse.line_id)
                                .where(SaleOrderLine.order_id.in_(set(order_ids)),
                                       SaleLineWarehouse.warehouse_id.is_not(None))).all())


def create_deliveries(session: Session, order: SaleOrder) -> list[Transfer]:
    """The confirmed deliveries of ``order``'s goods, one per warehouse they leave from (none when it sells
    services only), the order's warehouse first; ``session`` writes as the system."""
    lines = goods(order)
    if not lines:
        return []
    sides = {side.line_id: side for side in session.scalars(select(SaleLineWarehouse).where(
        SaleLineWarehouse.line_id.in_([line.id for line in lines])))}  # one query, and one flush of the new ones
    own = {line_id: side.warehouse_id for line_id, side in sides.items() if side.warehouse_id is not None}
    default = shipping_warehouse(session, order).id
    by_warehouse: dict[int, list[SaleOrderLine]] = {}
    for line in lines:
        by_warehouse.setdefault(own.get(line.id, default), []).append(line)
        if line.id not in own:  # each line keeps where its goods leave from: its delivered quantity counts there
            side = sides.get(line.id) or SaleLineWarehouse(line_id=line.id)
            side.warehouse_id = default
            session.add(side)
    return [_deliver(session, order, warehouse_id, found) for warehouse_id, found in
            sorted(by_warehouse.items(), key=lambda item: (item[0] != default, item[0]))]


def _deliver(session: Session, order: SaleOrder, warehouse_id: int, lines: list[SaleOrderLine]) -> Transfer:
    delivery = create_transfer(session, order.company_id, kind=DELIVERY, warehouse_id=warehouse_id,
                               origin=order.number, scheduled_date=(order.confirmed_at or utcnow()).date(), lines=[
                                   {"product_id": line.product_id, "quantity": line.quantity,
                                    "uom_id": line.uom_id or line.product.uom_id} for line in lines])
    session.add(SaleDelivery(transfer_id=delivery.id, order_id=order.id, company_id=order.company_id))
    return confirm_transfer(session, delivery)


def deliveries_of(session: Session, order: SaleOrder) -> list[Transfer]:
    """The order's deliveries, their backorders and returns, in the order they were made."""
    ids = set(documents.transfers_of(session, SaleDelivery, order_ids=[order.id]))
    return list(session.scalars(select(Transfer).where(Transfer.id.in_(ids)).order_by(Transfer.id))) if ids else []


def order_cancelling(session: Session, order: SaleOrder) -> list[str]:
    """Cancel the moves of ``order``'s deliveries that are not done; a sentence per delivery that is done."""
    with system_rows(session) as system:
        found = [transfer for transfer in deliveries_of(system, order) if transfer.kind == DELIVERY]
        pending = list(system.scalars(select(StockMove).where(
            StockMove.transfer_id.in_([transfer.id for transfer in found]),
            StockMove.state.not_in((DONE, CANCELLED)))))
        if pending:
            move_services.cancel(system, pending)
        return [gettext("Delivery %(delivery)s is done: return the goods to take them back.",
                        delivery=transfer.name) for transfer in found if transfer.state == DONE]


def moves_done(session: Session, move_ids) -> None:
    """Recount the delivered quantities of the orders whose deliveries (or returns) these moves belong to."""
    with system_rows(session) as system:
        order_ids = documents.documents_of_moves(system, SaleDelivery, move_ids=move_ids)
        recount(system, order_ids)
    _expire(session, order_ids)


def recount(session: Session, order_ids) -> None:
    """Each line's delivered quantity, in its unit, from the done moves of its order's transfers from its
    warehouse: for all ``order_ids`` at once."""
    order_ids = set(order_ids)
    if not order_ids:
        return
    net = documents.net_done(session, SaleDelivery, order_ids=order_ids, kind=DELIVERY, per_warehouse=True)
    lines = session.scalars(select(SaleOrderLine).where(
        SaleOrderLine.order_id.in_(order_ids), SaleOrderLine.product_id.is_not(None),
        SaleOrderLine.optional.is_(False))
        .options(selectinload(SaleOrderLine.product).selectinload(Product.uom), selectinload(SaleOrderLine.uom))
        .order_by(SaleOrderLine.order_id, SaleOrderLine.sequence, SaleOrderLine.id))
    lines = lines.all()
    for company_id in {line.company_id for line in lines}:  # a kit is delivered as its components
        fold_kits(session, company_id=company_id, net=net,
                  product_ids={line.product_id for line in lines if line.company_id == company_id})
    warehouse_of = _warehouse_of_lines(session, order_ids)
    changes = documents.spread(lines, net, unit_of=lambda line: line.uom or line.product.uom,
                               done_of=lambda line: line.qty_delivered,
                               key=lambda line: (line.order_id, warehouse_of(line), line.product_id))
    update_rows(session, SaleOrderLine, {line_id: {"qty_delivered": done} for line_id, done in changes.items()})
    _expire(session, order_ids)


def _warehouse_of_lines(session: Session, order_ids: set[int]):
    """A function of a line giving the warehouse its goods leave from (its own, else its order's)."""
    own = line_warehouses(session, order_ids)
    orders: dict[int, int] = {}

    def warehouse_of(line: SaleOrderLine) -> int:
        if line.id in own:
            return own[line.id]
        if line.order_id not in orders:
            orders[line.order_id] = shipping_warehouse(session, line.order).id
        return orders[line.order_id]

    return warehouse_of


def _expire(session: Session, order_ids: set[int]) -> None:
    """Have ``session`` read the orders' delivered quantities again (they were written set-wise)."""
    for record in list(session.identity_map.values()):
        if isinstance(record, SaleOrderLine) and record.order_id in order_ids:
            session.expire(record, ["qty_delivered"])
