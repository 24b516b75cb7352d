"""FatturaPA 1.2 (``FPR12``, between private parties) of a posted customer invoice or credit note.

The company transmits its own invoices (``IdTrasmittente`` is its VAT
number) to a recipient without an SdI code (``CodiceDestinatario``
``0000000``: the buyer reads it in its tax drawer). A VAT of 0 % is
``Natura`` N2.2 (not subject), a reverse charge N6.9; a withholding
(ritenuta d'acconto) is ``DatiRitenuta`` with its lines marked
``Ritenuta SI``. ``ImportoTotaleDocumento`` includes VAT and is not net of
the ritenuta; the payment instalments are, as they are what the buyer pays.
A credit note (TD04) carries positive amounts, and a negative quantity
becomes a negative unit price (FatturaPA quantities are never negative).
The seller's block, its contacts and the IBAN each instalment is paid into
come from the company profile.
"""
from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from lxml import etree
from sqlalchemy.orm import Session

from ..models import Invoice
from .data import InvoiceDocument, Party, invoice_document, require_customer_document, vat_tax
from .elements import amount, child, plain, serialize

NAMESPACE = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"
NOT_SUBJECT, REVERSE_CHARGE = "N2.2", "N6.9"
ZERO = Decimal(0)
PROVINCE = re.compile(r"[A-Z]{2}")  # an Italian province's sigla (MI, RM); longer names are left out


def invoice_fatturapa(session: Session, invoice: Invoice) -> bytes:
    require_customer_document(invoice)
    return serialize(build(invoice_document(session, invoice)))


def build(doc: InvoiceDocument):
    invoice = doc.invoice
    root = etree.Element(f"{{{NAMESPACE}}}FatturaElettronica", nsmap={"p": NAMESPACE}, versione="FPR12")
    header = child(root, "FatturaElettronicaHeader")
    transmission = child(header, "DatiTrasmissione")
    _fiscal_id(transmission, "IdTrasmittente", doc.seller)
    child(transmission, "ProgressivoInvio", _ascii(f"{invoice.id:x}", 10))
    child(transmission, "FormatoTrasmissione", "FPR12")
    child(transmission, "CodiceDestinatario", "0000000")
    seller = child(header, "CedentePrestatore")
    data = child(seller, "DatiAnagrafici")
    _fiscal_id(data, "IdFiscaleIVA", doc.seller)
    child(child(data, "Anagrafica"), "Denominazione", doc.seller.name[:80])
    child(data, "RegimeFiscale", "RF01")
    _address(seller, doc.seller)
    _contacts(seller, doc.seller)
    buyer = child(header, "CessionarioCommittente")
    data = child(buyer, "DatiAnagrafici")
    if doc.buyer.vat:
        _fiscal_id(data, "IdFiscaleIVA", doc.buyer)
    child(child(data, "Anagrafica"), "Denominazione", doc.buyer.name[:80])
    _address(buyer, doc.buyer)

    body = child(root, "FatturaElettronicaBody")
    general = child(body, "DatiGenerali")
    document = child(general, "DatiGeneraliDocumento")
    child(document, "TipoDocumento", "TD04" if invoice.is_refund else "TD01")
    child(document, "Divisa", invoice.currency_code)
    child(document, "Data", invoice.date.isoformat())
    child(document, "Numero", _ascii(doc.number, 20))
    for row in doc.withholdings:
        withholding = child(document, "DatiRitenuta")
        child(withholding, "TipoRitenuta", "RT02" if doc.seller.is_company else "RT01")
        child(withholding, "ImportoRitenuta", amount(-row.amount))
        child(withholding, "AliquotaRitenuta", amount(-row.tax.percent))
        child(withholding, "CausalePagamento", "A")
    child(document, "ImportoTotaleDocumento", amount(doc.amount_with_vat))
    if invoice.narration:
        child(document, "Causale", invoice.narration[:200])
    if invoice.origin_invoice is not None:
        linked = child(general, "DatiFattureCollegate")
        child(linked, "IdDocumento", _ascii(invoice.origin_invoice.display_name, 20))
        child(linked, "Data", invoice.origin_invoice.date.isoformat())

    goods = child(body, "DatiBeniServizi")
    bases: dict[tuple[Decimal, str | None], Decimal] = defaultdict(lambda: ZERO)
    for number, line in enumerate(doc.lines, start=1):
        tax = vat_tax(line)
        rate, nature = _rate(tax)
        detail = child(goods, "DettaglioLinee")
        child(detail, "NumeroLinea", number)
        if line.product is not None:
            code = child(detail, "CodiceArticolo")
            child(code, "CodiceTipo", "INTERNO")
            child(code, "CodiceValore", line.product.code[:35])
        child(detail, "Descrizione", line.description[:1000])
        child(detail, "Quantita", plain(abs(line.quantity), 8))
        child(detail, "PrezzoUnitario", plain(-line.unit_price if line.quantity < 0 else line.unit_price, 8))
        if line.discount:
            discount = child(detail, "ScontoMaggiorazione")
            child(discount, "Tipo", "SC")
            child(discount, "Percentuale", amount(line.discount))
        child(detail, "PrezzoTotale", amount(line.subtotal))
        child(detail, "AliquotaIVA", amount(rate))
        if any(t.percent < 0 for t in line.taxes):
            child(detail, "Ritenuta", "SI")
        if nature:
            child(detail, "Natura", nature)
        bases[rate, nature] += line.subtotal
    taxes: dict[tuple[Decimal, str | None], Decimal] = defaultdict(lambda: ZERO)
    for row in doc.vat_taxes:
        rate, nature = _rate(row.tax)
        taxes[rate, nature] += ZERO if nature else row.amount
    for rate, nature in sorted(bases, key=lambda key: (key[0], key[1] or "")):
        recap = child(goods, "DatiRiepilogo")
        child(recap, "AliquotaIVA", amount(rate))
        if nature:
            child(recap, "Natura", nature)
        child(recap, "ImponibileImporto", amount(bases[rate, nature]))
        child(recap, "Imposta", amount(taxes[rate, nature]))
        child(recap, "EsigibilitaIVA", "I")

    payment = child(body, "DatiPagamento")
    child(payment, "CondizioniPagamento", "TP01" if len(doc.instalments) > 1 else "TP02")
    for item in doc.instalments:
        detail = child(payment, "DettaglioPagamento")
        child(detail, "ModalitaPagamento", "MP05")
        child(detail, "DataScadenzaPagamento", item.date.isoformat())
        child(detail, "ImportoPagamento", amount(item.amount))
        if doc.iban:
            child(detail, "IBAN", doc.iban)
    return root


