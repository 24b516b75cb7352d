"""What every addon's report shares: its shape (title, columns, rows, totals) and its CSV and XLSX files.

A report is computed by the addon (one or a few aggregate SELECTs run
through the user's session, so access and record rules apply) into a
:class:`Report`; this module writes any report as CSV or XLSX, keeping
numbers as numbers (the list views' exporter, :mod:`core.web.exports`,
writes every cell as text) and reusing its formula-injection guard. An addon
adds other formats (accounting's PDF) on top of :func:`lines`.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from core.web.exports import XLSX_MIMETYPE, spreadsheet_safe

TEXT, MONEY, PERCENT, DATE, QUANTITY = "text", "money", "percent", "date", "quantity"
#: the kinds shown right-aligned, as numbers
NUMERIC = (MONEY, PERCENT, QUANTITY)
MIMETYPES = {"csv": "text/csv", "xlsx": XLSX_MIMETYPE}
XLSX_FORMATS = {MONEY: "#,##0.00", PERCENT: "0.00", DATE: "yyyy-mm-dd", QUANTITY: "#,##0.####"}


@dataclass(frozen=True)
class Column:
    """``key`` names the row attribute; ``kind`` tells exports how to format it (text, money, percent, ...)."""

    key: str
    label: object
    kind: str = TEXT


@dataclass
class Report:
    """A computed report: rows are dataclass instances with one attribute per column key.

    ``totals`` are (label, {column key: value}) lines printed under the rows;
    ``filters`` lists (label, value) pairs describing what was
    asked; ``page``/``pages`` are set on paginated reports.
    """

    title: object
    columns: tuple[Column, ...]
    rows: list
    totals: list[tuple[object, dict]] = field(default_factory=list)
    filters: list[tuple[object, object]] = field(default_factory=list)
    page: int = 1
    pages: int = 1
    slug: str = "report"

    def value(self, row, column: Column):
        return getattr(row, column.key)


def _cell(value):
    return value + 0 if isinstance(value, Decimal) else value  # -0.00 (a negated zero) prints as 0.00


def lines(report: Report):
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
    numbers written plainly with a dot (1234.50)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(column.label) for column in report.columns])
    for _kind, cells in lines(report):
        writer.writerow([_text(value) for value in cells])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(report: Report) -> bytes:
    """The title on the first line, the filters on the second, the header on the third; numbers stay numbers."""
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
    for kind, cells in lines(report):
        font = bold if kind == "total" else None
        sheet.append([cell(value, column.kind, font) for column, value in zip(report.columns, cells)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export(report: Report, fmt: str) -> tuple[bytes, str, str]:
    """The file's bytes, its MIME type and a file name, for ``fmt`` in csv, xlsx."""
    if fmt not in MIMETYPES:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(MIMETYPES)}")
    data = to_csv(report) if fmt == "csv" else to_xlsx(report)
    return data, MIMETYPES[fmt], f"{report.slug}.{fmt}"


def display(value, column: Column) -> str:
    """A report value as the user reads it on a page: numbers in their locale (amounts with two decimals),
    dates as dates."""
    from flask_babel import format_date, format_decimal

    if value is None:
        return ""
    if column.kind == MONEY:
        return format_decimal(value, "#,##0.00")
    if column.kind == PERCENT:
        return format_decimal(value, "#,##0.00") + " %"
    if column.kind == QUANTITY:
        return format_decimal(value, "#,##0.####")
    if column.kind == DATE or isinstance(value, dt.date):
        return format_date(value)
    return str(value)
