"""Any :class:`~core.reports.Report` to CSV, XLSX (the core's :mod:`core.reports`) or PDF (WeasyPrint from a
Jinja2 template)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal
from flask_babel import gettext, ngettext
from jinja2 import Environment, FileSystemLoader, select_autoescape

from core import reports
from core.reports import MONEY, PERCENT, Report, lines

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
MIMETYPES = {**reports.MIMETYPES, "pdf": "application/pdf"}
MONEY_FORMAT = "#,##0.00"


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
        report=report, lines=list(lines(report)), generated=dt.date.today(), locale=locale)
    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf()


def export(report: Report, fmt: str, locale: str = "en") -> tuple[bytes, str, str]:
    """The file's bytes, its MIME type and a file name, for ``fmt`` in csv, xlsx, pdf."""
    if fmt != "pdf":
        return reports.export(report, fmt)
    return to_pdf(report, locale), MIMETYPES[fmt], f"{report.slug}.{fmt}"
