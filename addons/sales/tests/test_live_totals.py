"""The quotation form's live totals (core.web.previews): the preview is what saving stores, priced from the
customer's list, for several taxes and both roundings; a chosen product fills its line from the price list; other
companies' products and price lists, bad values and forged posts are refused; a preview writes nothing."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from addons.accounting.models import Settings, Tax
from addons.products.services import create_product
from addons.sales.models import SaleOrder
from addons.sales.services.pricelists import create_pricelist
from addons.sales.tests.test_web import TODAY, _line, _set_up
from core.models import Company

D = Decimal


def _header(customer, **values) -> dict:
    return {"partner_id": str(customer.id), "pricelist_id": "", "date_order": TODAY.isoformat(), "validity_date": "",
            "currency_code": "", "payment_terms": "", "user_id": "", "team_id": "", "notes": "", **values}


def _assert_same(preview: dict, order: SaleOrder) -> None:
    assert [(D(line["subtotal"]["value"]), D(line["total"]["value"])) for line in preview["lines"]] == [
        (line.subtotal, line.total) for line in order.lines]
    assert (D(preview["untaxed"]["value"]), D(preview["tax"]["value"]), D(preview["total"]["value"])) == (
        order.amount_untaxed, order.amount_tax, order.amount_total)
    counted = sum((D(tax["amount"]["value"]) for tax in preview["taxes"]), D(0))
    assert counted == order.amount_tax  # no reverse charge on sales: every tax listed counts


def _taxes(web):
    system = web.db.system()
    company = web.db.main_company
    vat = system.scalar(select(Tax).where(Tax.company_id == company.id, Tax.code == "S_VAT20"))
    included = Tax(company_id=company.id, code="S_VAT20_INC", name="VAT 20% included", use=vat.use,
                   percent=D("20"), price_include=True, account_id=vat.account_id, sequence=9)
    withholding = Tax(company_id=company.id, code="S_WH15", name="Withholding -15%", use=vat.use,
                      percent=D("-15"), account_id=vat.account_id, sequence=30)
    system.add_all([included, withholding])
    system.commit()
    return vat.id, included.id, withholding.id


@pytest.mark.parametrize("rounding", ["line", "global"])
def test_the_preview_is_what_saving_stores(web, rounding):
    drill, bolts, customer, _pricelist, vat = _set_up(web)
    vat_id, included_id, withholding_id = _taxes(web)
    system = web.db.system()
    system.scalars(select(Settings)).first().tax_rounding = rounding
    system.commit()
    ana = web.client()
    ana.login("ana")
    ana.get("/sales/orders/new")
    data = _header(customer, **_line(0, product_id=str(drill.id), quantity="3", tax_ids=[str(vat_id)]),
                   **_line(1, product_id=str(bolts.id), quantity="333", discount="2.5",
                           tax_ids=[str(vat_id), str(withholding_id)]),
                   **_line(2, kind="section", description="Extras"),
                   **_line(3, description="Gift wrap", unit_price="1.00", quantity="3", tax_ids=[str(included_id)]),
                   **_line(4, description="Installation", unit_price="80.555", optional="y",
                           tax_ids=[str(vat_id)]))
    preview, url = ana.preview_and_save("/sales/orders/new", data)
    order = system.get(SaleOrder, int(url.rsplit("/", 1)[1]))
    system.refresh(order)
    assert [line.description for line in order.lines] == ["[DRILL] Drill 18 V", "[BOLT] Bolt M6", "Extras", "Gift wrap",
                                                           "Installation"]
    _assert_same(preview, order)
    assert preview["lines"][0]["values"]["unit_price"] == "90"  # the list's 2+ units −10 %

    ana.get(f"/sales/orders/{order.id}/edit")
    changed = {**data, "lines-0-quantity": "1", "lines-0-unit_price": "", "lines-1-unit_price": "0.45"}
    preview, url = ana.preview_and_save(f"/sales/orders/{order.id}/edit", changed)
    system.rollback()  # a new transaction sees the save
    order = system.get(SaleOrder, order.id)
    _assert_same(preview, order)
    assert order.lines[0].unit_price == D(100) and preview["lines"][0]["values"]["unit_price"] == "100"


def test_a_chosen_product_fills_its_line_from_the_customers_price_list(web):
    drill, bolts, customer, _pricelist, vat = _set_up(web)
    ana = web.client()
    ana.login("ana")
    ana.get("/sales/orders/new")
    answer = ana.post("/sales/orders/preview", _header(customer, **_line(0, product_id=str(bolts.id),
                                                                          quantity="10")))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    line = answer.get_json()["lines"][0]
    assert line["values"]["description"] == "[BOLT] Bolt M6" and line["values"]["unit_price"] == "0.4"
    assert line["values"]["uom_id"] == bolts.uom_id
    assert line["subtotal"]["value"] == "4.00" and answer.get_json()["total"]["display"].startswith("€")


def test_other_companies_products_and_price_lists_bad_values_and_forged_posts_are_refused(web):
    drill, _bolts, customer, _pricelist, _vat = _set_up(web)
    system = web.db.system()
    other = Company(name="Other S.p.A.", currency_code="EUR")
    system.add(other)
    system.flush()
    hidden = create_product(system, other.id, code="HIDDEN", name="Hidden product", list_price=D(5))
    foreign_list = create_pricelist(system, other.id, name="Their list", currency_code="EUR")
    system.commit()
    before = system.scalar(select(func.count(SaleOrder.id)))
    ana = web.client()
    ana.login("ana")
    ana.get("/sales/orders/new")

    product = ana.post("/sales/orders/preview", _header(customer, **_line(0, product_id=str(hidden.id))))
    assert product.status_code == 422 and product.get_json()["errors"][0]["field"] == "lines-0-product_id"
    pricelist = ana.post("/sales/orders/preview", _header(customer, pricelist_id=str(foreign_list.id),
                                                          **_line(0, product_id=str(drill.id))))
    assert pricelist.status_code == 422 and pricelist.get_json()["errors"][0]["field"] == "pricelist_id"
    assert "Hidden product" not in product.get_data(as_text=True) + pricelist.get_data(as_text=True)
    assert "Their list" not in pricelist.get_data(as_text=True)

    letter = ana.post("/sales/orders/preview", _header(customer, **_line(0, product_id=str(drill.id),
                                                                         quantity="x3")))
    assert letter.get_json()["errors"] == [{"field": "lines-0-quantity", "message": "Not a valid decimal value."}]
    forged = ana.post("/sales/orders/preview", _header(customer, **_line(0, product_id=str(drill.id))), csrf=False,
                      headers={"Accept": "application/json"})
    assert forged.status_code == 400
    assert system.scalar(select(func.count(SaleOrder.id))) == before
