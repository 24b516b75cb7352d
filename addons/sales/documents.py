"""The quotation / sales order as a PDF for the customer, in the customer's language (see core.documents).

It shows prices, discounts, taxes and totals, never costs nor margins: those
are for the company's users only.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from core import documents
from core.models import Company

from .models import CONFIRMED, SaleOrder

ADDON = Path(__file__).resolve().parent
#: the products addon's catalogue translates the seeded units' names
PRODUCTS = ADDON.parent / "products"
TEMPLATE = "sales/quote_pdf.html"


def quote_language(session: Session, order: SaleOrder) -> str:
    return documents.document_language(order.partner.lang, session.get(Company, order.company_id))


def quote_html(session: Session, order: SaleOrder, lang: str | None = None) -> str:
    company = session.get(Company, order.company_id)
    return documents.render_html(
        ADDON, TEMPLATE, lang or quote_language(session, order), catalogues=(PRODUCTS,), order=order,
        is_order=order.state == CONFIRMED, company=documents.Party.of_company(company),
        customer=documents.Party.of(order.partner), logo=documents.logo_uri(company))


def render_quote(session: Session, order: SaleOrder, lang: str | None = None):
    """The laid-out WeasyPrint document (its pages can be inspected); ``lang`` overrides the customer's."""
    return documents.render_document(quote_html(session, order, lang))


def quote_pdf(session: Session, order: SaleOrder, lang: str | None = None) -> bytes:
    return render_quote(session, order, lang).write_pdf()


def quote_filename(order: SaleOrder) -> str:
    return documents.filename(order.display_name)
