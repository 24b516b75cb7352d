"""A production order's buttons: confirm, produce (a quantity, or all that is left), scrap, cancel."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import Blueprint, redirect, request, url_for
from flask_babel import gettext

from core.errors import ValidationError
from core.web.actions import run_service
from core.web.context import record_or_404

from .models import Production
from .services import production as services

#: mounted at /manufacturing with the generic views (core.web.app)
blueprint = Blueprint("manufacturing", __name__)


def _decimal(name: str) -> Decimal:
    raw = (request.form.get(name) or "").strip().replace(",", ".")
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise ValidationError(gettext("Give the quantity as a number."), name) from None


def _product_id(name: str) -> int:
    try:
        return int(request.form.get(name, ""))
    except ValueError:
        raise ValidationError(gettext("Choose a component."), name) from None


def _act(production_id: int, action, success: str):
    """Run ``action(session, production)`` on an order the user may see, then go back to its page."""
    production = record_or_404(Production, production_id)
    run_service(lambda session: action(session, production), success=success)
    return redirect(url_for("manufacturing.production_view", record_id=production.id))


@blueprint.route("/productions/<int:production_id>/confirm", methods=["POST"])
def confirm(production_id: int):
    return _act(production_id, services.confirm_production, gettext("Confirmed: the components are reserved."))


@blueprint.route("/productions/<int:production_id>/produce", methods=["POST"])
def produce(production_id: int):
    def action(session, production):
        extra = []
        if request.form.get("extra_product_id"):
            extra = [{"product_id": _product_id("extra_product_id"), "quantity": _decimal("extra_quantity")}]
        services.produce(session, production, quantity=_decimal("quantity"), extra=extra,
                         close=request.form.get("close") == "1")

    return _act(production_id, action, gettext("Produced."))


@blueprint.route("/productions/<int:production_id>/scrap", methods=["POST"])
def scrap(production_id: int):
    def action(session, production):
        services.scrap(session, production, product_id=_product_id("product_id"), quantity=_decimal("quantity"))

    return _act(production_id, action, gettext("Scrapped."))


@blueprint.route("/productions/<int:production_id>/cancel", methods=["POST"])
def cancel(production_id: int):
    return _act(production_id, services.cancel_production, gettext("Cancelled."))
