"""What the bridge says on a quotation's page: under each line bought to order, who it is (or will be) bought
from, or that it has no supplier to buy from; and a panel per purchase order buying the order's lines, linked
to it for who may read purchase orders. Read on behalf of the salesperson, who need not see purchasing."""
from __future__ import annotations

from collections import defaultdict

from flask_babel import gettext

from addons.contacts.models import Partner
from addons.purchase.models import ORDER_STATES, PurchaseOrder
from addons.sales.models import CONFIRMED, EDITABLE, SaleOrder
from core.sessions import system_rows
from core.web.panels import LineNote, Panel

from .buying import bought_to_order, purchases_of, suppliers_of
from .models import SaleLinePurchase

_STATE_LABELS = dict(ORDER_STATES)


def line_notes(session, order: SaleOrder) -> list[LineNote]:
    with system_rows(session) as system:
        lines = bought_to_order(system, order)
        if not lines:
            return []
        bought = {sale_line.id: purchase_line.order for sale_line, purchase_line in purchases_of(system, order)}
        suppliers = suppliers_of(system, {line.product_id for line in lines})
        names = {supplier_id: system.get(Partner, supplier_id).name for supplier_id in set(suppliers.values())}
        notes = [_note(line, bought.get(line.id), names.get(suppliers.get(line.product_id)), order.state)
                 for line in lines]
    return [note for note in notes if note is not None]


def _note(line, request: PurchaseOrder | None, supplier: str | None, state: str) -> LineNote | None:
    """What to say under ``line``: what buys it; else, on a quotation, whether confirming it will buy it, and
    on an order, that nothing could. Nothing for an order confirmed before its product was bought to order, nor
    for one that ended (cancelled, expired, ...)."""
    if request is not None:
        return LineNote(line.id, gettext("Bought to order: %(purchase)s to %(supplier)s (%(state)s).",
                                         purchase=request.display_name, supplier=request.partner.name,
                                         state=_STATE_LABELS[request.state]))
    if state not in (*EDITABLE, CONFIRMED):
        return None
    confirmed = state == CONFIRMED
    product = line.product.display_name
    if supplier is None and confirmed:
        return LineNote(line.id, gettext("%(product)s has no supplier to buy from: nothing was bought. Record a "
                                         "supplier price for it and buy it by hand.", product=product), warning=True)
    if supplier is None:
        return LineNote(line.id, gettext("%(product)s is bought to order but has no supplier to buy from: record "
                                         "a supplier price for it before the order is confirmed.", product=product),
                        warning=True)
    if confirmed:
        return None
    return LineNote(line.id, gettext("Bought to order from %(supplier)s when the order is confirmed.",
                                     supplier=supplier))


def panels(session, actor, record):
    registry = session.info["registry"]
    if not isinstance(record, SaleOrder) or not registry.can(actor, SaleLinePurchase, "read"):
        return ()
    linked = registry.can(actor, PurchaseOrder, "read")
    with system_rows(session) as system:
        by_request = defaultdict(list)
        for sale_line, purchase_line in purchases_of(system, record):
            by_request[purchase_line.order].append(purchase_line)
        return tuple(Panel(
            title=gettext("Bought from %(supplier)s", supplier=request.partner.name),
            lines=tuple((line.product.display_name, f"{line.quantity.normalize():f} {line.uom.display_name}")
                        for line in found),
            endpoint="purchase.order_view" if linked else None,
            endpoint_args=(("record_id", request.id),) if linked else (),
            link_label=f"{request.display_name} · {_STATE_LABELS[request.state]}") for request, found in
            by_request.items())
