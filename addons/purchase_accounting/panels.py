"""What the bridge shows on a purchase order's page (its bills, what is billed) and on a bill's (its orders,
the three-way check), each with a link to the full table."""
from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from addons.accounting.models import Invoice
from addons.purchase.models import PurchaseOrder
from core.web.panels import Panel

from .services.bills import bill_orders, order_bills
from .services.check import check_bill, describe


def panels(session, actor, record):
    registry = session.info["registry"]
    if isinstance(record, PurchaseOrder):
        return _order_panels(session, actor, registry, record)
    if isinstance(record, Invoice):
        return _bill_panels(session, actor, registry, record)
    return ()


def _order_panels(session, actor, registry, order):
    """The order's bills (for who may read bills) and the link to its billing page."""
    bills = order_bills(session, order) if registry.can(actor, Invoice, "read") else None
    lines = None if bills is None else tuple(
        (bill.display_name, f"{bill.amount_total} {bill.currency_code}") for bill in bills) or (
        (gettext("No bill yet"), ""),)
    return (Panel(title=_l("Bills"), lines=lines or (), endpoint="purchase_accounting.order_billing",
                  endpoint_args=(("order_id", order.id),), link_label=gettext("Billing and three-way check")),)


def _bill_panels(session, actor, registry, invoice):
    if not registry.can(actor, PurchaseOrder, "read"):
        return ()
    orders = bill_orders(session, invoice)
    if not orders:
        return ()
    differences = describe(check_bill(session, invoice))
    return (Panel(title=_l("Purchase orders"), lines=tuple((order.display_name, order.partner.name)
                                                           for order in orders),
                  warning=differences or None, endpoint="purchase_accounting.bill_check",
                  endpoint_args=(("invoice_id", invoice.id),), link_label=gettext("Three-way check")),)
