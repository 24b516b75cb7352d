"""The order's actions (send, confirm, approve, cancel, lock), its PDF, and what its page shows beside the fields."""
from __future__ import annotations

import datetime as dt

from flask import Response, flash, redirect, url_for
from flask_babel import gettext

from core.web.actions import run_service
from core.web.context import can, current_actor, db, record_or_404

from ..models import CANCELLED, DONE, EDITABLE, PURCHASE, TO_APPROVE, PurchaseOrder
from ..security import MANAGER
from ..services import orders, sending
from . import blueprint


def order_page_context(order: PurchaseOrder) -> dict:
    """Which actions this user may take on the order now, and its lines expected before today."""
    writer = can(PurchaseOrder, "write")
    today = dt.date.today()
    return {
        "can_send": writer and order.state not in (CANCELLED, TO_APPROVE) and bool(order.lines),
        "can_confirm": writer and order.state in EDITABLE and bool(order.lines),
        "can_approve": writer and order.state == TO_APPROVE and current_actor().in_group(MANAGER),
        "can_cancel": writer and order.state not in (DONE, CANCELLED),
        "can_lock": writer and order.state == PURCHASE,
        "late_lines": [line for line in order.lines if line.is_late(today)],
        "today": today,
    }


def _order(order_id: int) -> PurchaseOrder:
    return record_or_404(PurchaseOrder, order_id)


def _back(order_id: int):
    return redirect(url_for("purchase.order_view", record_id=order_id))


@blueprint.route("/orders/<int:order_id>/send", methods=["POST"])
def order_send(order_id: int):
    order = _order(order_id)
    outcome = run_service(lambda session: sending.send_order(session, order))
    if outcome.ok:
        flash(gettext("Sent to %(to)s; the mail leaves from the outbox.", to=outcome.result.to), "success")
    return _back(order_id)


@blueprint.route("/orders/<int:order_id>/confirm", methods=["POST"])
def order_confirm(order_id: int):
    order = _order(order_id)
    outcome = run_service(lambda session: orders.confirm_order(session, order))
    if outcome.ok:
        flash(gettext("%(order)s is waiting for a purchase manager's approval.", order=order.display_name)
              if order.state == TO_APPROVE else gettext("%(order)s is confirmed.", order=order.display_name),
              "success")
    return _back(order_id)


@blueprint.route("/orders/<int:order_id>/approve", methods=["POST"])
def order_approve(order_id: int):
    order = _order(order_id)
    run_service(lambda session: orders.approve_order(session, order),
                success=gettext("Approved: the order is confirmed."))
    return _back(order_id)


@blueprint.route("/orders/<int:order_id>/cancel", methods=["POST"])
def order_cancel(order_id: int):
    order = _order(order_id)
    run_service(lambda session: orders.cancel_order(session, order), success=gettext("Cancelled."))
    return _back(order_id)


@blueprint.route("/orders/<int:order_id>/lock", methods=["POST"])
def order_lock(order_id: int):
    order = _order(order_id)
    run_service(lambda session: orders.mark_done(session, order), success=gettext("Locked: nothing more is expected."))
    return _back(order_id)


@blueprint.route("/orders/<int:order_id>/pdf")
def order_pdf(order_id: int):
    from .. import (
        documents,  # WeasyPrint is slow to import: only when a PDF is asked for
    )

    order = _order(order_id)
    return Response(documents.order_pdf(db(), order), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{documents.order_filename(order)}"'})
