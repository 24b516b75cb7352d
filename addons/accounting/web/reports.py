"""The reports page: choose a report and its dates, read it as a table, export it as CSV, XLSX or PDF."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import abort, request
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.errors import ValidationError
from core.web.context import current_actor, db, require
from core.web.inputs import date_arg, id_arg
from core.web.report_pages import download, render_report

from .. import reports
from ..models import Budget, MoveLine
from ..reports.general_ledger import PAGE_SIZE
from . import blueprint

RANGE, AT, BUDGET = "range", "at", "budget"


@dataclass(frozen=True)
class ReportChoice:
    key: str
    label: str
    asks: str  # RANGE (from, to), AT (one date) or BUDGET
    compute: object


CHOICES = (
    ReportChoice("trial_balance", _l("Trial balance"), RANGE, reports.trial_balance),
    ReportChoice("general_ledger", _l("General ledger"), RANGE, reports.general_ledger),
    ReportChoice("partner_ledger", _l("Partner ledger"), RANGE, reports.partner_ledger),
    ReportChoice("profit_and_loss", _l("Profit and loss"), RANGE, reports.profit_and_loss),
    ReportChoice("balance_sheet", _l("Balance sheet"), AT, reports.balance_sheet),
    ReportChoice("aged_receivables", _l("Aged receivables"), AT, reports.aged_receivables),
    ReportChoice("aged_payables", _l("Aged payables"), AT, reports.aged_payables),
    ReportChoice("tax_report", _l("Tax report"), RANGE, reports.tax_report),
    ReportChoice("budget_vs_actual", _l("Budget vs actual"), BUDGET, reports.budget_vs_actual),
)
BY_KEY = {choice.key: choice for choice in CHOICES}


def _asked() -> dict:
    today = dt.date.today()
    return {"date_from": date_arg("date_from", today.replace(month=1, day=1)), "date_to": date_arg("date_to", today),
            "at": date_arg("at", today), "budget_id": id_arg("budget_id", Budget.id),
            "page": max(1, request.args.get("page", 1, type=int))}


def _compute(choice: ReportChoice, asked: dict, paginate: bool):
    session, company_id = db(), current_actor().company_id
    if choice.asks == AT:
        return choice.compute(session, company_id, asked["at"])
    if choice.asks == BUDGET:
        if asked["budget_id"] is None:
            raise ValidationError(gettext("Choose a budget."), "budget_id")
        return choice.compute(session, asked["budget_id"])
    if choice.key == "general_ledger":
        return choice.compute(session, company_id, asked["date_from"], asked["date_to"], page=asked["page"],
                              page_size=PAGE_SIZE if paginate else None)
    return choice.compute(session, company_id, asked["date_from"], asked["date_to"])


@blueprint.route("/reports")
def reports_page():
    require(MoveLine, "read")
    choice = BY_KEY.get(request.args.get("report", ""), CHOICES[0])
    budgets = db().scalars(select(Budget).order_by(Budget.name)).all()
    return render_report("accounting/reports.html", _asked, lambda asked: _compute(choice, asked, paginate=True),
                         choices=CHOICES, choice=choice, budgets=budgets)


@blueprint.route("/reports/export.<fmt>")
def reports_export(fmt: str):
    from ..reports.exports import MIMETYPES, export

    require(MoveLine, "read")
    choice = BY_KEY.get(request.args.get("report", ""))
    if choice is None or fmt not in MIMETYPES:
        abort(404)
    return download(*export(_compute(choice, _asked(), paginate=False), fmt, str(get_locale())))
