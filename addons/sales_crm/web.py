"""The opportunity's "New quotation" button and its route: the quotation is made by the bridge's service."""
from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_babel import gettext

from addons.crm.models import OPEN, OPPORTUNITY, Lead
from addons.sales.models import SaleOrder
from core.web.actions import run_service
from core.web.context import record_or_404
from core.web.panels import RecordButton

from .services import quote_from_opportunity

blueprint = Blueprint("sales_crm", __name__)  # mounted at /sales_crm (core.web.app)


def quote_buttons(session, actor, record) -> list[RecordButton]:
    """On an open opportunity's page, for users who may make quotations."""
    if not (isinstance(record, Lead) and record.kind == OPPORTUNITY and record.state == OPEN) \
            or not session.info["registry"].can(actor, SaleOrder, "create"):
        return []
    return [RecordButton(gettext("New quotation"), "sales_crm.quote_from_opportunity", (("lead_id", record.id),))]


@blueprint.route("/opportunities/<int:lead_id>/quote", methods=["POST"], endpoint="quote_from_opportunity")
def quote_from_opportunity_view(lead_id: int):
    lead = record_or_404(Lead, lead_id)
    outcome = run_service(lambda session: quote_from_opportunity(session, lead),
                          success=gettext("Quotation made for the opportunity."))
    if outcome.ok:
        return redirect(url_for("sales.order_view", record_id=outcome.result.id))
    return redirect(url_for("crm.opportunity_view", record_id=lead_id))
