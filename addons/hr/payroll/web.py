"""Payroll pages beyond the generic views: a batch's Compute and Post, a payslip's Post, Correct and PDF, the
example structures, "My payslips" and the cost by department (with its CSV)."""
from __future__ import annotations

import datetime as dt
import io

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import format_currency, format_date, gettext

from core.models import Company
from core.web.actions import run_service
from core.web.context import current_actor, db, record_or_404, require
from core.web.exports import export_response
from core.web.inputs import year_arg
from core.web.panels import Panel, RecordButton

from ..reports.chart import chart
from ..web import blueprint
from . import batches
from .documents import payslip_filename, payslip_pdf
from .examples import EXAMPLES, load_example
from .models import COMPUTED, DRAFT, POSTED, REVERSAL, PayrollStructure, Payslip, PayslipBatch
from .report import cost_by_department


def payroll_buttons(session, actor, record) -> list[RecordButton]:
    registry = session.info["registry"]
    if isinstance(record, PayslipBatch) and registry.can(actor, PayslipBatch, "write"):
        buttons = []
        if record.state in (DRAFT, COMPUTED):
            buttons.append(RecordButton(gettext("Compute"), "hr.compute_batch", (("batch_id", record.id),)))
        if record.state == COMPUTED:
            buttons.append(RecordButton(gettext("Post"), "hr.post_batch", (("batch_id", record.id),), sequence=20))
        return buttons
    if isinstance(record, Payslip):
        buttons = [RecordButton(gettext("Download PDF"), "hr.payslip_pdf_download", (("payslip_id", record.id),),
                                sequence=30)]
        if registry.can(actor, Payslip, "write"):
            if record.state == COMPUTED and record.batch_id is None:
                buttons.append(RecordButton(gettext("Post"), "hr.post_payslip", (("payslip_id", record.id),)))
            if record.state == POSTED and record.kind != REVERSAL:
                buttons.append(RecordButton(gettext("Correct"), "hr.correct_payslip",
                                            (("payslip_id", record.id),), sequence=20))
        return buttons
    return []


def payslip_panels(session, actor, record) -> list[Panel]:
    """A payslip's lines, in order, with their amounts in the company's currency."""
    if not isinstance(record, Payslip):
        return []
    currency = session.get(Company, record.company_id).currency_code
    return [Panel(gettext("Payslip lines"), tuple(
        (f"{line.code} · {gettext(line.name)}", format_currency(line.amount, currency)) for line in record.lines))]


@blueprint.route("/payslip-batches/<int:batch_id>/compute", methods=["POST"])
def compute_batch(batch_id: int):
    batch = record_or_404(PayslipBatch, batch_id)
    outcome = run_service(lambda session: batches.compute_batch(session, batch))
    if outcome.ok:
        flash(gettext("%(count)s payslips computed.", count=outcome.result), "success")
    return redirect(url_for("hr.payslip_batch_view", record_id=batch_id))


@blueprint.route("/payslip-batches/<int:batch_id>/post", methods=["POST"])
def post_batch(batch_id: int):
    batch = record_or_404(PayslipBatch, batch_id)
    run_service(lambda session: batches.post_batch(session, batch), success=gettext("Payroll posted."))
    return redirect(url_for("hr.payslip_batch_view", record_id=batch_id))


@blueprint.route("/payslips/<int:payslip_id>/post", methods=["POST"])
def post_payslip(payslip_id: int):
    payslip = record_or_404(Payslip, payslip_id)
    run_service(lambda session: batches.post_payslip(session, payslip), success=gettext("Payslip posted."))
    return redirect(url_for("hr.payslip_view", record_id=payslip_id))


@blueprint.route("/payslips/<int:payslip_id>/correct", methods=["POST"])
def correct_payslip(payslip_id: int):
    payslip = record_or_404(Payslip, payslip_id)
    outcome = run_service(lambda session: batches.correct_payslip(session, payslip),
                          success=gettext("Payslip reversed; check the new one and post it."))
    target = outcome.result.id if outcome.ok else payslip_id
    return redirect(url_for("hr.payslip_view", record_id=target))


@blueprint.route("/payslips/<int:payslip_id>/pdf", methods=["GET", "POST"])
def payslip_pdf_download(payslip_id: int):
    """The employee's own payslip, or any for a payroll manager: record_or_404 applies the record rules."""
    payslip = record_or_404(Payslip, payslip_id)
    return send_file(io.BytesIO(payslip_pdf(db(), payslip)), mimetype="application/pdf", as_attachment=True,
                     download_name=payslip_filename(payslip))


@blueprint.route("/my-payslips")
def my_payslips():
    require(Payslip, "read")
    return redirect(url_for("hr.payslip_list", filter="mine"))


@blueprint.route("/payroll-structures/examples", methods=["POST"])
def load_example_structure():
    require(PayrollStructure, "create")
    country = request.form.get("country", "")
    year = dt.date.today().year
    outcome = run_service(lambda session: load_example(session, current_actor().company_id, country=country,
                                                         year=year),
                          success=gettext("Example loaded: have it checked by your adviser."))
    if outcome.ok:
        return redirect(url_for("hr.payroll_structure_view", record_id=outcome.result.id))
    return redirect(url_for("hr.example_structures"))


@blueprint.route("/payroll-structures/examples")
def example_structures():
    require(PayrollStructure, "create")
    return render_template("hr/payroll_examples.html", examples=EXAMPLES)


@blueprint.route("/payroll-cost")
def cost_by_department_page():
    require(PayslipBatch, "read")
    year = year_arg()
    table = cost_by_department(db(), current_actor().company_id, year=year)
    if request.args.get("format") == "csv":
        header = [gettext("Department"), *(f"{year}-{month:02d}" for month in table.months), gettext("Total")]
        lines = [[name or gettext("No department"), *(str(cells.get(month, "")) for month in table.months),
                  str(table.total(name))] for name, cells in table.rows.items()]
        return export_response("csv", f"payroll-cost-{year}", gettext("Payroll cost"), header, lines)
    labels = {month: dt.date(year, month, 1) for month in table.months}
    figure = chart("bar", [format_date(labels[month], "MMM") for month in table.months],
                   {name or gettext("No department"): [cells.get(month) for month in table.months]
                    for name, cells in table.rows.items()})
    return render_template("hr/payroll_cost.html", table=table, year=year, labels=labels, figure=figure)
