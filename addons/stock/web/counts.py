"""An inventory count's page: start it, type what was found, add what was not expected, post it."""
from __future__ import annotations

from flask import redirect, request, url_for
from flask_babel import gettext

from core.web.actions import run_service
from core.web.context import record_or_404
from core.web.inputs import id_arg

from ..models import Count
from ..services import counts as services
from ..services.transfers import product_by_code
from . import blueprint


def _back(count: Count):
    return redirect(url_for("stock.count_view", record_id=count.id))


def _typed() -> dict:
    """line id -> what the form says was counted (empty: not counted)."""
    return {int(key.removeprefix("counted-")): value for key, value in request.form.items()
            if key.startswith("counted-") and key.removeprefix("counted-").isdigit()}


@blueprint.route("/counts/<int:count_id>/start", methods=["POST"])
def start_count(count_id: int):
    count = record_or_404(Count, count_id)
    run_service(lambda session: services.start_count(session, count), success=gettext("Count started."))
    return _back(count)


@blueprint.route("/counts/<int:count_id>/record", methods=["POST"])
def record_count(count_id: int):
    count = record_or_404(Count, count_id)
    posting = request.form.get("post") == "1"

    def action(session):
        services.record_counts(session, count, counted=_typed())
        if posting:
            services.post_count(session, count)

    run_service(action, success=gettext("Posted.") if posting else gettext("Saved."))
    return _back(count)


@blueprint.route("/counts/<int:count_id>/lines", methods=["POST"])
def add_count_line(count_id: int):
    count = record_or_404(Count, count_id)

    def action(session):
        product_id = product_by_code(session, count.company_id, request.form.get("code", ""))
        lot_id = services.found_lot(session, count, product_id=product_id, name=request.form.get("lot"))
        services.add_count_line(session, count, product_id=product_id, location_id=id_arg("location_id"),
                                lot_id=lot_id, counted=request.form.get("counted"))

    run_service(action, success=gettext("Added."))
    return _back(count)
