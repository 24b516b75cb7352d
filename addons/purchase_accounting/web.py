"""The bridge's pages: an order's billing (what is ordered, received, billed, its bills, "Create bill") and a
bill's three-way check ("Accept the differences"). Each calls the services; none holds a business rule."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext

from addons.accounting.models import Invoice
from addons.accounting.models.invoicing import DRAFT
from addons.accounting.web.invoices import invoice_url
from addons.purchase.models import DONE, PURCHASE, PurchaseOrder
from core.web.actions import run_service
from core.web.context import (
    can,
    current_actor,
    db,
    record_or_404,
    require,
    system_session,
)

from .models import Acceptance
from .services import bills, check
from .services.settings import bills_received, receiving

#: mounted at /purchase_accounting
blueprint = Blueprint("purchase_accounting", __name__, template_folder="templates")


@blueprint.route("/orders/<int:order_id>/billing")
def order_billing(order_id: int):
    require(PurchaseOrder, "read")
    order = record_or_404(PurchaseOrder, order_id)
    session = db()
    billed = bills.billed_quantities(session, [line.id for line in order.lines])
    left = bills.to_bill(session, order)
    rows = [(line, billed.get(line.id, 0), left.get(line.id, 0)) for line in order.lines]
    return render_template(
        "purchase_accounting/order_billing.html", order=order, rows=rows, receiving=receiving(session),
        policy_received=bills_received(session, order.company_id),
        bills=bills.order_bills(session, order) if can(Invoice, "read") else [],
        can_bill=bool(left) and order.state in (PURCHASE, DONE) and can(Invoice, "create"), invoice_url=invoice_url)


@blueprint.route("/orders/<int:order_id>/bill", methods=["POST"])
def order_bill(order_id: int):
    order = record_or_404(PurchaseOrder, order_id)
    outcome = run_service(lambda session: bills.create_bill(session, order))
    if outcome.ok:
        return redirect(invoice_url(outcome.result))
    return redirect(url_for("purchase_accounting.order_billing", order_id=order_id))


@blueprint.route("/bills/<int:invoice_id>/check")
def bill_check(invoice_id: int):
    """For who reads bills, and for buyers, who read the orders (the page shows the check, not the books)."""
    if can(Invoice, "read"):
        session, invoice = db(), record_or_404(Invoice, invoice_id)
        orders = bills.bill_orders(session, invoice)
    else:
        require(PurchaseOrder, "read")
        session = system_session()
        invoice = session.get(Invoice, invoice_id)
        orders = bills.bill_orders(session, invoice) if invoice is not None else []
        if not orders:
            abort(404)
        record_or_404(PurchaseOrder, orders[0].id)  # the buyer's companies
    lines = check.check_bill(session, invoice)
    differences = check.describe(lines)
    acceptance = session.get(Acceptance, invoice.id)
    actor = current_actor()
    may_accept = actor.in_group(check.MANAGER) or actor.in_group(check.ACCOUNTANT)
    return render_template(
        "purchase_accounting/bill_check.html", invoice=invoice, lines=lines, differences=differences,
        acceptance=acceptance, still_accepted=bool(differences) and check.accepted(session, invoice, differences),
        can_accept=may_accept and bool(differences) and invoice.state == DRAFT, orders=orders,
        bill_link=invoice_url(invoice) if can(Invoice, "read") else None,
        problems=(check.OVER_ORDERED, check.OVER_RECEIVED, check.PRICE))


@blueprint.route("/bills/<int:invoice_id>/accept", methods=["POST"])
def bill_accept(invoice_id: int):
    actor = current_actor()
    if not (actor.in_group(check.MANAGER) or actor.in_group(check.ACCOUNTANT)):
        abort(403)  # only purchase managers and accountants accept differences (the service says so too)
    run_service(lambda session: check.accept_differences(session, invoice_id, reason=request.form.get("reason")),
                success=gettext("The differences are accepted: the bill can be posted."))
    return redirect(url_for("purchase_accounting.bill_check", invoice_id=invoice_id))
