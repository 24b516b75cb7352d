"""Manual reconciliation: pick a partner's open items on a receivable or payable account and match them."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select

from addons.contacts.models import Partner
from core.web.actions import run_service
from core.web.context import current_actor, db, record_or_404, require
from core.web.inputs import id_arg, id_args

from ..models import Account, Invoice, MoveLine, Reconciliation
from ..services import reconcile as service
from . import blueprint
from .invoices import invoice_url

PARTNERS_SHOWN = 200


@blueprint.route("/reconcile")
def reconcile_page():
    require(Reconciliation, "create")
    session = db()
    partner_id = id_arg("partner_id", Partner.id)
    account_id = id_arg("account_id", Account.id)
    lines, left = [], {}
    if partner_id and account_id:
        record_or_404(Partner, partner_id)
        record_or_404(Account, account_id)
        lines = service.open_lines(session, current_actor().company_id, account_id=account_id, partner_id=partner_id)
        left = service.residuals(session, lines)
    groups = service.open_by_partner(session, current_actor().company_id, limit=PARTNERS_SHOWN)
    return render_template("accounting/reconcile.html", groups=groups, lines=lines, left=left,
                           partner_id=partner_id, account_id=account_id)


@blueprint.route("/reconcile", methods=["POST"])
def reconcile_lines():
    require(Reconciliation, "create")
    session = db()
    ids = id_args("line_id", MoveLine.id)
    back = url_for("accounting.reconcile_page", partner_id=id_arg("partner_id", Partner.id),
                   account_id=id_arg("account_id", Account.id))  # every input is read before anything changes
    lines = session.scalars(select(MoveLine).where(MoveLine.id.in_(ids))).all() if ids else []
    writeoff = request.form.get("writeoff") == "1"
    run_service(lambda session: service.reconcile(session, lines, writeoff=writeoff), success=gettext("Matched."))
    return redirect(back)


@blueprint.route("/documents/<int:invoice_id>/unreconcile", methods=["POST"])
def reconcile_undo(invoice_id: int):
    """Undo every match of an invoice's receivable or payable items: it is open again."""
    require(Reconciliation, "delete")
    invoice = record_or_404(Invoice, invoice_id)
    run_service(lambda session: service.unreconcile(session, service.invoice_lines(session, [invoice])),
                success=gettext("The matches of this invoice are undone; it is open again."))
    return redirect(invoice_url(invoice))
