"""The request for quotation / purchase order as a PDF, in the supplier's language (see core.documents).

A draft or sent request prints as a request for quotation; from its
confirmation on it prints as a purchase order. Each line shows the
supplier's own product code and name when its supplier price has them.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from core import documents
from core.models import Company

from .models import EDITABLE, PurchaseOrder

ADDON = Path(__file__).resolve().parent
#: the products addon's catalogue translates the seeded units' names
PRODUCTS = ADDON.parent / "products"
TEMPLATE = "purchase/order_pdf.html"


def order_language(session: Session, order: PurchaseOrder) -> str:
    return documents.document_language(order.partner.lang, session.get(Company, order.company_id))


def order_html(session: Session, order: PurchaseOrder, lang: str | None = None) -> str:
    company = session.get(Company, order.company_id)
    return documents.render_html(
        ADDON, TEMPLATE, lang or order_language(session, order), catalogues=(PRODUCTS,), order=order, is_request=order.state in EDITABLE,
        company=documents.Party.of_company(company), supplier=documents.Party.of(order.partner),
        logo=documents.logo_uri(company))


def render_order(session: Session, order: PurchaseOrder, lang: str | None = None):
    """The laid-out WeasyPrint document (its pages can be inspected); ``lang`` overrides the supplier's."""
    return documents.render_document(order_html(session, order, lang))


def order_pdf(session: Session, order: PurchaseOrder, lang: str | None = None) -> bytes:
    return render_order(session, order, lang).write_pdf()


def order_filename(order: PurchaseOrder) -> str:
    return documents.filename(order.display_name)
