"""The replenishment page: the list the job made, computed again on demand, and ordering the chosen lines."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.web.actions import run_service
from core.web.context import can, current_actor, db, require
from core.web.forms import display_name
from core.web.inputs import id_args

from ..models import ReplenishmentLine
from ..web import blueprint
from .evaluate import evaluate_rules, order_lines, ordering_available


@blueprint.route("/replenishment")
def replenishment():
    require(ReplenishmentLine, "read")
    session = db()
    lines = session.scalars(select(ReplenishmentLine).options(
        selectinload(ReplenishmentLine.product), selectinload(ReplenishmentLine.warehouse))
        .order_by(ReplenishmentLine.date_needed, ReplenishmentLine.id)).all()
    return render_template("stock/replenishment.html", lines=lines, can_run=can(ReplenishmentLine, "create"),
                           can_order=ordering_available(session) and can(ReplenishmentLine, "delete"))


@blueprint.route("/replenishment/compute", methods=["POST"])
def replenishment_compute():
    require(ReplenishmentLine, "create")
    run_service(lambda session: evaluate_rules(session, company_ids=[current_actor().company_id]),
                success=gettext("The replenishment list is up to date."))
    return redirect(url_for("stock.replenishment"))


@blueprint.route("/replenishment/order", methods=["POST"])
def replenishment_order():
    require(ReplenishmentLine, "delete")
    outcome = run_service(lambda session: order_lines(session, line_ids=id_args("line_ids", ReplenishmentLine.id)))
    if outcome.ok:
        flash(gettext("Created: %(records)s.", records=", ".join(display_name(record) for record in outcome.result))
              if outcome.result else gettext("Nothing was created."), "success")
    return redirect(url_for("stock.replenishment"))
