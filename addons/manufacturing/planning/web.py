"""The planning pages: the requirements run and its proposals (confirm or discard the chosen ones, or confirm
all), the work-centre load and the production dashboard."""
from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from core.web.actions import run_service
from core.web.charts import series_chart
from core.web.context import can, current_actor, db, require
from core.web.forms import display_name
from core.web.inputs import date_arg, id_args

from ..models import STATES, Production, WorkCentre
from ..web import blueprint
from .models import PROPOSED, PlanningState, Proposal
from .proposals import buying_available, confirm_proposals, discard_proposals, open_ids
from .reports import dashboard, workcentre_load
from .requirements import run_requirements

SHOWN = 500
LOAD_DAYS = 14


@blueprint.route("/planning")
def planning():
    require(Proposal, "read")
    session, company_id = db(), current_actor().company_id
    query = select(Proposal).where(Proposal.company_id == company_id, Proposal.state == PROPOSED)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    proposals = session.scalars(query.options(selectinload(Proposal.product)).order_by(
        Proposal.date_start, Proposal.level, Proposal.id).limit(SHOWN)).all()
    state = session.scalars(select(PlanningState).where(PlanningState.company_id == company_id)).first()
    return render_template("manufacturing/planning.html", proposals=proposals, total=total, shown=SHOWN,
                           state=state, today=dt.date.today(), can_run=can(Proposal, "create"),
                           can_buy=buying_available(session))


@blueprint.route("/planning/run", methods=["POST"])
def planning_run():
    require(Proposal, "create")
    outcome = run_service(lambda session: run_requirements(session, current_actor().company_id))
    if outcome.ok:
        flash(gettext("Requirements computed: %(demands)s demands, %(proposals)s proposals.",
                      demands=outcome.result.demands, proposals=outcome.result.proposals), "success")
    return redirect(url_for("manufacturing.planning"))


@blueprint.route("/planning/confirm", methods=["POST"])
def planning_confirm():
    require(Proposal, "write")
    company_id = current_actor().company_id
    outcome = run_service(lambda session: confirm_proposals(session, proposal_ids=(
        open_ids(session, company_id) if request.form.get("all") == "1" else id_args("proposal_ids", Proposal.id))))
    if outcome.ok:
        flash(gettext("Created: %(records)s.", records=", ".join(_named(record) for record in outcome.result))
              if outcome.result else gettext("Nothing was created."), "success")
    return redirect(url_for("manufacturing.planning"))


def _named(record) -> str:
    """A created record as the message names it (a draft production order has no reference yet)."""
    if isinstance(record, Production) and not record.name:
        return gettext("a draft production order of %(quantity)s %(product)s", product=record.product.display_name,
                       quantity=f"{record.quantity.normalize():f}")
    return display_name(record)


@blueprint.route("/planning/discard", methods=["POST"])
def planning_discard():
    require(Proposal, "write")
    outcome = run_service(lambda session: discard_proposals(
        session, proposal_ids=id_args("proposal_ids", Proposal.id)))
    if outcome.ok:
        flash(ngettext("%(num)s proposal discarded.", "%(num)s proposals discarded.", outcome.result), "success")
    return redirect(url_for("manufacturing.planning"))


@blueprint.route("/load")
def load():
    require(WorkCentre, "read")
    require(Production, "read")
    today = dt.date.today()
    start = date_arg("start", today)
    days = [start + dt.timedelta(days=n) for n in range(LOAD_DAYS)]
    return render_template("manufacturing/load.html", rows=workcentre_load(db(), start=start, days=LOAD_DAYS,
                                                                           today=today),
                           days=days, start=start, step=dt.timedelta(days=LOAD_DAYS))


@blueprint.route("/dashboard")
def production_dashboard():
    require(Production, "read")
    figures = dashboard(db(), today=dt.date.today())
    labels = dict(STATES)
    states = [state for state, _label in STATES if figures.by_state.get(state)]
    charts = {
        "states": series_chart("bar", [str(labels[state]) for state in states],
                               {gettext("Production orders"): [figures.by_state[state] for state in states]}),
        "produced": series_chart("line", list(figures.produced), {gettext("Quantity produced"):
                                                                  list(figures.produced.values())}),
        "costs": series_chart("bar", [order.display_name for order, _planned, _actual in figures.costs],
                              {gettext("Planned cost"): [planned for _order, planned, _actual in figures.costs],
                               gettext("Actual cost"): [actual for _order, _planned, actual in figures.costs]}),
    }
    return render_template("manufacturing/dashboard.html", figures=figures, charts=charts, today=dt.date.today())
