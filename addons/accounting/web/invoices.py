"""Invoice actions (post, credit note, payment, PDF, e-invoices) and the invoice's JSON."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import inspect, select
from wtforms import BooleanField, DecimalField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from core import bounds
from core.errors import ValidationError
from core.web.actions import run_service
from core.web.context import can, current_actor, db, record_or_404, require
from core.web.forms import select_choices, within_dates
from core.web.inputs import accepts_json, id_arg, json_object
from core.web.i18n import money
from core.web.pickers import LocaleDateField

from ..documents.facturae import invoice_facturae
from ..documents.fatturapa import invoice_fatturapa
from ..documents.ubl import invoice_ubl
from ..models import Invoice, InvoiceLine, Journal, Move, Payment, Reconciliation
from ..models.invoicing import CREDITED, DRAFT, IN_INVOICE, IN_REFUND, OUT_INVOICE, OUT_REFUND, POSTED, SETTLED
from ..services import crediting, invoice_batches, invoices, payments
from . import blueprint
from .common import money_journals
from .invoice_form import save

VIEW_OF_KIND = {OUT_INVOICE: "invoice", OUT_REFUND: "credit_note", IN_INVOICE: "bill", IN_REFUND: "refund"}


def invoice_url(invoice: Invoice, action: str = "view", **kwargs) -> str:
    return url_for(f"accounting.{VIEW_OF_KIND[invoice.kind]}_{action}", record_id=invoice.id, **kwargs)


def invoice_page_context(invoice: Invoice) -> dict:
    """What the invoice page shows beside the fields: which actions this user may take now."""
    posted = invoice.state == POSTED
    session = db()
    credit_notes = crediting.credit_notes_of(session, invoice) if posted and not invoice.is_refund else []
    return {
        "payments": payments.payments_of(session, [invoice]) if posted and can(Payment, "read") else [],
        "can_cancel_payment": can(Payment, "write") and can(Move, "create"),
        "can_unreconcile": posted and invoice.residual != invoice.amount_total and can(Reconciliation, "delete"),
        "can_post": invoice.state == DRAFT and can(Move, "create"),
        "can_credit": (posted and not invoice.is_refund and invoice.payment_state != CREDITED
                       and can(Invoice, "create") and can(Move, "create")),
        "can_credit_in_full": bool(posted and not invoice.is_refund and not credit_notes and invoice.amount_total
                               and invoice.residual == invoice.amount_total and can(Move, "create")
                               and can(Reconciliation, "create")),
        "can_credit_lines": bool(posted and not invoice.is_refund and invoice.payment_state != CREDITED
                                 and crediting.creditable_lines(invoice) and can(Move, "create")
                                 and can(Reconciliation, "create")),
        "credit_notes": credit_notes,
        "can_pay": posted and invoice.payment_state not in SETTLED and can(Payment, "create"),
        "can_print": posted,
        "can_einvoice": posted and invoice.is_customer,
    }


@blueprint.route("/payments/<int:payment_id>/cancel", methods=["POST"])
def payment_cancel(payment_id: int):
    """Cancel a payment: its entry is reversed and what it paid is open again."""
    payment = record_or_404(Payment, payment_id)
    target = id_arg("invoice_id", Invoice.id)  # read before acting: a bad one changes nothing
    run_service(lambda session: payments.cancel_payment(session, payment),
                success=gettext("The payment is cancelled: its entry is reversed."))
    return redirect(invoice_url(_invoice(target)) if target else url_for(
        "accounting.payment_in_view" if payment.kind == "inbound" else "accounting.payment_out_view",
        record_id=payment_id))


def _invoice(invoice_id: int) -> Invoice:
    return record_or_404(Invoice, invoice_id)


@blueprint.route("/documents/<int:invoice_id>/post", methods=["POST"])
def invoice_post(invoice_id: int):
    invoice = _invoice(invoice_id)
    if run_service(lambda session: invoices.post_invoice(session, invoice)).ok:
        flash(gettext("Posted as %(number)s.", number=invoice.number), "success")
    return redirect(invoice_url(_invoice(invoice_id)))


#: Drafts posted by one click of "Post the drafts" (the oldest first); another click posts the next ones.
DRAFTS_PER_CLICK = 500


@blueprint.route("/documents/<kind>/post-drafts", methods=["POST"])
def invoices_post_drafts(kind: str):
    """Post this kind's drafts that the user sees, in one batch: all of them, or none and the reason."""
    require(Move, "create")
    if kind not in VIEW_OF_KIND:
        abort(404)
    session = db()
    drafts = session.scalars(select(Invoice).where(Invoice.kind == kind, Invoice.state == DRAFT)
                             .order_by(Invoice.date, Invoice.id).limit(DRAFTS_PER_CLICK)).all()
    if not drafts:
        flash(gettext("There are no drafts to post."), "info")
    else:
        run_service(lambda session: invoice_batches.post_invoices(session, drafts),
                    success=ngettext("%(num)s draft posted.", "%(num)s drafts posted.", len(drafts)))
    return redirect(url_for(f"accounting.{VIEW_OF_KIND[kind]}_list"))


