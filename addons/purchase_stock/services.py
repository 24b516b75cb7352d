"""What purchase and stock do together: the receipt of a confirmed order, and what was received.

- Confirming an order makes one receipt, to the order's warehouse (else the
  company's first; a company with none gets a "Main warehouse", WH), with a move per line of goods, in the line's unit, and
  confirms it. Each move carries what the goods cost, per unit of the
  product's own unit and in the company's currency, so the stock valuation
  (FIFO layers, the average, the last purchase price) takes the purchase
  price.
- The receipt's backorders and returns belong to the order too; whenever
  moves are done, each line's received quantity is recounted from its
  order's done moves (all the orders of a batch of moves at once): receipts
  add, returns to the supplier take away. A
  product on several lines fills them in their order, the last one taking
  any excess (stock's :mod:`addons.stock.services.documents`).
- Cancelling an order cancels what its receipts have not received yet.
- Ordering lines of stock's replenishment list makes draft requests for
  quotation, one per preferred supplier and warehouse, as the acting user
  (who must be allowed to buy).

The receipt is the purchase's consequence, not the buyer's stock work: it is
written by the system inside the buyer's transaction (``system_rows``), so a
buyer without stock rights confirms orders, and a warehouse clerk without
purchase rights receives them.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from addons.products.models import SERVICE, Product
from addons.products.units import convert
from addons.purchase.models import OrderLine, PurchaseOrder, PurchaseProduct
from addons.purchase.services.currency import rate
from addons.purchase.services.orders import create_order
from addons.stock.models import StockMove, Transfer, Warehouse
from addons.stock.models.moves import CANCELLED, DONE, RECEIPT
from addons.stock.services import documents
from addons.stock.services import moves as move_services
from addons.stock.services.setup import default_warehouse
from addons.stock.services.transfers import confirm_transfer, create_transfer
from core.bulk import update_rows
from core.errors import ValidationError
from core.sessions import system_rows

from .models import OrderDelivery, OrderReceipt

COST = Decimal("0.000001")


def receiving_warehouse(session: Session, order: PurchaseOrder) -> Warehouse:
    side = session.get(OrderDelivery, order.id)
    if side is not None and side.warehouse_id is not None:
        return session.get(Warehouse, side.warehouse_id)
    return default_warehouse(session, order.company_id)


def create_receipt(session: Session, order: PurchaseOrder) -> Transfer | None:
    """The confirmed receipt of ``order``'s goods (None when it orders services only)."""
    goods = [line for line in order.lines if line.product.kind != SERVICE]
    if not goods:
        return None
    to_company = rate(session, order.company_id, order.currency_code, date=order.date_order, field="currency_code")
    lines = [{"product_id": line.product_id, "quantity": line.quantity, "uom_id": line.uom_id,
              "unit_cost": unit_cost(line, to_company)} for line in goods]
    expected = [line.expected_date for line in goods if line.expected_date is not None]
    with system_rows(session) as system:
        warehouse = receiving_warehouse(system, order)
        receipt = create_transfer(system, order.company_id, kind=RECEIPT, warehouse_id=warehouse.id,
                                  origin=order.number, scheduled_date=min(expected, default=order.date_order),
                                  lines=lines)
        system.add(OrderReceipt(transfer_id=receipt.id, order_id=order.id, company_id=order.company_id))
        confirm_transfer(system, receipt)
        return receipt


def unit_cost(line: OrderLine, to_company: Decimal) -> Decimal:
    """What one unit of the product's own unit costs on ``line``, in the company's currency."""
    per_product_unit = convert(Decimal(1), line.uom, line.product.uom)
    return (line.unit_price * to_company / per_product_unit).quantize(COST, rounding=ROUND_HALF_UP)


def cancel_receipts(session: Session, order: PurchaseOrder) -> None:
    """Cancel the moves of ``order``'s receipts (and their backorders) that are not done."""
    with system_rows(session) as system:
        pending = list(system.scalars(select(StockMove).where(
            StockMove.transfer_id.in_(set(documents.transfers_of(system, OrderReceipt, order_ids=[order.id]))),
            StockMove.state.not_in((DONE, CANCELLED)))))
        if pending:
            move_services.cancel(system, pending)


def moves_done(session: Session, move_ids) -> None:
    """Recount the received quantities of the orders whose receipts (or returns) these moves belong to."""
    with system_rows(session) as system:
        recount(system, documents.documents_of_moves(system, OrderReceipt, move_ids=move_ids))


def recount(session: Session, order_ids) -> None:
    """Each line's received quantity, in its unit, from its order's done moves: for all ``order_ids`` at once
    (a query for the moves, one for the lines, one write)."""
    order_ids = set(order_ids)
    if not order_ids:
        return
    net = documents.net_done(session, OrderReceipt, order_ids=order_ids, kind=RECEIPT)
    lines = session.scalars(select(OrderLine).where(OrderLine.order_id.in_(order_ids))
                            .options(selectinload(OrderLine.product).selectinload(Product.uom),
                                     selectinload(OrderLine.uom))
                            .order_by(OrderLine.order_id, OrderLine.sequence, OrderLine.id))
    changes = documents.spread(lines, net, unit_of=lambda line: line.uom, done_of=lambda line: line.received_quantity)
    update_rows(session, OrderLine, {line_id: {"received_quantity": received} for line_id, received in changes.items()})
    for order in session.identity_map.values():
        if isinstance(order, PurchaseOrder) and order.id in order_ids:
            session.expire(order, ["lines"])


def order_replenishment(session: Session, lines) -> list[PurchaseOrder]:
    """Draft requests for quotation for the replenishment ``lines``: one per (preferred supplier, warehouse),
    a line per product in its own unit (the supplier's price and lead time apply). A product without a
    preferred supplier is refused, naming it, and nothing is made."""
    groups: dict[tuple, list] = defaultdict(list)
    suppliers = dict(session.execute(select(PurchaseProduct.product_id, PurchaseProduct.preferred_supplier_id).where(
        PurchaseProduct.product_id.in_({line.product_id for line in lines}))).all())
    for line in lines:
        supplier_id = suppliers.get(line.product_id)
        if supplier_id is None:
            raise ValidationError(gettext(
                "%(product)s has no preferred supplier: record a supplier price for it, then order again.",
                product=line.product.display_name), "line_ids")
        groups[line.company_id, supplier_id, line.warehouse_id].append(line)
    orders = []
    for (company_id, supplier_id, warehouse_id), found in groups.items():
        order = create_order(session, company_id, partner_id=supplier_id, lines=[
            {"product_id": line.product_id, "quantity": line.quantity, "uom_id": line.product.uom_id,
} for line in found])
        session.add(OrderDelivery(order_id=order.id, warehouse_id=warehouse_id))
        session.flush()
        orders.append(order)
    return orders
