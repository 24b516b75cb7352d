"""The invoice PDF: ``templates/accounting/invoice_pdf.html`` rendered in the partner's language (core.documents).

The company's logo is printed on its own documents (customer invoices and
credit notes), not on a supplier's bill.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from core import documents

from ..models import Invoice
from .data import InvoiceDocument, invoice_document

ADDON = Path(__file__).resolve().parent.parent
TEMPLATE = "accounting/invoice_pdf.html"


def render_html(document: InvoiceDocument, lang: str | None = None) -> str:
    logo = documents.logo_uri(document.company) if document.invoice.is_customer else None
    return documents.render_html(ADDON, TEMPLATE, lang or document.lang, doc=document, invoice=document.invoice,
                                 logo=logo)


def render_invoice(session: Session, invoice: Invoice, lang: str | None = None):
    """The laid-out WeasyPrint document (its pages can be inspected); ``lang`` overrides the partner's."""
    return documents.render_document(render_html(invoice_document(session, invoice), lang))


def invoice_pdf(session: Session, invoice: Invoice, lang: str | None = None) -> bytes:
    return render_invoice(session, invoice, lang).write_pdf()


def invoice_filename(invoice: Invoice, extension: str = "pdf") -> str:
    return documents.filename(invoice.display_name, extension)
