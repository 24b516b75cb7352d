"""The claim page's accounting buttons: Post (an approved claim) and Reimburse (a posted one, by payment)."""
from __future__ import annotations

import datetime as dt

from flask import redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from addons.accounting.models import Journal, Move
from addons.accounting.models.ledger import BANK, CASH
from addons.hr.expenses.models import APPROVED, POSTED, ExpenseClaim
from core.web.actions import run_service
from core.web.context import db, record_or_404
from core.web.forms import select_choices, within_dates
from core.web.panels import RecordButton
from core.web.pickers import LocaleDateField

from . import expenses
from .web import blueprint



def expense_buttons(session, actor, record) -> list[RecordButton]:
    registry = session.info["registry"]
    if not isinstance(record, ExpenseClaim) or not registry.can(actor, Move, "create") \
            or not registry.can(actor, ExpenseClaim, "write"):
        return []
    args = (("claim_id", record.id),)
    if record.state == APPROVED:
        return [RecordButton(gettext("Post to accounting"), "hr_accounting.post_expense", args)]
    if record.state == POSTED:
        return [RecordButton(gettext("Register reimbursement"), "hr_accounting.pay_expense", args)]
    return []


@blueprint.route("/expenses/<int:claim_id>/post", methods=["POST"])
def post_expense(claim_id: int):
    claim = record_or_404(ExpenseClaim, claim_id)
    run_service(lambda session: expenses.post_claim(session, claim), success=gettext("Claim posted."))
    return redirect(url_for("hr.expense_view", record_id=claim_id))


class PayForm(FlaskForm):
    date = LocaleDateField(_l("Paid on"), [InputRequired(), within_dates], default=dt.date.today)
    journal_id = SelectField(_l("Paid from"), coerce=int)
    reference = StringField(_l("Reference of the transfer"), [Optional(), Length(max=60)])


@blueprint.route("/expenses/<int:claim_id>/pay", methods=["POST"])
def pay_expense(claim_id: int):
    """The button opens the form asking when and from which journal; the form pays the claim back."""
    claim = record_or_404(ExpenseClaim, claim_id)
    opening = "date" not in request.form  # the button, not the form: show the defaults (today, the first bank)
    form = PayForm(formdata=None) if opening else PayForm()
    form.journal_id.choices = select_choices((journal.id, journal.display_name) for journal in db().scalars(
        select(Journal).where(Journal.company_id == claim.company_id, Journal.kind.in_((BANK, CASH)),
                              Journal.active.is_(True)).order_by(Journal.id)))
    if opening:
        return render_template("hr_accounting/pay_expense.html", claim=claim, form=form)
    if form.validate():
        outcome = run_service(lambda session: expenses.reimburse_claim(
            session, claim, date=form.date.data, journal=session.get(Journal, form.journal_id.data),
            reference=form.reference.data or None), form=form, success=gettext("Reimbursement registered."))
        if outcome.ok:
            return redirect(url_for("hr.expense_view", record_id=claim_id))
    return render_template("hr_accounting/pay_expense.html", claim=claim, form=form), 422
