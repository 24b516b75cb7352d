"""The claim pages beyond the generic views: Submit, Approve, Refuse (with the reason), Reimburse (with the date
and reference) and the employee's own "My expenses" page. The services decide who may do what; the buttons only
show where they would succeed."""
from __future__ import annotations

import datetime as dt

from flask import redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core.web.actions import run_service
from core.web.context import current_actor, db, record_or_404, require
from core.web.forms import within_dates
from core.web.panels import RecordButton
from core.web.pickers import LocaleDateField

from ..approval import approval_refusal
from ..security import OFFICER, my_employee_ids
from ..web import blueprint
from . import services
from .models import APPROVED, CLAIM_STATES, DRAFT, SUBMITTED, TO_REIMBURSE, ExpenseClaim


def expense_buttons(session, actor, record) -> list[RecordButton]:
    if not isinstance(record, ExpenseClaim):
        return []
    args = (("claim_id", record.id),)
    if record.state == DRAFT and record.employee.user_id == actor.user_id:
        return [RecordButton(gettext("Submit"), "hr.submit_expense", args)]
    if record.state == SUBMITTED and approval_refusal(session, actor, record.employee) is None:
        return [RecordButton(gettext("Approve"), "hr.approve_expense", args),
                RecordButton(gettext("Refuse"), "hr.refuse_expense", args, sequence=15)]
    if record.state == APPROVED and actor.in_group(OFFICER) and not services.reimbursed_through_accounting(session):
        return [RecordButton(gettext("Mark reimbursed"), "hr.reimburse_expense", args)]
    return []


def _back(claim_id: int):
    return redirect(url_for("hr.expense_view", record_id=claim_id))


@blueprint.route("/expenses/<int:claim_id>/submit", methods=["POST"])
def submit_expense(claim_id: int):
    claim = record_or_404(ExpenseClaim, claim_id)
    run_service(lambda session: services.submit_claim(session, current_actor(), claim),
                success=gettext("Claim submitted for approval."))
    return _back(claim_id)


@blueprint.route("/expenses/<int:claim_id>/approve", methods=["POST"])
def approve_expense(claim_id: int):
    claim = record_or_404(ExpenseClaim, claim_id)
    run_service(lambda session: services.approve_claim(session, current_actor(), claim),
                success=gettext("Claim approved."))
    return _back(claim_id)


class RefuseForm(FlaskForm):
    reason = TextAreaField(_l("Why is it refused?"), validators=[DataRequired(), Length(max=2000)])


class ReimburseForm(FlaskForm):
    date = LocaleDateField(_l("Reimbursed on"), [InputRequired(), within_dates], default=dt.date.today)
    reference = StringField(_l("Reference of the transfer"), [Optional(), Length(max=60)])


@blueprint.route("/expenses/<int:claim_id>/refuse", methods=["POST"])
def refuse_expense(claim_id: int):
    """The button opens the form asking why; the form refuses."""
    claim = record_or_404(ExpenseClaim, claim_id)
    form = RefuseForm()
    if "reason" not in request.form:
        return _decision_page(claim, form, gettext("Refuse"))
    if form.validate():
        outcome = run_service(lambda session: services.refuse_claim(session, current_actor(), claim,
                                                                    reason=form.reason.data),
                              form=form, success=gettext("Claim refused."))
        if outcome.ok:
            return _back(claim_id)
    return _decision_page(claim, form, gettext("Refuse")), 422


@blueprint.route("/expenses/<int:claim_id>/reimburse", methods=["POST"])
def reimburse_expense(claim_id: int):
    """The button opens the form asking when and with which transfer; the form marks the claim reimbursed."""
    claim = record_or_404(ExpenseClaim, claim_id)
    if "date" not in request.form:  # the button, not the form: show today's date to start from
        return _decision_page(claim, ReimburseForm(formdata=None), gettext("Mark reimbursed"))
    form = ReimburseForm()
    if form.validate():
        outcome = run_service(lambda session: services.mark_reimbursed(
            session, current_actor(), claim, date=form.date.data, reference=form.reference.data),
            form=form, success=gettext("Claim marked reimbursed."))
        if outcome.ok:
            return _back(claim_id)
    return _decision_page(claim, form, gettext("Mark reimbursed")), 422


def _decision_page(claim: ExpenseClaim, form, action: str):
    return render_template("hr/expense_decision.html", claim=claim, form=form, action=action)


@blueprint.route("/my-expenses")
def my_expenses():
    """The user's own claims, newest first, with what the company still owes them."""
    require(ExpenseClaim, "read")
    session = db()
    claims = session.scalars(select(ExpenseClaim).where(ExpenseClaim.employee_id.in_(
        my_employee_ids(current_actor()))).order_by(ExpenseClaim.date.desc(), ExpenseClaim.id.desc())
        .limit(200)).all()
    owed = sum((claim.total for claim in claims if claim.state in TO_REIMBURSE), start=0)
    return render_template("hr/my_expenses.html", claims=claims, owed=owed, states=dict(CLAIM_STATES),
                           currency=claims[0].currency_code if claims else None)
