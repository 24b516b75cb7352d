"""Buy to order: confirming a sales order asks the suppliers for the products it sells that are bought to order.

- Each line of a product flagged "buy to order" (not optional) becomes a line
  of a request for quotation to the product's preferred supplier, for the
  quantity sold in the line's unit, priced from the supplier's prices (no
  price for that quantity: zero, for the buyer to fill in). It joins the
  supplier's open draft request in the company, else a new one; the sales
  line is linked to the purchase line.
- A product without a preferred supplier is not bought: the order confirms
  all the same and its page says so (:mod:`.notes`).
- Cancelling the sales order takes its lines off the requests still in
  draft (a request left empty is cancelled) and says which orders sent or
  confirmed still buy them.

The requests are the sale's consequence, not the salesperson's purchasing: they
are written by the system inside the salesperson's transaction
(``system_rows``), so a salesperson without purchase rights confirms orders.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from addons.purchase.models import CANCELLED, DRAFT, OrderLine, PurchaseOrder, PurchaseProduct
from addons.purchase.services.orders import add_lines, create_order, remove_lines
from addons.sales.models import CONFIRMED, SaleOrder, SaleOrderLine
from core.errors import ValidationError
from core.sessions import system_rows

from .models import ProductBuyToOrder, SaleLinePurchase


def orders_changed(session: Session, orders, deleting) -> None:
    """Buy what the confirmed orders sell to order and is not bought yet."""
    confirmed = [order for order in orders if order.state == CONFIRMED]
    if confirmed:
        with system_rows(session) as system:
            buy(system, confirmed)


def bought_to_order(session: Session, order: SaleOrder) -> list[SaleOrderLine]:
    """The lines of ``order`` whose products are bought to order."""
    lines = [line for line in order.lines if line.is_priced and not line.optional and line.product_id is not None]
    flagged = set(session.scalars(select(ProductBuyToOrder.product_id).where(
        ProductBuyToOrder.product_id.in_({line.product_id for line in lines}),
        ProductBuyToOrder.buy_to_order.is_(True)))) if lines else set()
    return [line for line in lines if line.product_id in flagged]


def suppliers_of(session: Session, product_ids) -> dict[int, int]:
    """product id -> its preferred supplier, for the products that have one."""
    return dict(session.execute(select(PurchaseProduct.product_id, PurchaseProduct.preferred_supplier_id).where(
        PurchaseProduct.product_id.in_(set(product_ids)), PurchaseProduct.preferred_supplier_id.is_not(None))).all())


def buy(session: Session, orders) -> None:
    """Put the lines of ``orders`` bought to order and not bought yet on their suppliers' draft requests;
    ``session`` writes as the system."""
    lines = [line for order in orders for line in bought_to_order(session, order)]
    bought = set(session.scalars(select(SaleLinePurchase.sale_line_id).where(
        SaleLinePurchase.sale_line_id.in_([line.id for line in lines])))) if lines else set()
    lines = [line for line in lines if line.id not in bought]
    suppliers = suppliers_of(session, {line.product_id for line in lines})
    groups = defaultdict(list)
    for line in lines:
        if line.product_id in suppliers:
            groups[line.company_id, suppliers[line.product_id]].append(line)
    for (company_id, supplier_id), found in groups.items():
        request = _open_request(session, company_id, supplier_id)
        for line in found:
            [added] = _add(session, request, {"product_id": line.product_id, "quantity": line.quantity,
                                              "uom_id": line.uom_id or line.product.uom_id})
            session.add(SaleLinePurchase(sale_line_id=line.id, order_id=line.order_id, purchase_line_id=added.id,
                                         company_id=company_id))
    session.flush()


def _open_request(session: Session, company_id: int, supplier_id: int) -> PurchaseOrder:
    """The supplier's latest draft request for quotation in the company, else a new one."""
    found = session.scalars(select(PurchaseOrder).where(
        PurchaseOrder.company_id == company_id, PurchaseOrder.partner_id == supplier_id,
        PurchaseOrder.state == DRAFT).order_by(PurchaseOrder.id.desc())).first()
    return found if found is not None else create_order(session, company_id, partner_id=supplier_id)


def _add(session: Session, request: PurchaseOrder, values: dict) -> list[OrderLine]:
    """The line added to ``request``, priced from the supplier's prices, else at zero for the buyer to fill."""
    try:
        return add_lines(session, request, [values])
    except ValidationError as error:
        if not (error.field or "").endswith("unit_price"):
            raise
        return add_lines(session, request, [{**values, "unit_price": Decimal(0)}])


def purchases_of(session: Session, order: SaleOrder) -> list[tuple[SaleOrderLine, OrderLine]]:
    """(sales line, purchase line buying it) for ``order``, in the order of the sales lines."""
    return [tuple(row) for row in session.execute(
        select(SaleOrderLine, OrderLine).join(SaleLinePurchase, SaleLinePurchase.sale_line_id == SaleOrderLine.id)
        .join(OrderLine, OrderLine.id == SaleLinePurchase.purchase_line_id)
        .where(SaleLinePurchase.order_id == order.id).order_by(SaleOrderLine.sequence, SaleOrderLine.id))]


def order_cancelling(session: Session, order: SaleOrder) -> list[str]:
    """Take ``order``'s lines off the draft requests that buy them; a sentence per purchase order past draft."""
    said = []
    with system_rows(session) as system:
        by_request = defaultdict(list)
        for sale_line, purchase_line in purchases_of(system, order):
            by_request[purchase_line.order].append((sale_line, purchase_line))
        for request, pairs in by_request.items():
            if request.state == DRAFT:
                gone = [purchase_line.id for _sale_line, purchase_line in pairs]
                system.execute(delete(SaleLinePurchase).where(SaleLinePurchase.purchase_line_id.in_(gone)))
                remove_lines(system, request, line_ids=gone)
            elif request.state != CANCELLED:
                said += [gettext("%(purchase)s to %(supplier)s still buys %(product)s: cancel it with the supplier "
                                 "if it is no longer needed.", purchase=request.display_name,
                                 supplier=request.partner.name, product=purchase_line.product.display_name)
                         for _sale_line, purchase_line in pairs]
    return said
