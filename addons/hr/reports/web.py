"""The HR reports page: choose a report and a year, read it with its chart, export it as CSV or XLSX. Headcount
and absence read the contracts (HR officers); leave balances are also a manager's, for their team; an employee
has their own balances in My profile."""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort, request
from flask_babel import lazy_gettext as _l

from core import reports
from core.errors import ValidationError
from core.web.context import can, current_actor, db, require
from core.web.inputs import year_arg
from core.web.report_pages import download, render_report

from ..models import Contract, LeaveAllocation
from ..security import MANAGER
from ..web import blueprint
from . import absence, balances, headcount
from .chart import chart


@dataclass(frozen=True)
class ReportChoice:
    key: str
    label: object
    model: type
    compute: object
    series: object
    kind: str


CHOICES = (
    ReportChoice("headcount", _l("Headcount"), Contract, headcount.headcount, headcount.chart_series, "line"),
    ReportChoice("balances", _l("Leave balances"), LeaveAllocation, balances.leave_balances, balances.chart_series,
                 "bar"),
    ReportChoice("absence", _l("Absence rate"), Contract, absence.absence_rate, absence.chart_series, "line"),
)
BY_KEY = {choice.key: choice for choice in CHOICES}


def _choice(key: str | None) -> ReportChoice:
    """The report asked (the first the user may read when none is); 403 for who is neither a manager nor in HR,
    or may not read the report's records."""
    if not current_actor().in_group(MANAGER):
        abort(403)
    allowed = [choice for choice in CHOICES if can(choice.model, "read")]
    if not allowed:
        require(Contract, "read")
    choice = BY_KEY.get(key or "", allowed[0])
    require(choice.model, "read")
    return choice


@blueprint.route("/reports")
def reports_page():
    choice = _choice(request.args.get("report"))

    def more(report, _asked):
        return {"chart": chart(choice.kind, *choice.series(report)) if report is not None else None,
                "choices": [option for option in CHOICES if can(option.model, "read")]}

    return render_report("hr/reports.html", lambda: {"year": year_arg()},
                         lambda asked: choice.compute(db(), asked["year"]), more, choice=choice)


@blueprint.route("/reports/export.<fmt>")
def reports_export(fmt: str):
    choice = _choice(request.args.get("report"))
    if fmt not in reports.MIMETYPES:
        abort(404)
    try:
        year = year_arg()
    except ValidationError as refused:
        abort(422, str(refused))
    return download(*reports.export(choice.compute(db(), year), fmt))
