"""The company's sales settings page, and the approval of quotations: what the quotation's page shows about its
margin and its customer's credit, and the request, approve and refuse actions. Every rule is the services'."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext

from core.fields import fields_of
from core.web.actions import run_service
from core.web.context import can, current_actor, db, record_or_404, require
from core.web.forms import ModelForm, form_field, form_values

from ..models import APPROVAL, CONFIRMED, EDITABLE, PENDING, REFUSED, SaleApproval, SaleOrder, SalesSettings
from ..security import MANAGER
from ..services import approvals, settings
from ..services.approvals import CREDIT
from ..services.credit import credit_check
from . import blueprint


def approval_context(order: SaleOrder) -> dict:
    """The quotation's margin and credit concerns, its latest approval request, and what this user may do."""
    if order.state not in (*EDITABLE, CONFIRMED):
        return {"concerns": [], "credit": None, "approval": None}
    session = db()
    credit = credit_check(session, order)
    editable = order.state in EDITABLE
    # an order keeps showing its customer's credit; the margin was for deciding whether to confirm
    concerns = [concern for concern in approvals.concerns(session, order) if editable or concern.kind == CREDIT]
    approval = approvals.latest_approval(order)
    current = approval is not None and approvals.is_current(approval, order)
    needing = [concern for concern in concerns if concern.policy == APPROVAL]
    covered = current and approval.state != REFUSED and approvals.covers_kinds(approval, needing)
    return {
        "checks_title": gettext("Checks before confirming") if editable else gettext("Customer's credit"),
        "concerns": concerns,
        "credit": credit if credit.problem else None,
        "approval": approval,
        "approval_current": current,
        "can_request": editable and bool(needing) and not covered and can(SaleOrder, "write"),
        "can_decide": (editable and approval is not None and approval.state == PENDING and current
                       and current_actor().in_group(MANAGER)),
    }


@blueprint.route("/orders/<int:quote_id>/request-approval", methods=["POST"])
def order_request_approval(quote_id: int):
    order = record_or_404(SaleOrder, quote_id)
    run_service(lambda session: approvals.request_approval(session, order),
                success=gettext("Approval requested: a sales manager will approve or refuse the quotation."))
    return redirect(url_for("sales.order_view", record_id=quote_id))


@blueprint.route("/approvals/<int:approval_id>/approve", methods=["POST"])
def approval_approve(approval_id: int):
    approval = record_or_404(SaleApproval, approval_id)
    run_service(lambda session: approvals.approve(session, approval),
                success=gettext("Approved: the quotation can be confirmed."))
    return redirect(url_for("sales.order_view", record_id=approval.order_id))


@blueprint.route("/approvals/<int:approval_id>/refuse", methods=["POST"])
def approval_refuse(approval_id: int):
    approval = record_or_404(SaleApproval, approval_id)
    run_service(lambda session: approvals.refuse(session, approval, reason=request.form.get("reason")),
                success=gettext("Refused: the salesperson sees your reason on the quotation."))
    return redirect(url_for("sales.order_view", record_id=approval.order_id))


def _settings_form_class(session, record):
    fields = fields_of(SalesSettings)
    attributes = {name: form_field(fields[name], session, record) for name in settings.FIELDS}
    return type("SalesSettingsForm", (ModelForm,), {**attributes, "session": session})


@blueprint.route("/settings", methods=["GET", "POST"])
def settings_page():
    require(SalesSettings, "write")
    session, company_id = db(), current_actor().company_id
    current = settings.sales_settings(session, company_id)
    form = _settings_form_class(session, current)(obj=current)
    if request.method == "POST" and form.validate():
        outcome = run_service(lambda session: settings.update_settings(session, company_id, **form_values(form)),
                              form=form, success=gettext("Sales settings saved."))
        if outcome.ok:
            return redirect(url_for("sales.settings_page"))
    return render_template("sales/settings.html", form=form), 422 if form.errors or form.form_errors else 200
