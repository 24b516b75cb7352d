"""UBL 2.1 Invoice and CreditNote following Peppol BIS Billing 3.0 (EN 16931).

VAT categories come from the taxes: a reverse-charge tax is ``AE`` (0 %,
the buyer accounts for it), a 0 % tax or a line without VAT ``Z``, any
other ``S``. A line carries one VAT category, so a line with two VAT taxes
is refused. EN 16931 has no withholding taxes and Peppol BIS forbids UBL's
``WithholdingTaxTotal``; a withholding (IRPF, ritenuta) is what the buyer
pays the tax office instead of the seller, so it is declared as
``PrepaidAmount`` and explained in a note: the VAT bases stay right
(BR-S-08) and ``PayableAmount`` is what the customer really pays.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext
from lxml import etree
from sqlalchemy.orm import Session

from ..models import Invoice, InvoiceLine, Tax
from ..services.currency import company_currency, round_amount
from ..services.taxes import line_amount
from .data import InvoiceDocument, Party, invoice_document, require_customer_document, vat_tax
from .elements import amount, child, plain, serialize

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
NS = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
#: Peppol electronic address schemes (EAS) of VAT numbers, by country.
VAT_SCHEMES = {"ES": "9920", "IT": "0211", "FR": "9957", "DE": "9930", "BE": "9925", "NL": "9944", "PT": "9946",
               "AT": "9914", "IE": "9935", "GB": "9932"}
#: UNCL 4461 payment means: a credit transfer to the seller's IBAN, or "not defined" without one
CREDIT_TRANSFER, NOT_DEFINED = "30", "1"
UNIT = "C62"  # UN/ECE rec. 20 "one": invoice lines have no unit of measure yet
ZERO = Decimal(0)


def cac(name):
    return f"{{{NS['cac']}}}{name}"


def cbc(name):
    return f"{{{NS['cbc']}}}{name}"


@dataclass(frozen=True)
class Category:
    code: str
    percent: Decimal


def invoice_ubl(session: Session, invoice: Invoice) -> bytes:
    """The UBL 2.1 XML of a posted customer invoice or credit note."""
    require_customer_document(invoice)
    return serialize(build(invoice_document(session, invoice), company_currency(session, invoice.company_id)))


def build(doc: InvoiceDocument, home_currency: str):
    invoice = doc.invoice
    root_name = "CreditNote" if invoice.is_refund else "Invoice"
    root = etree.Element(f"{{{NS[root_name]}}}{root_name}", nsmap={None: NS[root_name], "cac": NS["cac"],
                                                                   "cbc": NS["cbc"]})
    currency = invoice.currency_code
    line_categories = [line_category(line) for line in doc.lines]
    child(root, cbc("CustomizationID"), CUSTOMIZATION_ID)
    child(root, cbc("ProfileID"), PROFILE_ID)
    child(root, cbc("ID"), doc.number)
    child(root, cbc("IssueDate"), invoice.date.isoformat())
    if not invoice.is_refund:
        child(root, cbc("DueDate"), doc.due_date.isoformat())
    child(root, cbc(f"{root_name}TypeCode"), "381" if invoice.is_refund else "380")
    for note in _notes(doc):
        child(root, cbc("Note"), note)
    child(root, cbc("DocumentCurrencyCode"), currency)
    if currency != home_currency:
        child(root, cbc("TaxCurrencyCode"), home_currency)
    child(root, cbc("BuyerReference"), invoice.reference or doc.number)
    if invoice.origin_invoice is not None:
        reference = child(child(root, cac("BillingReference")), cac("InvoiceDocumentReference"))
        child(reference, cbc("ID"), invoice.origin_invoice.display_name)
        child(reference, cbc("IssueDate"), invoice.origin_invoice.date.isoformat())
    _party(child(root, cac("AccountingSupplierParty")), doc.seller)
    _party(child(root, cac("AccountingCustomerParty")), doc.buyer)
    means = child(root, cac("PaymentMeans"))
    child(means, cbc("PaymentMeansCode"), CREDIT_TRANSFER if doc.iban else NOT_DEFINED)
    if invoice.is_refund:
        child(means, cbc("PaymentDueDate"), doc.due_date.isoformat())
    child(means, cbc("PaymentID"), doc.number)
    if doc.iban:
        account = child(means, cac("PayeeFinancialAccount"))
        child(account, cbc("ID"), doc.iban)
        child(account, cbc("Name"), doc.seller.name)
    terms = child(root, cac("PaymentTerms"))
    child(terms, cbc("Note"), "; ".join(f"{item.date.isoformat()}: {amount(item.amount, doc.places)} {currency}"
                                        for item in doc.instalments))
    _tax_totals(root, doc, line_categories, home_currency)
    totals = child(root, cac("LegalMonetaryTotal"))
    money = {"currencyID": currency}
    child(totals, cbc("LineExtensionAmount"), amount(invoice.amount_untaxed, doc.places), **money)
    child(totals, cbc("TaxExclusiveAmount"), amount(invoice.amount_untaxed, doc.places), **money)
    child(totals, cbc("TaxInclusiveAmount"), amount(doc.amount_with_vat, doc.places), **money)
    if doc.amount_withheld:
        child(totals, cbc("PrepaidAmount"), amount(doc.amount_withheld, doc.places), **money)
    child(totals, cbc("PayableAmount"), amount(invoice.amount_total, doc.places), **money)
    for index, (line, category) in enumerate(zip(doc.lines, line_categories, strict=True), start=1):
        _line(root, root_name, index, line, category, doc)
    return root


def line_category(line: InvoiceLine) -> Category:
    return tax_category(vat_tax(line))


def tax_category(tax: Tax | None) -> Category:
    if tax is None:
        return Category("Z", ZERO)
    if tax.reverse_charge_account_id is not None:
        return Category("AE", ZERO)
    return Category("Z" if tax.percent == 0 else "S", Decimal(tax.percent))


def _notes(doc: InvoiceDocument) -> list[str]:
    notes = [doc.invoice.narration] if doc.invoice.narration else []
    for row in doc.withholdings:
        notes.append(gettext("%(tax)s withheld by the buyer: %(amount)s %(currency)s on %(base)s",
                             tax=row.tax.name, amount=amount(-row.amount, doc.places),
                             currency=doc.invoice.currency_code, base=amount(row.base, doc.places)))
    return notes


def _party(parent, party: Party) -> None:
    node = child(parent, cac("Party"))
    scheme = VAT_SCHEMES.get(party.country_code or "")
    if party.vat and scheme:
        child(node, cbc("EndpointID"), party.vat_international, schemeID=scheme)
    elif party.email:
        child(node, cbc("EndpointID"), party.email, schemeID="EM")
    child(child(node, cac("PartyName")), cbc("Name"), party.name)
    address = child(node, cac("PostalAddress"))
    for tag, value in (("StreetName", party.street), ("AdditionalStreetName", party.street2),
                       ("CityName", party.city), ("PostalZone", party.zip), ("CountrySubentity", party.province)):
        if value:
            child(address, cbc(tag), value)
    if party.country_code:
        child(child(address, cac("Country")), cbc("IdentificationCode"), party.country_code)
    if party.vat:
        scheme_node = child(node, cac("PartyTaxScheme"))
        child(scheme_node, cbc("CompanyID"), party.vat_international)
        child(child(scheme_node, cac("TaxScheme")), cbc("ID"), "VAT")
    legal = child(node, cac("PartyLegalEntity"))
    child(legal, cbc("RegistrationName"), party.name)
    if party.email or party.phone:
        contact = child(node, cac("Contact"))
        if party.phone:
            child(contact, cbc("Telephone"), party.phone)
        if party.email:
            child(contact, cbc("ElectronicMail"), party.email)


def _tax_totals(root, doc: InvoiceDocument, line_categories: list[Category], home_currency: str) -> None:
    """One TaxTotal with a subtotal per VAT category and rate; a second one in the company currency if needed."""
    bases: dict[Category, Decimal] = defaultdict(lambda: ZERO)
    amounts: dict[Category, Decimal] = defaultdict(lambda: ZERO)
    for line, category in zip(doc.lines, line_categories, strict=True):
        bases[category] += line.subtotal
    for row in doc.vat_taxes:
        category = tax_category(row.tax)
        amounts[category] += ZERO if category.code == "AE" else row.amount
    currency = doc.invoice.currency_code
    total_tax = sum(amounts.values(), ZERO)
    total = child(root, cac("TaxTotal"))
    child(total, cbc("TaxAmount"), amount(total_tax, doc.places), currencyID=currency)
    for category in sorted(bases, key=lambda c: (c.code, c.percent)):
        subtotal = child(total, cac("TaxSubtotal"))
        child(subtotal, cbc("TaxableAmount"), amount(bases[category], doc.places), currencyID=currency)
        child(subtotal, cbc("TaxAmount"), amount(amounts[category], doc.places), currencyID=currency)
        _category(subtotal, "TaxCategory", category)
    if currency != home_currency:
        converted = child(root, cac("TaxTotal"))
        child(converted, cbc("TaxAmount"), amount(round_amount(total_tax * doc.invoice.rate, 2)),
              currencyID=home_currency)


def _category(parent, tag: str, category: Category) -> None:
    node = child(parent, cac(tag))
    child(node, cbc("ID"), category.code)
    child(node, cbc("Percent"), plain(category.percent))
    if category.code == "AE":
        child(node, cbc("TaxExemptionReasonCode"), "VATEX-EU-AE")
        child(node, cbc("TaxExemptionReason"), "Reverse charge")
    child(child(node, cac("TaxScheme")), cbc("ID"), "VAT")


def _line(root, root_name: str, index: int, line: InvoiceLine, category: Category, doc: InvoiceDocument) -> None:
    currency = doc.invoice.currency_code
    node = child(root, cac(f"{root_name}Line"))
    child(node, cbc("ID"), index)
    quantity_tag = "CreditedQuantity" if root_name == "CreditNote" else "InvoicedQuantity"
    child(node, cbc(quantity_tag), plain(line.quantity), unitCode=UNIT)
    child(node, cbc("LineExtensionAmount"), amount(line.subtotal, doc.places), currencyID=currency)
    included = any(tax.price_include for tax in line.taxes)
    if included:
        price = (line.subtotal / line.quantity).quantize(Decimal("0.000001"))
    else:
        price = Decimal(line.unit_price)
        gross = round_amount(line_amount(line.quantity, line.unit_price), doc.places)
        if gross != line.subtotal:
            allowance = child(node, cac("AllowanceCharge"))
            child(allowance, cbc("ChargeIndicator"), "false")
            child(allowance, cbc("AllowanceChargeReasonCode"), "95")
            child(allowance, cbc("MultiplierFactorNumeric"), plain(line.discount))
            child(allowance, cbc("Amount"), amount(gross - line.subtotal, doc.places), currencyID=currency)
            child(allowance, cbc("BaseAmount"), amount(gross, doc.places), currencyID=currency)
    item = child(node, cac("Item"))
    child(item, cbc("Name"), line.description[:100])
    if line.product is not None:
        child(child(item, cac("SellersItemIdentification")), cbc("ID"), line.product.code)
    _category(item, "ClassifiedTaxCategory", category)
    child(child(node, cac("Price")), cbc("PriceAmount"), plain(price), currencyID=currency)
