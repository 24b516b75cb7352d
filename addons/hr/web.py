"""A contract's Start and End buttons, for HR officers; the generic views do the rest."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, redirect, url_for
from flask_babel import gettext

from core.web.actions import run_service
from core.web.context import record_or_404
from core.web.panels import RecordButton

from . import services
from .models import DRAFT, RUNNING, Contract

#: mounted at /hr with the generic views
blueprint = Blueprint("hr", __name__)


def contract_buttons(session, actor, record) -> list[RecordButton]:
    if not isinstance(record, Contract) or not session.info["registry"].can(actor, Contract, "write"):
        return []
    if record.state == DRAFT:
        return [RecordButton(gettext("Start"), "hr.start_contract", (("contract_id", record.id),))]
    if record.state == RUNNING:
        return [RecordButton(gettext("End"), "hr.end_contract", (("contract_id", record.id),))]
    return []


@blueprint.route("/contracts/<int:contract_id>/start", methods=["POST"])
def start_contract(contract_id: int):
    contract = record_or_404(Contract, contract_id)
    run_service(lambda session: services.start_contract(session, contract), success=gettext("Contract started."))
    return redirect(url_for("hr.contract_view", record_id=contract_id))


@blueprint.route("/contracts/<int:contract_id>/end", methods=["POST"])
def end_contract(contract_id: int):
    """End on the contract's end date when it has one, else today."""
    contract = record_or_404(Contract, contract_id)
    run_service(lambda session: services.end_contract(session, contract, on=contract.date_end or dt.date.today()),
                success=gettext("Contract ended."))
    return redirect(url_for("hr.contract_view", record_id=contract_id))
