"""What every document of an invoice shows, gathered once: parties, lines, taxes, instalments.

The seller is the company for customer documents and the partner for
supplier bills (the buyer the other way round). The company's side comes
from its profile (core ``Company``: address, tax id, contacts, IBAN, logo,
language), edited under Settings → Companies.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.documents import Party, document_language
from core.models.company import Company

from ..models import Invoice, InvoiceLine, InvoiceTax, Tax
from ..services.books import company_settings
from ..services.currency import decimals
from ..services.invoices import invoice_instalments
from ..services.taxes import LineAmounts, compute_line
from ..services.terms import Instalment


@dataclass(frozen=True)
class InvoiceDocument:
    invoice: Invoice
    company: Company
    seller: Party
    buyer: Party
    lines: list[InvoiceLine]
    taxes: list[InvoiceTax]
    instalments: list[Instalment]
    places: int
    #: where the customer pays: the company's IBAN on customer invoices (a credit note is paid the other way)
    iban: str | None
    #: Each line's computed taxes (its ``taxes`` in the order of ``line.taxes``), as the company rounds them.
    line_amounts: list[LineAmounts]

    @property
    def number(self) -> str:
        return self.invoice.number or self.invoice.display_name

    @property
    def lang(self) -> str:
        """The partner's language, else the company's document language, else its country's, else English."""
        return document_language(self.invoice.partner.lang, self.company)

    @property
    def withholdings(self) -> list[InvoiceTax]:
        return [row for row in self.taxes if row.tax.percent < 0]

    @property
    def vat_taxes(self) -> list[InvoiceTax]:
        return [row for row in self.taxes if row.tax.percent >= 0]

    @property
    def amount_withheld(self) -> Decimal:
        return -sum((row.amount for row in self.withholdings), Decimal(0))

    @property
    def amount_with_vat(self) -> Decimal:
        """Total before withholdings: what EN 16931 calls the invoice total with VAT."""
        return self.invoice.amount_total + self.amount_withheld

    @property
    def due_date(self) -> dt.date:
        return max(item.date for item in self.instalments)


def invoice_document(session: Session, invoice: Invoice) -> InvoiceDocument:
    settings = company_settings(session, invoice.company_id)
    company = session.get(Company, invoice.company_id)
    us = Party.of_company(company)
    them = Party.of(invoice.partner)
    seller, buyer = (us, them) if invoice.is_customer else (them, us)
    places = decimals(session, invoice.currency_code)
    lines = list(invoice.lines)
    return InvoiceDocument(invoice=invoice, company=company, seller=seller, buyer=buyer, lines=lines,
                           taxes=sorted(invoice.taxes, key=lambda row: (row.tax.sequence, row.tax.percent)),
                           instalments=invoice_instalments(session, invoice), places=places,
                           iban=company.iban if invoice.is_customer and not invoice.is_refund else None,
                           line_amounts=[compute_line(line.quantity, line.unit_price, line.discount, line.taxes,
                                                      places, settings.tax_rounding) for line in lines])


def vat_tax(line: InvoiceLine) -> Tax | None:
    """The line's one VAT tax (withholdings aside); e-invoices know one VAT rate per line."""
    vat = [tax for tax in line.taxes if tax.percent >= 0]
    if len(vat) > 1:
        raise ValidationError(gettext("Line \"%(line)s\" has more than one VAT tax; an e-invoice line has one "
                                      "VAT rate.", line=line.description))
    return vat[0] if vat else None


def require_customer_document(invoice: Invoice, *, posted: bool = True) -> None:
    """E-invoices are issued for posted customer invoices and credit notes."""
    if not invoice.is_customer:
        raise ValidationError(gettext("E-invoices are issued for customer invoices and credit notes only."))
    if posted and invoice.state != "posted":
        raise ValidationError(gettext("Post the invoice before issuing its e-invoice."))
