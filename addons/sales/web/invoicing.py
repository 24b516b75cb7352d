"""The order's invoicing actions: invoice what it has to, a down payment, delivered quantities entered by hand,
and cancelling an order (which says what it could not undo). Every page calls the services."""
from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField
from wtforms.validators import NumberRange, Optional

from addons.accounting.models import Invoice
from core.web.actions import run_service
from core.web.context import can, db, require

from ..models import CONFIRMED, INVOICE_STATUSES, INVOICED, PAYMENT_STATUSES, SaleOrder
from ..services import invoicing, orders
from . import blueprint
from .quotes import back_to_order, order_or_404


def invoice_link(invoice_id: int, kind: str) -> str | None:
    """The accounting page of an invoice, for a user who may read invoices (else None: its name only)."""
    if not can(Invoice, "read"):
        return None
    from addons.accounting.web.invoices import VIEW_OF_KIND

    return url_for(f"accounting.{VIEW_OF_KIND[kind]}_view", record_id=invoice_id)


def invoicing_context(order: SaleOrder) -> dict:
    """What the order page shows of its invoicing: statuses, invoices (linked for who may open them), which lines
    take delivered quantities by hand, and which invoicing actions this user may take."""
    session = db()
    found = invoicing.invoicing_of(session, [order])[order.id]
    confirmed = order.state == CONFIRMED
    writer, biller = can(SaleOrder, "write"), can(Invoice, "create")
    by_hand = {line.id for line in invoicing.billable_lines(order)
               if orders.delivery_source(session, line) is None} if confirmed and writer else set()
    return {
        "invoicing": found,
        "invoice_status": dict(INVOICE_STATUSES)[found.invoice_status],
        "payment_status": dict(PAYMENT_STATUSES)[found.payment_status],
        "invoice_links": {invoice.id: invoice_link(invoice.id, invoice.kind) for invoice in found.invoices},
        "delivered_by_hand": by_hand,
        "can_invoice": confirmed and biller and bool(found.to_invoice),
        "can_down_payment": confirmed and biller and found.invoice_status != INVOICED,
    }


def _created(order_id: int, invoice: Invoice, message: str):
    flash(message, "success")
    return redirect(invoice_link(invoice.id, invoice.kind) or url_for("sales.order_view", record_id=order_id))


@blueprint.route("/orders/<int:quote_id>/invoice", methods=["POST"])
def order_invoice(quote_id: int):
    order = order_or_404(quote_id)
    require(Invoice, "create")
    outcome = run_service(lambda session: invoicing.invoice_orders(session, [order]))
    if outcome.ok:
        return _created(quote_id, outcome.result, gettext("Draft invoice created from %(order)s: check it, then "
                                                          "post it.", order=order.display_name))
    return back_to_order(quote_id)


class DownPaymentForm(FlaskForm):
    percent = DecimalField(_l("Percentage of the untaxed amount"), [Optional(), NumberRange(min=0, max=100)],
                           places=None)
    amount = DecimalField(_l("Or a fixed untaxed amount"), [Optional(), NumberRange(min=0, max=Decimal(10) ** 12)],
                          places=None)


@blueprint.route("/orders/<int:quote_id>/down-payment", methods=["GET", "POST"])
def order_down_payment(quote_id: int):
    order = order_or_404(quote_id)
    require(Invoice, "create")
    form = DownPaymentForm()
    if form.validate_on_submit():
        outcome = run_service(lambda session: invoicing.invoice_down_payment(
            session, order, percent=form.percent.data, amount=form.amount.data), form=form)
        if outcome.ok:
            return _created(quote_id, outcome.result, gettext("Draft down-payment invoice created: check it, "
                                                              "then post it."))
    status = 422 if request.method == "POST" else 200
    return render_template("sales/down_payment.html", form=form, order=order_or_404(quote_id),
                           back=url_for("sales.order_view", record_id=quote_id)), status


@blueprint.route("/orders/<int:quote_id>/delivered", methods=["POST"])
def order_delivered(quote_id: int):
    order = order_or_404(quote_id)
    require(SaleOrder, "write")
    quantities = {line.id: request.form.get(f"delivered-{line.id}") for line in invoicing.billable_lines(order)
                  if f"delivered-{line.id}" in request.form}
    run_service(lambda session: orders.record_delivered(session, order, quantities),
                success=gettext("Delivered quantities recorded."))
    return back_to_order(quote_id)


@blueprint.route("/orders/<int:quote_id>/cancel", methods=["POST"])
def order_cancel(quote_id: int):
    order = order_or_404(quote_id)
    outcome = run_service(lambda session: orders.cancel_order(session, order), success=gettext("Cancelled."))
    for sentence in outcome.result or () if outcome.ok else ():
        flash(sentence, "warning")
    return back_to_order(quote_id)
