"""A product's "Recompute cost" button, for stock managers: it replays the product's moves and says what changed."""
from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext, ngettext

from addons.products.models import Product
from core.web.actions import run_service
from core.web.context import record_or_404
from core.web.panels import RecordButton

from ..models import ValuationState
from ..services.rules import number
from ..valuation.services import CostChange, recompute_cost
from . import blueprint

#: the changes listed in the message, the rest counted
LISTED = 10


def recompute_buttons(session, actor, record) -> list[RecordButton]:
    """The button on a product's page, for users who may keep the valuation (stock managers)."""
    if not isinstance(record, Product) or not session.info["registry"].can(actor, ValuationState, "write"):
        return []
    return [RecordButton(gettext("Recompute cost"), "stock.recompute_product_cost", (("product_id", record.id),))]


@blueprint.route("/products/<int:product_id>/recompute-cost", methods=["POST"])
def recompute_product_cost(product_id: int):
    product = record_or_404(Product, product_id)
    outcome = run_service(lambda session: recompute_cost(session, product))
    if outcome.ok:
        flash(summary(outcome.result), "success")
    return redirect(url_for("products.product_view", record_id=product_id))


def summary(changes: list[CostChange]) -> str:
    """What the recompute changed, for people: the moves whose unit cost changed, old -> new."""
    if not changes:
        return gettext("Cost recomputed: no move's unit cost changed.")
    lines = [gettext("move %(move)s: %(old)s → %(new)s", move=change.move_id,
                     old="—" if change.old is None else number(change.old), new=number(change.new)) for change in changes[:LISTED]]
    if len(changes) > LISTED:
        lines.append(gettext("and %(count)s more", count=len(changes) - LISTED))
    return ngettext("Cost recomputed: %(num)s move changed: %(moves)s.",
                    "Cost recomputed: %(num)s moves changed: %(moves)s.", len(changes), moves="; ".join(lines))