def _rate(tax) -> tuple[Decimal, str | None]:
    if tax is None:
        return ZERO, NOT_SUBJECT
    if tax.reverse_charge_account_id is not None:
        return ZERO, REVERSE_CHARGE
    if tax.percent == 0:
        return ZERO, NOT_SUBJECT
    return Decimal(tax.percent), None


def _fiscal_id(parent, tag: str, party: Party) -> None:
    node = child(parent, tag)
    child(node, "IdPaese", party.country_code or "IT")
    child(node, "IdCodice", (party.vat_number or party.name.replace(" ", "")[:28]).upper()[:28])


def _address(parent, party: Party) -> None:
    seat = child(parent, "Sede")
    child(seat, "Indirizzo", (party.street or "-")[:60])
    child(seat, "CAP", party.zip if party.zip and party.zip.isdigit() and len(party.zip) == 5 else "00000")
    child(seat, "Comune", (party.city or "-")[:60])
    if party.province and PROVINCE.fullmatch(party.province):
        child(seat, "Provincia", party.province)
    child(seat, "Nazione", party.country_code or "IT")


def _contacts(parent, party: Party) -> None:
    """The phone (5 to 12 characters, as FatturaPA wants it) and the email, when there are any."""
    phone = "".join((party.phone or "").split())
    present = [(tag, value) for tag, value in (("Telefono", phone if 5 <= len(phone) <= 12 else None),
                                               ("Email", party.email)) if value]
    if present:
        contacts = child(parent, "Contatti")
        for tag, value in present:
            child(contacts, tag, value)


def _ascii(text: str, limit: int) -> str:
    return text.encode("ascii", "replace").decode()[:limit]
