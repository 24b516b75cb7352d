"""A transfer's buttons (confirm, reserve, process, cancel, return), its products, and its scanning page."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext

from core.errors import ValidationError
from core.web.actions import run_service
from core.web.context import can, record_or_404
from core.web.inputs import id_arg

from ..models import StockMove, Transfer
from ..services import transfers as services
from . import blueprint


def _quantity(name: str, default: str | None = None) -> Decimal:
    raw = (request.form.get(name) or default or "").strip().replace(",", ".")
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise ValidationError(gettext("Give the quantity as a number."), name) from None


def _back(transfer: Transfer):
    if request.form.get("next") == "scan":
        return redirect(url_for("stock.scan", transfer_id=transfer.id))
    return redirect(url_for("stock.transfer_view", record_id=transfer.id))


def _act(transfer_id: int, action, success: str):
    """Run ``action(session, transfer)`` on a transfer the user may see, then go back to it."""
    transfer = record_or_404(Transfer, transfer_id)
    run_service(lambda session: action(session, transfer), success=success)
    return _back(transfer)


@blueprint.route("/transfers/<int:transfer_id>/confirm", methods=["POST"])
def confirm(transfer_id: int):
    return _act(transfer_id, services.confirm_transfer, gettext("Confirmed."))


@blueprint.route("/transfers/<int:transfer_id>/reserve", methods=["POST"])
def reserve(transfer_id: int):
    return _act(transfer_id, services.reserve_transfer, gettext("Reserved what is in stock."))


@blueprint.route("/transfers/<int:transfer_id>/unreserve", methods=["POST"])
def unreserve(transfer_id: int):
    return _act(transfer_id, services.unreserve_transfer, gettext("Reservation given back."))


@blueprint.route("/transfers/<int:transfer_id>/cancel", methods=["POST"])
def cancel(transfer_id: int):
    return _act(transfer_id, services.cancel_transfer, gettext("Cancelled."))


@blueprint.route("/transfers/<int:transfer_id>/process", methods=["POST"])
def process(transfer_id: int):
    transfer = record_or_404(Transfer, transfer_id)
    outcome = run_service(lambda session: services.process_transfer(
        session, transfer, backorder=request.form.get("backorder", "1") == "1"))
    if not outcome.ok:
        return _back(transfer)
    backorder, warnings = outcome.result
    for warning in warnings:
        flash(warning, "warning")
    if backorder is not None:
        flash(gettext("Done; the rest waits in backorder %(name)s.", name=backorder.name), "success")
        return redirect(url_for("stock.transfer_view", record_id=backorder.id))
    flash(gettext("Done."), "success")
    return redirect(url_for("stock.transfer_view", record_id=transfer.id))


@blueprint.route("/transfers/<int:transfer_id>/return", methods=["POST"])
def return_(transfer_id: int):
    transfer = record_or_404(Transfer, transfer_id)
    outcome = run_service(lambda session: services.return_transfer(session, transfer),
                          success=gettext("Return created."))
    target = outcome.result if outcome.ok else transfer
    return redirect(url_for("stock.transfer_view", record_id=target.id))


@blueprint.route("/transfers/<int:transfer_id>/moves", methods=["POST"])
def add_move(transfer_id: int):
    def action(session, transfer):
        services.add_by_code(session, transfer, request.form.get("code", ""), quantity=_quantity("quantity"),
                             uom_id=id_arg("uom_id"), lot_name=request.form.get("lot_name"))

    return _act(transfer_id, action, gettext("Added."))


@blueprint.route("/transfers/<int:transfer_id>/scan", methods=["GET", "POST"])
def scan(transfer_id: int):
    transfer = record_or_404(Transfer, transfer_id)
    if request.method == "POST":
        run_service(lambda session: services.scan(session, transfer, request.form.get("code", ""),
                                                  quantity=_quantity("quantity", "1")))
        return redirect(url_for("stock.scan", transfer_id=transfer.id))
    return render_template("stock/scan.html", transfer=transfer, can_process=can(StockMove, "write"))


@blueprint.route("/moves/<int:move_id>/done", methods=["POST"])
def move_done(move_id: int):
    move = record_or_404(StockMove, move_id)
    run_service(lambda session: services.set_quantity_done(session, move, quantity=_quantity("quantity")))
    return _back(move.transfer)
