"""Facturae 3.2.2 (Spain) of a posted customer invoice or credit note, unsigned.

One invoice per file (modality ``I``) issued by the seller (``EM``). VAT is
tax type 01 and IRPF withholding 04 (``TaxesWithheld``); a reverse charge
shows a 0 % rate and its legal literal. ``InvoiceTotal`` is net of the
withholding, as Facturae defines it. A credit note is a corrective invoice
(class ``OR``) "by differences": its quantities and amounts are negative.
Parties are written as legal entities; a Spanish address needs a 5-digit
post code. The company's province, contact details and IBAN (the account
each instalment is paid into) come from its profile; a partner records no
province, so its city stands in.

The XAdES signature that FACe requires is added by the signing tool of the
company's certificate, outside Bottega.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from flask_babel import gettext
from lxml import etree
from sqlalchemy.orm import Session

from core.errors import ValidationError

from ..models import Invoice
from .data import InvoiceDocument, Party, invoice_document, require_customer_document, vat_tax
from .elements import amount, child, plain, serialize

NAMESPACE = "http://www.facturae.gob.es/formato/Versiones/Facturaev3_2_2.xml"
VAT, IRPF = "01", "04"
TRANSFER = "04"
#: ISO 3166 alpha-3 codes Facturae wants, for the countries invoices usually go to.
ALPHA3 = {"ES": "ESP", "PT": "PRT", "FR": "FRA", "IT": "ITA", "DE": "DEU", "AT": "AUT", "BE": "BEL", "NL": "NLD",
          "LU": "LUX", "IE": "IRL", "DK": "DNK", "SE": "SWE", "FI": "FIN", "PL": "POL", "CZ": "CZE", "SK": "SVK",
          "HU": "HUN", "RO": "ROU", "BG": "BGR", "GR": "GRC", "HR": "HRV", "SI": "SVN", "EE": "EST", "LV": "LVA",
          "LT": "LTU", "CY": "CYP", "MT": "MLT", "GB": "GBR", "CH": "CHE", "NO": "NOR", "US": "USA", "CA": "CAN",
          "MX": "MEX", "AD": "AND", "MA": "MAR", "CN": "CHN", "JP": "JPN", "BR": "BRA", "AR": "ARG"}
EU = {"PT", "FR", "IT", "DE", "AT", "BE", "NL", "LU", "IE", "DK", "SE", "FI", "PL", "CZ", "SK", "HU", "RO", "BG",
      "GR", "HR", "SI", "EE", "LV", "LT", "CY", "MT"}
ZERO = Decimal(0)


def invoice_facturae(session: Session, invoice: Invoice) -> bytes:
    require_customer_document(invoice)
    return serialize(build(invoice_document(session, invoice)))


def build(doc: InvoiceDocument):
    invoice = doc.invoice
    sign = Decimal(-1) if invoice.is_refund else Decimal(1)
    root = etree.Element(f"{{{NAMESPACE}}}Facturae", nsmap={"fe": NAMESPACE})
    header = child(root, "FileHeader")
    child(header, "SchemaVersion", "3.2.2")
    child(header, "Modality", "I")
    child(header, "InvoiceIssuerType", "EM")
    batch = child(header, "Batch")
    child(batch, "BatchIdentifier", f"{_tax_number(doc.seller)}{doc.number}"[:70])
    child(batch, "InvoicesCount", 1)
    for tag in ("TotalInvoicesAmount", "TotalOutstandingAmount", "TotalExecutableAmount"):
        child(child(batch, tag), "TotalAmount", amount(sign * invoice.amount_total))
    child(batch, "InvoiceCurrencyCode", invoice.currency_code)
    parties = child(root, "Parties")
    _party(child(parties, "SellerParty"), doc.seller)
    _party(child(parties, "BuyerParty"), doc.buyer)

    node = child(child(root, "Invoices"), "Invoice")
    head = child(node, "InvoiceHeader")
    child(head, "InvoiceNumber", doc.number[:20])
    child(head, "InvoiceDocumentType", "FC")
    child(head, "InvoiceClass", "OR" if invoice.is_refund else "OO")
    if invoice.is_refund:
        _corrective(head, invoice)
    issue = child(node, "InvoiceIssueData")
    child(issue, "IssueDate", invoice.date.isoformat())
    child(issue, "InvoiceCurrencyCode", invoice.currency_code)
    if invoice.currency_code != "EUR":
        exchange = child(issue, "ExchangeRateDetails")
        child(exchange, "ExchangeRate", f"{Decimal(invoice.rate).normalize():f}")
        child(exchange, "ExchangeRateDate", invoice.date.isoformat())
    child(issue, "TaxCurrencyCode", "EUR")
    child(issue, "LanguageName", doc.lang)

    outputs = child(node, "TaxesOutputs")
    bases: dict[Decimal, Decimal] = defaultdict(lambda: ZERO)
    for line in doc.lines:
        bases[_rate(vat_tax(line))] += line.subtotal
    amounts: dict[Decimal, Decimal] = defaultdict(lambda: ZERO)
    for row in doc.vat_taxes:
        amounts[_rate(row.tax)] += row.amount if _rate(row.tax) else ZERO
    for rate in sorted(bases):
        _tax(outputs, "Tax", VAT, rate, sign * bases[rate], sign * amounts[rate])
    if doc.withholdings:
        withheld = child(node, "TaxesWithheld")
        for row in doc.withholdings:
            _tax(withheld, "Tax", IRPF, -row.tax.percent, sign * row.base, -sign * row.amount)
    totals = child(node, "InvoiceTotals")
    vat_total = sum((row.amount for row in doc.vat_taxes if row.tax.reverse_charge_account_id is None), ZERO)
    for tag, value in (("TotalGrossAmount", invoice.amount_untaxed),
                       ("TotalGrossAmountBeforeTaxes", invoice.amount_untaxed), ("TotalTaxOutputs", vat_total),
                       ("TotalTaxesWithheld", doc.amount_withheld), ("InvoiceTotal", invoice.amount_total),
                       ("TotalOutstandingAmount", invoice.amount_total),
                       ("TotalExecutableAmount", invoice.amount_total)):
        child(totals, tag, amount(sign * value))
    items = child(node, "Items")
    for line, computed in zip(doc.lines, doc.line_amounts, strict=True):
        _line(items, line, computed, sign)
    payment = child(node, "PaymentDetails")
    for item in doc.instalments:
        instalment = child(payment, "Installment")
        child(instalment, "InstallmentDueDate", item.date.isoformat())
        child(instalment, "InstallmentAmount", amount(sign * item.amount))
        child(instalment, "PaymentMeans", TRANSFER)
        if doc.iban:
            child(child(instalment, "AccountToBeCredited"), "IBAN", doc.iban)
    if any(row.tax.reverse_charge_account_id for row in doc.vat_taxes):
        literals = child(node, "LegalLiterals")
        child(literals, "LegalReference", "Inversión del sujeto pasivo")
    return root


def _line(items, line, computed, sign: Decimal) -> None:
    node = child(items, "InvoiceLine")
    child(node, "ItemDescription", line.description)
    child(node, "Quantity", f"{sign * line.quantity:f}")
    if any(tax.price_include for tax in line.taxes):
        unit_price = (line.subtotal / line.quantity).quantize(Decimal("0.00000001"))
        cost = line.subtotal
    else:
        unit_price = Decimal(line.unit_price)
        cost = (line.quantity * unit_price).quantize(Decimal("0.01"))
    child(node, "UnitPriceWithoutTax", plain(unit_price, 8))
    child(node, "TotalCost", plain(sign * cost, 8))
    if cost != line.subtotal:
        discount = child(child(node, "DiscountsAndRebates"), "Discount")
        child(discount, "DiscountReason", "Descuento")
        child(discount, "DiscountRate", plain(line.discount, 8))
        child(discount, "DiscountAmount", plain(sign * (cost - line.subtotal), 8))
    child(node, "GrossAmount", plain(sign * line.subtotal, 8))
    withholdings = [item for item in computed.taxes if item.tax.percent < 0]
    if withholdings:
        withheld = child(node, "TaxesWithheld")
        for item in withholdings:
            _tax(withheld, "Tax", IRPF, -item.tax.percent, sign * item.base, -sign * item.amount)
    outputs = child(node, "TaxesOutputs")
    vat = vat_tax(line)
    rate = _rate(vat)
    item = next((item for item in computed.taxes if item.tax is vat), None)
    _tax(outputs, "Tax", VAT, rate, sign * line.subtotal, sign * item.amount if rate else ZERO)
    if line.product is not None:
        child(node, "ArticleCode", line.product.code[:20])


def _rate(tax) -> Decimal:
    """The VAT rate charged: none for a line without VAT or in reverse charge."""
    if tax is None or tax.reverse_charge_account_id is not None:
        return ZERO
    return Decimal(tax.percent)


def _tax(parent, tag: str, code: str, rate: Decimal, base: Decimal, tax_amount: Decimal) -> None:
    node = child(parent, tag)
    child(node, "TaxTypeCode", code)
    child(node, "TaxRate", amount(rate))
    child(child(node, "TaxableBase"), "TotalAmount", amount(base))
    child(child(node, "TaxAmount"), "TotalAmount", amount(tax_amount))


def _corrective(head, invoice: Invoice) -> None:
    corrective = child(head, "Corrective")
    origin = invoice.origin_invoice
    if origin is not None:
        child(corrective, "InvoiceNumber", origin.display_name[:20])
    child(corrective, "ReasonCode", "16")
    child(corrective, "ReasonDescription", "Base imponible")
    period = child(corrective, "TaxPeriod")
    start = origin.date if origin is not None else invoice.date
    child(period, "StartDate", start.isoformat())
    child(period, "EndDate", start.isoformat())
    child(corrective, "CorrectionMethod", "02")
    child(corrective, "CorrectionMethodDescription", "Rectificación por diferencias")


def _party(parent, party: Party) -> None:
    identification = child(parent, "TaxIdentification")
    child(identification, "PersonTypeCode", "J" if party.is_company else "F")
    country = party.country_code or "ES"
    child(identification, "ResidenceTypeCode", "R" if country == "ES" else "U" if country in EU else "E")
    child(identification, "TaxIdentificationNumber", _tax_number(party))
    entity = child(parent, "LegalEntity")
    child(entity, "CorporateName", party.name[:80])
    if country == "ES":
        if not (party.zip and party.zip.isdigit() and len(party.zip) == 5):
            raise ValidationError(gettext("%(name)s needs a 5-digit post code for a Facturae invoice.",
                                          name=party.name))
        address = child(entity, "AddressInSpain")
        child(address, "Address", (party.street or "-")[:80])
        child(address, "PostCode", party.zip)
        child(address, "Town", (party.city or "-")[:50])
        child(address, "Province", (party.province or party.city or "-")[:20])
        child(address, "CountryCode", "ESP")
    else:
        if country not in ALPHA3:
            raise ValidationError(gettext("Facturae does not know the country %(code)s of %(name)s.",
                                          code=country, name=party.name))
        address = child(entity, "OverseasAddress")
        child(address, "Address", (party.street or "-")[:80])
        child(address, "PostCodeAndTown", " ".join(part for part in (party.zip, party.city) if part) or "-")
        child(address, "Province", (party.province or party.city or "-")[:20])
        child(address, "CountryCode", ALPHA3[country])
    _contact(entity, party)


def _contact(entity, party: Party) -> None:
    """Phone, web address and email, each where it fits Facturae's lengths (15, 60, 60 characters)."""
    phone = "".join((party.phone or "").split())
    values = (("Telephone", phone, 15), ("WebAddress", party.website, 60), ("ElectronicMail", party.email, 60))
    present = [(tag, value) for tag, value, limit in values if value and len(value) <= limit]
    if present:
        details = child(entity, "ContactDetails")
        for tag, value in present:
            child(details, tag, value)


def _tax_number(party: Party) -> str:
    """Spanish NIF without prefix for residents; the full VAT number (with country) for others."""
    if not party.vat:
        raise ValidationError(gettext("%(name)s needs a tax number for a Facturae invoice.", name=party.name))
    return party.vat_number if (party.country_code or "ES") == "ES" else party.vat.replace(" ", "").upper()

