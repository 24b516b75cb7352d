"""HR pages beyond the generic views: a contract's Start and End, a leave request's Approve, Refuse (with the
reason) and Cancel, and the team calendar."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from core.web.actions import run_service
from core.web.context import current_actor, db, record_or_404, require
from core.web.panels import RecordButton

from . import leaves, services
from .team_calendar import calendar_month
from .models import DRAFT, HOLDING, RUNNING, SUBMITTED, Contract, Employee, LeaveRequest

#: mounted at /hr with the generic views
blueprint = Blueprint("hr", __name__, static_folder="static", static_url_path="/static")


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


def leave_buttons(session, actor, record) -> list[RecordButton]:
    """Approve and Refuse for who may decide (the service says who); Cancel for the employee."""
    if not isinstance(record, LeaveRequest) or record.state not in HOLDING:
        return []
    buttons = [RecordButton(gettext("Cancel request"), "hr.cancel_leave", (("leave_id", record.id),), sequence=20)]
    if record.state == SUBMITTED and record.employee.user_id != actor.user_id:
        buttons[:0] = [RecordButton(gettext("Approve"), "hr.approve_leave", (("leave_id", record.id),)),
                       RecordButton(gettext("Refuse"), "hr.refuse_leave", (("leave_id", record.id),), sequence=15)]
    return buttons


@blueprint.route("/leaves/<int:leave_id>/approve", methods=["POST"])
def approve_leave(leave_id: int):
    leave = record_or_404(LeaveRequest, leave_id)
    run_service(lambda session: leaves.approve(session, current_actor(), leave), success=gettext("Leave approved."))
    return redirect(url_for("hr.leave_view", record_id=leave_id))


@blueprint.route("/leaves/<int:leave_id>/refuse", methods=["POST"])
def refuse_leave(leave_id: int):
    """The button opens the form asking why; the form refuses."""
    leave = record_or_404(LeaveRequest, leave_id)
    form = RefuseForm()
    if "reason" not in request.form:
        return render_template("hr/refuse.html", leave=leave, form=form)
    if form.validate():
        outcome = run_service(lambda session: leaves.refuse(session, current_actor(), leave,
                                                            reason=form.reason.data), form=form,
                              success=gettext("Leave refused."))
        if outcome.ok:
            return redirect(url_for("hr.leave_view", record_id=leave_id))
    return render_template("hr/refuse.html", leave=leave, form=form), 422


class RefuseForm(FlaskForm):
    reason = TextAreaField(_l("Why is it refused?"), validators=[DataRequired(), Length(max=2000)])


@blueprint.route("/leaves/<int:leave_id>/cancel", methods=["POST"])
def cancel_leave(leave_id: int):
    leave = record_or_404(LeaveRequest, leave_id)
    run_service(lambda session: leaves.cancel(session, current_actor(), leave), success=gettext("Request cancelled."))
    return redirect(url_for("hr.leave_view", record_id=leave_id))


@blueprint.route("/calendar")
def team_calendar():
    """Who is off in a month, among the employees the user may read (their team, or everybody for HR)."""
    require(Employee, "read")
    month = _month(request.args.get("month"))
    grid = calendar_month(db(), month)
    return render_template("hr/calendar.html", grid=grid, month=month,
                           previous=(month - dt.timedelta(days=1)).replace(day=1),
                           following=(month + dt.timedelta(days=32)).replace(day=1))


def _month(raw: str | None) -> dt.date:
    try:
        return dt.datetime.strptime(raw or "", "%Y-%m").date()
    except ValueError:
        return dt.date.today().replace(day=1)


from . import people_pages  # noqa: E402,F401  (the org chart, My profile, My team)
from .reports import web as reports_web  # noqa: E402,F401  (the reports page)
