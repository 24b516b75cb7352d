"""The payslip as a PDF, in the employee's language (their user's, else the company's; see core.documents)."""
from __future__ import annotations

from pathlib import Path

from core import documents
from core.models import Company

from .models import CATEGORIES, Payslip

ADDON = Path(__file__).resolve().parent.parent
TEMPLATE = "hr/payslip_pdf.html"


def payslip_language(session, payslip: Payslip) -> str:
    user = payslip.employee.user
    return documents.document_language(user.lang if user is not None else None,
                                       session.get(Company, payslip.company_id))


def payslip_html(session, payslip: Payslip, lang: str | None = None) -> str:
    company = session.get(Company, payslip.company_id)
    return documents.render_html(ADDON, TEMPLATE, lang or payslip_language(session, payslip), payslip=payslip,
                                 categories=dict(CATEGORIES), company=documents.Party.of_company(company),
                                 currency=company.currency_code or "EUR", logo=documents.logo_uri(company))


def render_payslip(session, payslip: Payslip, lang: str | None = None):
    return documents.render_document(payslip_html(session, payslip, lang))


def payslip_pdf(session, payslip: Payslip, lang: str | None = None) -> bytes:
    return render_payslip(session, payslip, lang).write_pdf()


def payslip_filename(payslip: Payslip) -> str:
    return documents.filename(payslip.name)
