"""The invoice form's live totals (core.web.previews): the preview is what saving stores, to the cent, for every
tax combination and rounding setting; a chosen product fills its line; bad values, other users' products and
forged posts are refused, and a preview writes nothing."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from addons.accounting.models import Invoice, InvoiceLine, ProductAccounting, Tax
from addons.accounting.services.invoices import create_invoice, post_invoice
from addons.accounting.tests.conftest import client_for
from addons.accounting.tests.test_web import invoice_form

TODAY = dt.date.today()
D = Decimal


def _included(shop) -> Tax:
    sales = shop.tax("S_IVA21")
    tax = Tax(company_id=shop.company.id, code="S_IVA21_INC", name="IVA 21% incluido", use=sales.use,
              percent=D("21"), price_include=True, account_id=sales.account_id, sequence=9)
    shop.session.add(tax)
    shop.session.commit()
    return tax


def _stored(web, url: str) -> Invoice:
    return web.db.system().get(Invoice, int(url.rsplit("/", 1)[1]))


def _assert_same(preview: dict, invoice: Invoice) -> None:
    assert [D(line["subtotal"]["value"]) for line in preview["lines"]] == [line.subtotal for line in invoice.lines]
    assert [D(line["total"]["value"]) for line in preview["lines"]] == [line.total for line in invoice.lines]
    assert sorted((tax["name"], D(tax["base"]["value"]), D(tax["amount"]["value"])) for tax in preview["taxes"]) == \
        sorted((row.tax.name, row.base, row.amount) for row in invoice.taxes)
    assert (D(preview["untaxed"]["value"]), D(preview["tax"]["value"]), D(preview["total"]["value"])) == (
        invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total)


#: line sets, by the taxes' codes (INC: 21% included in the price), exercising rounding half up and withholdings
CASES = {
    "one tax": [{"description": "A", "quantity": "3", "unit_price": "10.005", "tax_ids": ["S_IVA21"]}],
    "tax and withholding": [
        {"description": "Consulting", "quantity": "2", "unit_price": "100", "discount": "10",
         "tax_ids": ["S_IVA21", "S_IRPF15"]},
        {"description": "Travel", "quantity": "1", "unit_price": "50.50", "tax_ids": ["S_IVA21"]}],
    "prices including tax": [{"description": f"Item {n}", "quantity": "1", "unit_price": "1.00", "tax_ids": ["INC"]}
                             for n in range(3)],
    "mixed rates and tiny prices": [
        {"description": "Screws", "quantity": "100", "unit_price": "0.0035", "tax_ids": ["S_IVA10"]},
        {"description": "Bolts", "quantity": "7", "unit_price": "0.333333", "discount": "2.5",
         "tax_ids": ["S_IVA21", "S_IVA10"]},
        {"description": "Return", "quantity": "-1", "unit_price": "0.99", "tax_ids": ["S_IVA4"]}],
}


@pytest.mark.parametrize("rounding", ["line", "global"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_the_preview_is_what_saving_stores(web, shop, case, rounding):
    included = _included(shop)
    shop.settings.tax_rounding = rounding
    shop.session.commit()
    codes = {"INC": included.id}
    lines = [{**line, "tax_ids": [codes.get(code) or shop.tax(code).id for code in line["tax_ids"]]}
             for line in CASES[case]]
    client = client_for(web, shop.billing())
    client.get("/accounting/invoices/new")
    preview, url = client.preview_and_save("/accounting/invoices/new",
                                           invoice_form(shop, shop.partner("Cliente"), lines))
    _assert_same(preview, _stored(web, url))
    assert preview["currency"] == "EUR" and "€" in preview["total"]["display"]


def test_editing_a_draft_previews_its_new_lines_and_a_supplier_bill_its_reverse_charge(web, shop):
    partner = shop.partner("Proveedor UE", country_code="FR")
    client = client_for(web, shop.accountant())
    bill = create_invoice(shop.session, partner_id=partner.id, kind="in_invoice", date=TODAY,
                          journal_id=shop.journal("BILL").id,
                          lines=[{"description": "Old", "unit_price": "1", "tax_ids": [shop.tax("P_IVA21").id]}])
    shop.session.commit()
    page = client.get(f"/accounting/bills/{bill.id}/edit").get_data(as_text=True)
    # the draft's taxes stay ticked (chosen in the taxes picker)
    assert re.search(rf'<option (selected value="{shop.tax("P_IVA21").id}"|value="{shop.tax("P_IVA21").id}" selected)>',
                     page)
    data = invoice_form(shop, partner, [
        {"description": "Licences", "quantity": "3", "unit_price": "333.33", "tax_ids": [shop.tax("P_IVA21_IC").id]},
        {"description": "Support", "quantity": "1", "unit_price": "99.99", "tax_ids": [shop.tax("P_IVA21").id]}],
        journal_id=str(shop.journal("BILL").id))
    preview, url = client.preview_and_save(f"/accounting/bills/{bill.id}/edit", data)
    stored = _stored(web, url)
    assert stored.id == bill.id and [line.description for line in stored.lines] == ["Licences", "Support"]
    _assert_same(preview, stored)
    assert len(preview["taxes"]) == 2  # the reverse charge is listed, and adds nothing to the total


def test_a_chosen_product_fills_its_line_with_the_services_defaults(web, shop):
    iva10 = shop.tax("S_IVA10")
    product = shop.product("BOOK", "Manual de taller", list_price="19.90")
    shop.session.add(ProductAccounting(product_id=product.id, company_id=shop.company.id,
                                       income_account_id=shop.account("705").id, sales_taxes=[iva10]))
    shop.session.commit()
    client = client_for(web, shop.billing())
    client.get("/accounting/invoices/new")
    answer = client.post("/accounting/invoices/preview", invoice_form(shop, shop.partner(), [
        {"product_id": product.id, "quantity": "2"}]))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    line = answer.get_json()["lines"][0]
    assert line["row"] == "lines-0"
    assert line["values"]["description"] == "Manual de taller" and line["values"]["unit_price"] == "19.9"
    assert line["values"]["account_id"] == shop.account("705").id and line["values"]["tax_ids"] == [iva10.id]
    assert D(line["subtotal"]["value"]) == D("39.80") and D(line["total"]["value"]) == D("43.78")


def test_bad_values_are_named_by_their_inputs_and_nothing_is_written(web, shop):
    partner = shop.partner()
    client = client_for(web, shop.billing())
    client.get("/accounting/invoices/new")
    before = web.db.system().scalar(select(func.count(Invoice.id)))
    letter = client.post("/accounting/invoices/preview", invoice_form(shop, partner, [
        {"description": "Fine", "quantity": "1", "unit_price": "5"},
        {"description": "Typo", "quantity": "2x", "unit_price": "5"}]))
    assert letter.status_code == 422
    assert letter.get_json()["errors"] == [{"field": "lines-1-quantity", "message": "Not a valid decimal value."}]
    negative = client.post("/accounting/invoices/preview", invoice_form(shop, partner, [
        {"description": "", "quantity": "1", "unit_price": ""},  # a blank row is dropped, as saving drops it
        {"description": "Deduction", "quantity": "1", "unit_price": "-5"}]))
    assert negative.status_code == 422
    assert negative.get_json()["errors"] == [{"field": "lines-1-unit_price", "message": (
        "The unit price cannot be negative; use a negative quantity for a deduction.")}]
    no_partner = client.post("/accounting/invoices/preview", invoice_form(shop, partner, [
        {"description": "A", "unit_price": "5"}], partner_id=""))
    assert no_partner.status_code == 422 and no_partner.get_json()["errors"][0]["field"] == "partner_id"
    ok = client.post("/accounting/invoices/preview", invoice_form(shop, partner, [
        {"description": "A", "unit_price": "5", "product_id": shop.product("X").id}]))
    assert ok.status_code == 200
    system = web.db.system()
    assert system.scalar(select(func.count(Invoice.id))) == before
    assert system.scalar(select(func.count(InvoiceLine.id))) == 0


def test_a_preview_needs_the_form_token_the_right_to_create_and_a_draft(web, shop):
    partner = shop.partner()
    data = invoice_form(shop, partner, [{"description": "A", "unit_price": "5"}])
    billing = client_for(web, shop.billing())
    forged = billing.post("/accounting/invoices/preview", data, csrf=False, headers={"Accept": "application/json"})
    assert forged.status_code == 400 and "expired" in forged.get_json()["error"]
    auditor = client_for(web, shop.auditor())
    assert auditor.post("/accounting/invoices/preview", data).status_code == 403
    posted = create_invoice(shop.session, partner_id=partner.id, date=TODAY, lines=[
        {"description": "Done", "unit_price": "10", "tax_ids": [shop.tax("S_IVA21").id]}])
    post_invoice(shop.session, posted)
    shop.session.commit()
    accountant = client_for(web, shop.accountant())
    assert accountant.post(f"/accounting/invoices/{posted.id}/preview", data).status_code == 403


def test_a_product_of_another_company_is_refused(web, shop):
    other = shop.generic()
    hidden = other.product("SECRET", "Other company's product", list_price="1")
    client = client_for(web, shop.billing())
    client.get("/accounting/invoices/new")
    answer = client.post("/accounting/invoices/preview", invoice_form(shop, shop.partner(), [
        {"product_id": hidden.id, "quantity": "1"}]))
    assert answer.status_code == 422
    assert answer.get_json()["errors"][0]["field"] == "lines-0-product_id"
    assert "Other company" not in answer.get_data(as_text=True)