@blueprint.route("/documents/<int:invoice_id>/credit-note", methods=["POST"])
def invoice_credit(invoice_id: int):
    invoice = _invoice(invoice_id)
    outcome = run_service(lambda session: invoices.create_credit_note(session, invoice),
                          success=gettext("Draft credit note created: check it, then post it."))
    return redirect(invoice_url(outcome.result if outcome.ok else _invoice(invoice_id)))


class CreditForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), [InputRequired(), Length(max=2000)])
    date = LocaleDateField(_l("Date of the credit note"), [InputRequired(), within_dates])


@blueprint.route("/documents/<int:invoice_id>/credit", methods=["GET", "POST"])
def invoice_credit_in_full(invoice_id: int):
    """Credit the invoice in one step: its credit note, posted and matched with it (``services.crediting``)."""
    invoice = _invoice(invoice_id)
    require(Move, "create")
    form = CreditForm(data={"date": dt.date.today()})
    if form.validate_on_submit():
        outcome = run_service(lambda session: crediting.credit_invoice(session, invoice, reason=form.reason.data,
                                                                       date=form.date.data), form=form)
        if outcome.ok:
            flash(gettext("%(invoice)s is credited by %(credit)s.", invoice=invoice.display_name,
                          credit=outcome.result.display_name), "success")
            return redirect(invoice_url(_invoice(invoice_id)))
    status = 422 if request.method == "POST" else 200
    return render_template("accounting/credit_form.html", form=form, invoice=_invoice(invoice_id),
                           back=invoice_url(invoice)), status


class PaymentForm(FlaskForm):
    amount = DecimalField(_l("Amount"), [InputRequired(), NumberRange(min=Decimal("0.01"), max=Decimal(10) ** 12)])
    date = LocaleDateField(_l("Date"), [InputRequired(), within_dates])
    journal_id = SelectField(_l("Journal"), coerce=int, validators=[InputRequired()])
    writeoff = BooleanField(_l("Write off the difference"))


@blueprint.route("/documents/<int:invoice_id>/payment", methods=["GET", "POST"])
def invoice_payment(invoice_id: int):
    invoice = _invoice(invoice_id)
    require(Payment, "create")
    session = db()
    journals = money_journals(session)
    form = PaymentForm(data={"amount": invoice.residual, "date": dt.date.today()})
    form.journal_id.choices = select_choices((j.id, j.display_name) for j in journals)
    if form.validate_on_submit():
        journal = session.get(Journal, form.journal_id.data)
        outcome = run_service(
            lambda s: payments.register_payment(s, invoice, amount=form.amount.data, date=form.date.data,
                                                journal=journal, writeoff=form.writeoff.data),
            form=form, success=gettext("Payment of %(amount)s registered.",
                                       amount=money(form.amount.data, invoice.currency_code)))
        if outcome.ok:
            return redirect(invoice_url(_invoice(invoice_id)))
    status = 422 if request.method == "POST" else 200
    return render_template("accounting/payment_form.html", form=form, invoice=_invoice(invoice_id),
                           back=invoice_url(invoice)), status


