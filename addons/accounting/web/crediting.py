"""Crediting chosen lines of an invoice: a quantity to credit per line (up to what is left of it after earlier
credit notes), a reason and a date; the credit note is posted and matched with the invoice
(``services.crediting.credit_lines``)."""
from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, request
from flask_babel import gettext

from core.web.actions import run_service
from core.web.context import db, record_or_404, require

from ..models import Invoice, Move, Reconciliation
from ..services import crediting
from . import blueprint
from .invoices import CreditForm, invoice_url


@blueprint.route("/documents/<int:invoice_id>/credit-lines", methods=["GET", "POST"])
def invoice_credit_lines(invoice_id: int):
    invoice = record_or_404(Invoice, invoice_id)
    require(Move, "create")
    require(Reconciliation, "create")
    form = CreditForm(data={"date": dt.date.today()})
    lines = crediting.creditable_lines(invoice)
    typed = {line.id: request.form.get(f"quantity-{line.id}", "").strip() for line in lines}
    if form.validate_on_submit():
        outcome = run_service(lambda session: crediting.credit_lines(
            session, invoice, quantities={line_id: value for line_id, value in typed.items() if value},
            reason=form.reason.data, date=form.date.data), form=form)
        if outcome.ok:
            flash(gettext("%(invoice)s is credited in part by %(credit)s.", invoice=invoice.display_name,
                          credit=outcome.result.display_name), "success")
            return redirect(invoice_url(record_or_404(Invoice, invoice_id)))
    invoice = record_or_404(Invoice, invoice_id)
    status = 422 if request.method == "POST" else 200
    return render_template("accounting/credit_lines_form.html", form=form, invoice=invoice,
                           lines=crediting.creditable_lines(invoice), typed=typed,
                           left=crediting.uncredited(db(), invoice), back=invoice_url(invoice)), status
