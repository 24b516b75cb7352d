"""The invoice PDF: ``templates/accounting/invoice_pdf.html`` rendered with WeasyPrint in the partner's language.

The company's logo (a PNG or JPEG its profile holds) is embedded as a
``data:`` URI, so WeasyPrint fetches nothing.

Rendering needs no Flask application: the template gets Babel's
translations for the document's language (core's and accounting's
catalogues) and filters that format money, numbers and dates for that
locale, so a job or the CLI prints the same PDF as the web.
"""
from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, select_autoescape
from stdnum import iban
from sqlalchemy.orm import Session
from weasyprint import HTML

from core.web.i18n import TRANSLATIONS as CORE_TRANSLATIONS

from ..models import Invoice
from .data import InvoiceDocument, invoice_document

ADDON = Path(__file__).resolve().parent.parent
TEMPLATE = "accounting/invoice_pdf.html"


def translations(lang: str) -> NullTranslations:
    """Core's catalogue for ``lang`` with accounting's merged over it (English: none)."""
    merged = Translations.load(str(CORE_TRANSLATIONS), [lang])
    own = Translations.load(str(ADDON / "translations"), [lang])
    if isinstance(merged, Translations) and isinstance(own, Translations):
        merged.merge(own)
        return merged
    return own if isinstance(own, Translations) else merged


@lru_cache(maxsize=8)
def environment(lang: str) -> Environment:
    env = Environment(loader=FileSystemLoader(str(ADDON / "templates")), autoescape=select_autoescape(["html"]),
                      extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translations(lang), newstyle=True)
    env.filters["money"] = lambda value, currency: format_currency(value, currency, locale=lang)
    env.filters["number"] = lambda value: format_decimal(value, locale=lang)
    env.filters["price"] = lambda value: format_decimal(value, "#,##0.00####", locale=lang)
    env.filters["percent"] = lambda value: format_percent(value / 100, "#,##0.##%", locale=lang)
    env.filters["date"] = lambda value: format_date(value, "long", locale=lang)
    env.filters["iban"] = lambda value: iban.format(value)
    return env


def render_html(document: InvoiceDocument, lang: str | None = None) -> str:
    return environment(lang or document.lang).get_template(TEMPLATE).render(doc=document, invoice=document.invoice,
                                                                            logo=logo_uri(document))


def logo_uri(document: InvoiceDocument) -> str | None:
    """The company's logo on its own documents (customer invoices and credit notes), as a ``data:`` URI."""
    company = document.company
    if not document.invoice.is_customer or not company.logo_type:
        return None
    return f"data:{company.logo_type};base64,{base64.b64encode(company.logo).decode()}"


def render_invoice(session: Session, invoice: Invoice, lang: str | None = None):
    """The laid-out WeasyPrint document (its pages can be inspected); ``lang`` overrides the partner's."""
    return HTML(string=render_html(invoice_document(session, invoice), lang)).render()


def invoice_pdf(session: Session, invoice: Invoice, lang: str | None = None) -> bytes:
    return render_invoice(session, invoice, lang).write_pdf()


def invoice_filename(invoice: Invoice, extension: str = "pdf") -> str:
    return f"{invoice.display_name.replace('/', '-').replace(' ', '_')}.{extension}"
