"""Confirmed sales orders: delivered quantities recorded by hand, and cancelling an order.

Delivered quantities: an installed bridge that keeps a line's ``qty_delivered``
from its own records says so through the ``sales_delivery_source`` hook
(``sales_stock``, for goods, from deliveries); every other line (services, or
any line without a delivery bridge) is the salesperson's to record here.

Cancelling a confirmed order (:func:`cancel_order`) deletes the draft
invoices that bill only it, asks the installed addons to cancel what hangs on
it (``sales_order_cancelling``), and returns a sentence for each thing that
could not be undone (a posted invoice: credit it; a bridge's sentences). The
order is cancelled all the same; what was delivered or invoiced stays.
"""
from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext
from sqlalchemy.orm import Session

from addons.products.units import check_quantity
from core.errors import ValidationError

from ..models import CONFIRMED, SaleOrder, SaleOrderLine
from .invoicing import billable_lines, drop_drafts, parse_quantity, sync_invoiced
from .quotes import cancel_quote


def delivery_source(session: Session, line: SaleOrderLine) -> str | None:
    """What records the line's deliveries when an installed addon does (None: recorded by hand)."""
    registry = session.info.get("registry")
    return registry.hook.sales_delivery_source(session=session, line=line) if registry is not None else None


def record_delivered(session: Session, order: SaleOrder, quantities: Mapping[int, object]) -> SaleOrder:
    """Record by hand the delivered quantities (order line id -> quantity, per the line's unit) of a confirmed
    order's lines; an empty value leaves a line as it is."""
    if order.state != CONFIRMED:
        raise ValidationError(gettext("%(order)s is not a confirmed sales order: nothing is delivered on a "
                                      "quotation.", order=order.display_name), "state")
    lines = {line.id: (number, line) for number, line in enumerate(billable_lines(order), start=1)}
    changes = []
    for line_id, value in quantities.items():
        where = f"delivered-{line_id}"
        if line_id not in lines:
            raise ValidationError(gettext("Line %(line)s is not a line of %(order)s.", line=line_id,
                                          order=order.display_name), where)
        if value in (None, ""):
            continue
        number, line = lines[line_id]
        quantity = parse_quantity(value, where)
        if quantity < 0:
            raise ValidationError(gettext("Line %(number)s: a delivered quantity cannot be negative.",
                                          number=number), where)
        if line.uom is not None:
            check_quantity(quantity, line.uom, where)
        if quantity != line.qty_delivered:
            source = delivery_source(session, line)
            if source is not None:
                raise ValidationError(gettext("Line %(number)s: its delivered quantity comes from %(source)s; it "
                                              "is not entered by hand.", number=number, source=source), where)
            changes.append((line, quantity))
    with session.begin_nested():
        for line, quantity in changes:
            line.qty_delivered = quantity
        session.flush()
    return order


def cancel_order(session: Session, order: SaleOrder) -> list[str]:
    """Cancel a quotation or a sales order; for an order, also what hangs on it. Returns the sentences saying
    what could not be cancelled, for the user."""
    if order.state != CONFIRMED:
        cancel_quote(session, order)
        return []
    with session.begin_nested():
        sentences = drop_drafts(session, order)
        registry = session.info.get("registry")
        if registry is not None:
            for found in registry.hook.sales_order_cancelling(session=session, order=order):
                sentences.extend(str(sentence) for sentence in found or ())
        cancel_quote(session, order)
        sync_invoiced(session, [order])
    return sentences
