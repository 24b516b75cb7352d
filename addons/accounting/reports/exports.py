"""Any :class:`~.base.Report` to CSV, XLSX (openpyxl) or PDF (WeasyPrint from a Jinja2 template).

The core's exporter (core.web.exports) writes every cell as text; reports
need numbers kept as numbers, so this module is the one exporter for
reports, reusing the core's formula-injection guard.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal
from flask_babel import gettext, ngettext
from jinja2 import Environment, FileSystemLoader, select_autoescape

from core.web.exports import spreadsheet_safe

from .base import DATE, MONEY, PERCENT, Report

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
MONEY_FORMAT = "#,##0.00"
XLSX_FORMATS = {MONEY: MONEY_FORMAT, PERCENT: "0.00", DATE: "yyyy-mm-dd"}


def _cell(value):
    return value + 0 if isinstance(value, Decimal) else value  # -0.00 (a negated zero) prints as 0.00


def _lines(report: Report):
    """(kind, cells) for every printed line: the rows, then each total with its label in the first column."""
    for row in report.rows:
        yield "row", [_cell(report.value(row, column)) for column in report.columns]
    for label, values in report.totals:
        cells = [_cell(values.get(column.key)) for column in report.columns]
        cells[0] = str(label)
        yield "total", cells


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, Decimal, int)):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return spreadsheet_safe(str(value))


def to_csv(report: Report) -> bytes:
    """UTF-8 with a BOM (so spreadsheets guess the encoding), a header line, the rows, then the totals;
    amounts as plain numbers with a dot (1234.50)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(column.label) for column in report.columns])
    for _kind, cells in _lines(report):
        writer.writerow([_text(value) for value in cells])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(report: Report) -> bytes:
    """The title on the first line, the header on the third; amounts stay numbers with two decimals."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(report.title)[:31])
    bold = Font(bold=True)

    def cell(value, kind=None, font=None):
        result = WriteOnlyCell(sheet, value=value if kind in XLSX_FORMATS or value is None else _text(value))
        if kind in XLSX_FORMATS and value is not None:
            result.number_format = XLSX_FORMATS[kind]
        elif value is not None:
            result.data_type = "s"
        if font is not None:
            result.font = font
        return result

    sheet.append([cell(str(report.title), font=bold)])
    sheet.append([cell("; ".join(f"{label}: {_text(value)}" for label, value in report.filters if value))])
    sheet.append([cell(str(column.label), font=bold) for column in report.columns])
    for kind, cells in _lines(report):
        font = bold if kind == "total" else None
        sheet.append([cell(value, column.kind, font) for column, value in zip(report.columns, cells)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _environment(locale: str) -> Environment:
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                              extensions=["jinja2.ext.i18n"])
    environment.install_gettext_callables(gettext, ngettext, newstyle=True)

    def show(value, kind):
        if value is None:
            return ""
        if kind in (MONEY, PERCENT):
            return format_decimal(value, format=MONEY_FORMAT, locale=locale)
        if isinstance(value, dt.date):
            return format_date(value, format="short", locale=locale)
        return str(value)

    environment.filters["show"] = show
    return environment


def to_pdf(report: Report, locale: str = "en") -> bytes:
    from weasyprint import HTML

    html = _environment(locale).get_template("accounting/report_pdf.html").render(
        report=report, lines=list(_lines(report)), generated=dt.date.today(), locale=locale)
    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf()


def export(report: Report, fmt: str, locale: str = "en") -> tuple[bytes, str, str]:
    """The file's bytes, its MIME type and a file name, for ``fmt`` in csv, xlsx, pdf."""
    if fmt not in MIMETYPES:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(MIMETYPES)}")
    data = to_pdf(report, locale) if fmt == "pdf" else to_csv(report) if fmt == "csv" else to_xlsx(report)
    return data, MIMETYPES[fmt], f"{report.slug}.{fmt}"
