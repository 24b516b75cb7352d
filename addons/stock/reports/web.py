"""The stock reports page: choose a report and what it covers, read it (a chart for stock over time), export it
as CSV or XLSX."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import abort, request, url_for
from flask_babel import lazy_gettext as _l

from core import reports
from core.web.context import current_actor, db, require
from core.web.inputs import date_arg, id_arg
from core.web.report_pages import download, render_report

from ..models import Location, Quant, Warehouse
from ..web import blueprint
from .forecast import forecast
from .history import PAGE_SIZE, move_history
from .on_hand import stock_on_hand
from .over_time import stock_over_time
from .scope import Scope
from .valuation import valuation_at

#: what a report asks besides its scope: the dates it reads
AT, UNTIL, RANGE = "at", "until", "range"


@dataclass(frozen=True)
class ReportChoice:
    key: str
    label: object
    asks: tuple[str, ...]


CHOICES = (
    ReportChoice("on_hand", _l("Stock on hand"), ()),
    ReportChoice("forecast", _l("Forecast"), (UNTIL,)),
    ReportChoice("history", _l("Stock moves"), (RANGE,)),
    ReportChoice("over_time", _l("Stock over time"), (RANGE,)),
    ReportChoice("valuation", _l("Valuation"), (AT,)),
)
BY_KEY = {choice.key: choice for choice in CHOICES}


def _asked() -> dict:
    today = dt.date.today()
    return {"scope": Scope(current_actor().company_id, warehouse_id=id_arg("warehouse_id", Warehouse.id),
                           location_id=id_arg("location_id", Location.id), product_id=id_arg("product_id"),
                           category_id=id_arg("category_id")),
            "date_from": date_arg("date_from", today - dt.timedelta(days=30)), "date_to": date_arg("date_to", today),
            "at": date_arg("at", today), "until": date_arg("until", today + dt.timedelta(days=30)),
            "by_lot": request.args.get("by_lot", "1") == "1",
            "page": max(1, request.args.get("page", 1, type=int))}


def _compute(choice: ReportChoice, asked: dict, paginate: bool) -> reports.Report:
    session, scope = db(), asked["scope"]
    if choice.key == "forecast":
        return forecast(session, scope, until=asked["until"])
    if choice.key == "history":
        return move_history(session, scope, date_from=asked["date_from"], date_to=asked["date_to"],
                            page=asked["page"], page_size=PAGE_SIZE if paginate else None)
    if choice.key == "over_time":
        return stock_over_time(session, scope, date_from=asked["date_from"], date_to=asked["date_to"])
    if choice.key == "valuation":
        return valuation_at(session, scope, at=asked["at"])
    return stock_on_hand(session, scope, by_lot=asked["by_lot"])


def chart(report: reports.Report) -> dict | None:
    """Bars of the quantity at the end of each day (stock over time), scaled to the drawing: ``bars`` of
    (x, y, height, day, quantity), the ``zero`` line's y, and the top and bottom values."""
    if not report.rows or not hasattr(report.rows[0], "day"):
        return None
    values = [row.quantity for row in report.rows]
    top, bottom = max(max(values), 0), min(min(values), 0)
    span = (top - bottom) or 1
    height, width = 160, 600 / len(values)
    zero = float(top / span) * height
    bars = []
    for index, row in enumerate(report.rows):
        size = float(abs(row.quantity) / span) * height
        bars.append((round(index * width, 2), round(zero - size if row.quantity > 0 else zero, 2), round(size, 2),
                     row.day, row.quantity))
    return {"bars": bars, "bar_width": round(max(width - 1, 0.5), 2), "zero": round(zero, 2), "top": top,
            "bottom": bottom, "height": height}


#: the scope's fields: (name, label, the table and field whose options the picker offers)
PICKERS = (("warehouse_id", _l("Warehouse"), "stock_transfer", "warehouse_id"),
           ("location_id", _l("Location"), "stock_quant", "location_id"),
           ("product_id", _l("Product"), "stock_quant", "product_id"),
           ("category_id", _l("Category"), "products_product", "category_id"))


def _pickers(scope: Scope | None) -> list[tuple]:
    """(name, label, options url, current id, current label) of each field of the scope's form."""
    current = dict(zip((name for name, *_rest in PICKERS), scope.filters(db()) if scope is not None else ()))
    return [(name, label, url_for("web.options", table=table, field=field),
             getattr(scope, name, None), current.get(name, (None, None))[1])
            for name, label, table, field in PICKERS]


@blueprint.route("/reports")
def reports_page():
    require(Quant, "read")
    choice = BY_KEY.get(request.args.get("report", ""), CHOICES[0])
    return render_report("stock/reports.html", _asked, lambda asked: _compute(choice, asked, paginate=True),
                         lambda report, asked: {"pickers": _pickers(asked.get("scope")),
                                                "chart": chart(report) if report is not None else None},
                         choices=CHOICES, choice=choice)


@blueprint.route("/reports/export.<fmt>")
def reports_export(fmt: str):
    require(Quant, "read")
    choice = BY_KEY.get(request.args.get("report", ""))
    if choice is None or fmt not in reports.MIMETYPES:
        abort(404)
    return download(*reports.export(_compute(choice, _asked(), paginate=False), fmt))
