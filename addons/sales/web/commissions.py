"""The Commissions page: pick a salesperson and a period, read their statement (computed now, or as it was
confirmed), and, as a sales manager, confirm it or cancel a confirmed one. A salesperson only ever gets their
own. Every rule is the services'."""
from __future__ import annotations

import datetime as dt

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext
from sqlalchemy import select

from core.errors import AccessDenied, ValidationError
from core.models import User
from core.web.actions import run_service
from core.web.context import current_actor, db, record_or_404, require, system_session
from core.web.inputs import date_arg, id_arg

from ..models import CommissionPlan, CommissionStatement, team_members
from ..security import MANAGER
from ..services import commissions
from . import blueprint

RECENT = 50


def _asked() -> dict:
    """The salesperson and period in the query string: by default, the user and the current month."""
    actor = current_actor()
    today = dt.date.today()
    first = today.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return {"user_id": id_arg("user_id", User.id) or actor.user_id, "date_from": date_arg("date_from", first),
            "date_to": date_arg("date_to", last)}


def _salespeople(is_manager: bool) -> list[User]:
    """Whom the user may pick: a manager, anyone of the company's sales teams or with a plan; else themselves."""
    actor = current_actor()
    system = system_session()
    if not is_manager:
        return [system.get(User, actor.user_id)]

    members = select(team_members.c.user_id)
    planned = select(CommissionPlan.user_id).where(CommissionPlan.company_id == actor.company_id)
    return list(system.scalars(select(User).where(User.active.is_(True), (User.id.in_(members) | User.id.in_(
        planned) | (User.id == actor.user_id))).order_by(User.name)))


@blueprint.route("/commissions")
def commissions_page():
    require(CommissionStatement, "read")
    actor = current_actor()
    is_manager = actor.in_group(MANAGER)
    asked = _asked()
    session = db()
    preview, error, confirmed = None, None, None
    try:
        confirmed = _confirmed(session, actor, asked)
        if confirmed is None:
            preview = commissions.compute_statement(session, actor.company_id, **asked)
    except AccessDenied:
        abort(403)
    except ValidationError as refused:
        error = str(refused)
    recent = session.scalars(select(CommissionStatement).order_by(CommissionStatement.date_to.desc(),
                                                                  CommissionStatement.id.desc()).limit(RECENT)).all()
    return render_template("sales/commissions.html", asked=asked, salespeople=_salespeople(is_manager),
                           preview=preview, confirmed=confirmed, error=error, recent=recent, is_manager=is_manager)


def _confirmed(session, actor, asked) -> CommissionStatement | None:
    if asked["user_id"] != actor.user_id and not actor.in_group(MANAGER):
        raise AccessDenied(gettext("You can only see your own commission statements."))
    return commissions.statement_of(session, actor.company_id, **asked)


@blueprint.route("/commissions/confirm", methods=["POST"])
def commissions_confirm():
    require(CommissionStatement, "create")
    asked = _asked()
    outcome = run_service(lambda session: commissions.confirm_statement(session, current_actor().company_id,
                                                                         **asked),
                          success=gettext("Commission statement confirmed."))
    if outcome.status == 403:
        abort(403)
    return redirect(url_for("sales.commissions_page", **{key: _query(value) for key, value in asked.items()}))


@blueprint.route("/commissions/<int:commission_id>")
def commission_view(commission_id: int):
    statement = record_or_404(CommissionStatement, commission_id)
    return render_template("sales/commission_statement.html", statement=statement,
                           is_manager=current_actor().in_group(MANAGER))


@blueprint.route("/commissions/<int:commission_id>/cancel", methods=["POST"])
def commission_cancel(commission_id: int):
    require(CommissionStatement, "write")
    statement = record_or_404(CommissionStatement, commission_id)
    outcome = run_service(lambda session: commissions.cancel_statement(session, statement),
                          success=gettext("Commission statement cancelled: the period can be confirmed again."))
    if outcome.status == 403:
        abort(403)
    return redirect(url_for("sales.commission_view", commission_id=commission_id))


def _query(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)
