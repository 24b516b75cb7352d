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

from addons.contacts.models import Partner
from core.errors import ValidationError
from core.languages import CODES
from core.models.company import Company
from core.taxid import international_vat

from ..models import Invoice, InvoiceLine, InvoiceTax, Tax
from ..services.books import company_settings
from ..services.currency import decimals
from ..services.invoices import invoice_instalments
from ..services.taxes import LineAmounts, compute_line
from ..services.terms import Instalment


@dataclass(frozen=True)
class Party:
    name: str
    vat: str | None = None
    street: str | None = None
    street2: str | None = None
    zip: str | None = None
    city: str | None = None
    province: str | None = None
    country_code: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    is_company: bool = True

    @classmethod
    def of(cls, partner: Partner) -> Party:
        return cls(name=partner.name, vat=partner.vat, street=partner.street, street2=partner.street2,
                   zip=partner.zip, city=partner.city, country_code=(partner.country_code or "").upper() or None,
                   email=partner.email, phone=partner.phone, is_company=partner.is_company)

    @classmethod
    def of_company(cls, company: Company) -> Party:
        return cls(name=company.name, vat=company.vat, street=company.street, street2=company.street2,
                   zip=company.zip, city=company.city, province=company.province,
                   country_code=company.country_code, email=company.email, phone=company.phone,
                   website=company.website)

    @property
    def vat_number(self) -> str | None:
        """The VAT number without its country prefix (as FatturaPA and Facturae want it)."""
        if not self.vat:
            return None
        vat = self.vat.replace(" ", "").upper()
        return vat[2:] if self.country_code and vat.startswith(self.country_code) else vat

    @property
    def vat_international(self) -> str | None:
        """The VAT number with its country prefix where the EU wants one (as UBL wants it)."""
        return international_vat(self.vat, self.country_code) if self.vat else None

    @property
    def address_lines(self) -> list[str]:
        town = " ".join(part for part in (self.zip, self.city) if part)
        region = self.province if self.province and self.province != self.city else None
        return [part for part in (self.street, self.street2, town, region, self.country_code) if part]


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
        for code in (self.invoice.partner.lang, self.company.lang, (self.company.country_code or "").lower()):
            if code in CODES:
                return code
        return "en"

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