@blueprint.route("/documents/<int:invoice_id>/pdf")
def invoice_pdf(invoice_id: int):
    from ..documents import pdf  # WeasyPrint is slow to import: only when a PDF is asked for

    invoice = _invoice(invoice_id)
    return Response(pdf.invoice_pdf(db(), invoice), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{pdf.invoice_filename(invoice)}"'})


#: e-invoice formats: the document's writer and the file name's suffix
EINVOICES = {"ubl": (invoice_ubl, "ubl.xml"), "fatturapa": (invoice_fatturapa, "fatturapa.xml"),
             "facturae": (invoice_facturae, "facturae.xml")}


@blueprint.route("/documents/<int:invoice_id>/einvoice/<fmt>")
def invoice_einvoice(invoice_id: int, fmt: str):
    """The invoice as UBL 2.1 (Peppol BIS 3), FatturaPA or Facturae XML."""
    from ..documents.pdf import invoice_filename

    invoice = _invoice(invoice_id)
    if fmt not in EINVOICES:
        abort(404)
    write, suffix = EINVOICES[fmt]
    return Response(write(db(), invoice), mimetype="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{invoice_filename(invoice, suffix)}"'})


# --- JSON ------------------------------------------------------------------------------------------


def invoice_json(invoice: Invoice) -> dict:
    return {
        "id": invoice.id, "kind": invoice.kind, "state": invoice.state, "number": invoice.number,
        "partner_id": invoice.partner_id, "journal_id": invoice.journal_id, "date": invoice.date.isoformat(),
        "due_date": invoice.due_date.isoformat() if invoice.due_date else None,
        "payment_term_id": invoice.payment_term_id, "currency_code": invoice.currency_code,
        "reference": invoice.reference, "narration": invoice.narration,
        "amount_untaxed": str(invoice.amount_untaxed), "amount_tax": str(invoice.amount_tax),
        "amount_total": str(invoice.amount_total), "residual": str(invoice.residual),
        "payment_state": invoice.payment_state,
        "lines": [{"id": line.id, "description": line.description, "product_id": line.product_id,
                   "account_id": line.account_id, "quantity": str(line.quantity), "unit_price": str(line.unit_price),
                   "discount": str(line.discount), "tax_ids": [tax.id for tax in line.taxes],
                   "subtotal": str(line.subtotal), "total": str(line.total)} for line in invoice.lines],
    }


def _record_id(value) -> int:
    return bounds.parse_id(value, "id")


def _text(value) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _date(value) -> dt.date:
    return dt.date.fromisoformat(_text(value))


def _decimal(value) -> Decimal:
    """A JSON number or string as the Decimal it reads as (12.1 is 12.1, not the float's binary expansion)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError(value)
    return Decimal(str(value))


def _record_ids(values) -> list[int]:
    if not isinstance(values, list):
        raise TypeError(values)
    return [_record_id(value) for value in values]


JSON_FIELDS = {"partner_id": _record_id, "journal_id": _record_id, "payment_term_id": _record_id, "date": _date,
               "due_date": _date, "currency_code": _text, "reference": _text, "narration": _text}
LINE_FIELDS = {"description": _text, "product_id": _record_id, "account_id": _record_id, "quantity": _decimal,
               "unit_price": _decimal, "discount": _decimal, "tax_ids": _record_ids}


def _parse(payload: dict, fields: dict, model, where: str = "") -> dict:
    """Convert each value, then check it against its column's bounds; a refusal names the field by its path."""
    columns = inspect(model).columns
    values = {}
    for key, value in payload.items():
        field = where + key
        if key not in fields:
            raise ValidationError(gettext("Unknown field %(field)s.", field=field), field)
        try:
            values[key] = None if value is None else fields[key](value)
        except (TypeError, ValueError, InvalidOperation, ValidationError):
            raise ValidationError(gettext("%(field)s has a value of the wrong kind.", field=field), field) from None
        if key in columns:
            bounds.check(columns[key], values[key], field)
    return values


@blueprint.route("/documents/<int:invoice_id>.json", methods=["GET", "POST", "PATCH"])
@accepts_json
def invoice_api(invoice_id: int):
    """The invoice as JSON; POST or PATCH changes a draft through the same service as the form."""
    invoice = _invoice(invoice_id)
    if request.method == "GET":
        return jsonify(invoice_json(invoice))
    payload = json_object({"lines": list})
    try:
        values = _parse({k: v for k, v in payload.items() if k != "lines"}, JSON_FIELDS, Invoice)
        if "lines" in payload:
            if not all(isinstance(row, dict) for row in payload["lines"]):
                raise ValidationError(gettext("lines must be a list of objects."), "lines")
            values["lines"] = [_parse(row, LINE_FIELDS, InvoiceLine, f"lines[{n}].")
                               for n, row in enumerate(payload["lines"])]
    except ValidationError as error:
        return jsonify(error=str(error), field=error.field), 422
    outcome = run_service(lambda session: save(session, current_actor(), invoice, invoice.kind, values),
                          flash_errors=False)
    if not outcome.ok:
        return jsonify(error=str(outcome.error), field=getattr(outcome.error, "field", None)), outcome.status
    return jsonify(invoice_json(_invoice(invoice_id)))
