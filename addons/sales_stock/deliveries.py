"""What sales and stock do together: the deliveries of a confirmed order, and what was delivered.

- Confirming an order makes its delivery, from the order's warehouse (else
  the company's first; a company with none gets a "Main warehouse"), with a move per line of goods that is not optional,
  in the line's unit, and confirms it (it reserves what it can). Services get
  no move; consumables are moved as stock moves them.
- The delivery's backorders and returns belong to the order too; whenever
  moves are done, each line's delivered quantity is recounted from its
  order's done moves (all the orders of a batch at once): deliveries add,
  returns from the customer take away (stock's
  :mod:`addons.stock.services.documents`).
- Cancelling an order cancels what its deliveries have not delivered yet,
  and says which deliveries are done: their goods come back by a return.

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
from addons.stock.services import moves as move_services
from addons.stock.services.setup import default_warehouse
from addons.stock.services.transfers import confirm_transfer, create_transfer
from core.bulk import update_rows
from core.db import utcnow
from core.sessions import system_rows

from .models import SaleDelivery, SaleWarehouse


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
    side = session.get(SaleWarehouse, order.id)
    if side is not None and side.warehouse_id is not None:
        return session.get(Warehouse, side.warehouse_id)
    return default_warehouse(session, order.company_id)


def create_deliveries(session: Session, order: SaleOrder) -> Transfer | None:
    """The confirmed delivery of ``order``'s goods from its warehouse (None when it sells services only);
    ``session`` writes as the system."""
    lines = goods(order)
    if not lines:
        return None
    delivery = create_transfer(session, order.company_id, kind=DELIVERY,
                               warehouse_id=shipping_warehouse(session, order).id, origin=order.number,
                               scheduled_date=(order.confirmed_at or utcnow()).date(), lines=[
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
    """Each line's delivered quantity, in its unit, from its order's done moves: for all ``order_ids`` at once."""
    order_ids = set(order_ids)
    if not order_ids:
        return
    net = documents.net_done(session, SaleDelivery, order_ids=order_ids, kind=DELIVERY)
    lines = session.scalars(select(SaleOrderLine).where(
        SaleOrderLine.order_id.in_(order_ids), SaleOrderLine.product_id.is_not(None),
        SaleOrderLine.optional.is_(False))
        .options(selectinload(SaleOrderLine.product).selectinload(Product.uom), selectinload(SaleOrderLine.uom))
        .order_by(SaleOrderLine.order_id, SaleOrderLine.sequence, SaleOrderLine.id))
    changes = documents.spread(lines, net, unit_of=lambda line: line.uom or line.product.uom,
                               done_of=lambda line: line.qty_delivered)
    update_rows(session, SaleOrderLine, {line_id: {"qty_delivered": done} for line_id, done in changes.items()})
    _expire(session, order_ids)


def _expire(session: Session, order_ids: set[int]) -> None:
    """Have ``session`` read the orders' delivered quantities again (they were written set-wise)."""
    for record in list(session.identity_map.values()):
        if isinstance(record, SaleOrderLine) and record.order_id in order_ids:
            session.expire(record, ["qty_delivered"])
