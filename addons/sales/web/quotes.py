"""The quotation's actions (send by email, mark sent, confirm, revise), its PDF, and what its page shows
beside the fields (the mails sent, the customer's answer; cancelling and invoicing: :mod:`.invoicing`)."""
from __future__ import annotations

from flask import Response, current_app, flash, redirect, request, url_for
from flask_babel import gettext

from core.web.actions import run_service
from core.web.context import can, current_registry, db, record_or_404, state, system_session

from ..models import (
    CANCELLED,
    CONFIRMED,
    DECLINED,
    DRAFT,
    EDITABLE,
    REVISED,
    SaleOrder,
)
from ..services import acceptance, quotes, sending
from . import blueprint
from .approvals import approval_context


def quote_page_context(order: SaleOrder) -> dict:
    """Which actions this user may take on the quotation now, its other revisions, what bridges note under its
    lines (``sales_line_notes``), and its invoicing."""
    from .invoicing import invoicing_context

    writer = can(SaleOrder, "write")
    priced = any(line.is_priced and not line.optional for line in order.lines)
    return {
        **invoicing_context(order),
        "can_send": writer and order.state == DRAFT and priced,
        "can_email": writer and order.state in EDITABLE and priced,
        "can_confirm": writer and order.state in EDITABLE and priced,
        "can_revise": writer and order.state in quotes.REVISABLE,
        "can_cancel": writer and order.state not in (CANCELLED, REVISED, DECLINED),
        "revisions": [found for found in quotes.revisions(db(), order) if found.id != order.id],
        "line_notes": _line_notes(order),
        **approval_context(order),
        "mails": sending.mails_of(system_session(), order),
    }


def _line_notes(order: SaleOrder) -> dict[int, list]:
    """line id -> the notes bridges give it, in the order they came."""
    notes: dict[int, list] = {}
    for found in current_registry().hook.sales_line_notes(session=db(), order=order):
        for note in found or ():
            notes.setdefault(note.line_id, []).append(note)
    return notes


def order_or_404(quote_id: int) -> SaleOrder:
    return record_or_404(SaleOrder, quote_id)


def back_to_order(quote_id: int):
    return redirect(url_for("sales.order_view", record_id=quote_id))


@blueprint.route("/orders/<int:quote_id>/send", methods=["POST"])
def order_send(quote_id: int):
    order = order_or_404(quote_id)
    run_service(lambda session: quotes.mark_sent(session, order),
                success=gettext("Marked as sent: the quotation is numbered."))
    return back_to_order(quote_id)


@blueprint.route("/orders/<int:quote_id>/email", methods=["POST"])
def order_email(quote_id: int):
    order = order_or_404(quote_id)
    link = public_link(order)
    outcome = run_service(lambda session: sending.send_quote(session, order, link=link,
                                                             to=request.form.get("to", "").strip() or None))
    if outcome.ok:
        flash(gettext("Sent to %(to)s; the mail leaves from the outbox.", to=outcome.result.to), "success")
    return back_to_order(quote_id)


def public_link(order: SaleOrder) -> str:
    """The address of the quotation's public page, from ``[server] public_url`` (as every link in a mail)."""
    token = acceptance.make_token(current_app.config["SECRET_KEY"], order)
    return state().config.get("server", "public_url").rstrip("/") + url_for("sales.public_quote", token=token)


@blueprint.route("/orders/<int:quote_id>/confirm", methods=["POST"])
def order_confirm(quote_id: int):
    order = order_or_404(quote_id)
    outcome = run_service(lambda session: quotes.confirm_quote(session, order))
    if outcome.ok and order.state == CONFIRMED:
        flash(gettext("%(order)s is a sales order now.", order=order.display_name), "success")
    return back_to_order(quote_id)


@blueprint.route("/orders/<int:quote_id>/revise", methods=["POST"])
def order_revise(quote_id: int):
    order = order_or_404(quote_id)
    outcome = run_service(lambda session: quotes.revise_quote(session, order))
    if outcome.ok:
        flash(gettext("%(order)s is the new revision; the previous one is kept, read-only.",
                      order=outcome.result.display_name), "success")
        return back_to_order(outcome.result.id)
    return back_to_order(quote_id)


@blueprint.route("/orders/<int:quote_id>/pdf")
def order_pdf(quote_id: int):
    from .. import (
        documents,  # WeasyPrint is slow to import: only when a PDF is asked for
    )

    order = order_or_404(quote_id)
    return Response(documents.quote_pdf(db(), order), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{documents.quote_filename(order)}"'})
