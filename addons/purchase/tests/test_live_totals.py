"""The request form's live totals (core.web.previews): the preview is what saving stores, priced from the
supplier's prices; a chosen product fills its line; bad values and a request no longer editable are refused; a
preview writes nothing."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from addons.contacts.services import create_partner
from addons.products.services import create_product
from addons.purchase.models import PurchaseOrder
from addons.purchase.services.orders import confirm_order
from addons.purchase.services.prices import create_supplier_price

D = Decimal


def _line(index: int, **values) -> dict:
    blank = {"product_id": "", "quantity": "1", "description": "", "uom_id": "", "unit_price": "",
             "expected_date": ""}
    return {f"lines-{index}-{name}": value for name, value in {**blank, **values}.items()}


def _set_up(web):
    system = web.db.system()
    company = web.db.main_company
    paint = create_product(system, company.id, code="PAINT", name="White paint")
    brush = create_product(system, company.id, code="BRUSH", name="Brush")
    supplier = create_partner(system, company.id, name="Colori Srl", is_company=True)
    create_supplier_price(system, company.id, product_id=paint.id, supplier_id=supplier.id, price=D("17.505"),
                          lead_time=7)
    create_supplier_price(system, company.id, product_id=brush.id, supplier_id=supplier.id, price=D("2.10"),
                          min_quantity=D(10), lead_time=3)
    system.commit()
    web.db.user("buyer", groups=["purchase.group_user"])
    buyer = web.client()
    buyer.login("buyer")
    buyer.get("/purchase/orders/new")
    return paint, brush, supplier, buyer


def _header(supplier) -> dict:
    return {"partner_id": str(supplier.id), "date_order": "2026-06-15", "currency_code": "EUR",
            "supplier_reference": "", "notes": ""}


def test_the_preview_is_what_saving_stores_with_the_supplier_prices_filled_in(web):
    paint, brush, supplier, buyer = _set_up(web)
    data = {**_header(supplier), **_line(0, product_id=str(paint.id), quantity="3"),
            **_line(1, product_id=str(brush.id), quantity="12"),
            **_line(2, product_id=str(brush.id), quantity="1", unit_price="2.995")}
    preview, url = buyer.preview_and_save("/purchase/orders/new", data)
    order = web.db.system().get(PurchaseOrder, int(url.rsplit("/", 1)[1]))
    assert [D(line["subtotal"]["value"]) for line in preview["lines"]] == [line.subtotal for line in order.lines]
    assert D(preview["total"]["value"]) == order.amount_total == D("52.52") + D("25.20") + D("3.00")
    assert preview["taxes"] == [] and D(preview["tax"]["value"]) == 0
    assert preview["lines"][0]["values"]["unit_price"] == "17.505"
    assert preview["lines"][0]["values"]["description"] == "[PAINT] White paint"
    assert "tax_ids" not in preview["lines"][0]["values"]

    buyer.get(f"/purchase/orders/{order.id}/edit")
    changed = {**data, "lines-0-quantity": "1"}
    preview, _url = buyer.preview_and_save(f"/purchase/orders/{order.id}/edit", changed)
    system = web.db.system()
    order = system.get(PurchaseOrder, order.id)
    assert D(preview["total"]["value"]) == order.amount_total == D("17.51") + D("25.20") + D("3.00")


def test_the_form_shows_one_total_and_no_taxes(web):
    paint, _brush, supplier, buyer = _set_up(web)
    page = buyer.get("/purchase/orders/new").get_data(as_text=True)
    assert "data-preview=" in page and 'data-total="total"' in page
    assert 'data-total="untaxed"' not in page and 'data-total="tax"' not in page


def test_a_bad_value_or_a_product_without_price_is_named_and_nothing_is_written(web):
    paint, brush, supplier, buyer = _set_up(web)
    bad = buyer.post("/purchase/orders/preview", {**_header(supplier), **_line(0, product_id=str(paint.id),
                                                                              quantity="-2")})
    assert bad.status_code == 422
    assert bad.get_json()["errors"][0]["field"] == "lines-0-quantity"
    unpriced = buyer.post("/purchase/orders/preview", {**_header(supplier), **_line(0, product_id=str(brush.id),
                                                                                   quantity="2")})
    assert unpriced.status_code == 422
    error = unpriced.get_json()["errors"][0]
    assert error["field"] == "lines-0-unit_price" and "has no price for [BRUSH] Brush" in error["message"]
    assert web.db.system().scalar(select(func.count()).select_from(PurchaseOrder)) == 0


def test_a_confirmed_order_has_no_preview(web):
    paint, _brush, supplier, buyer = _set_up(web)
    data = {**_header(supplier), **_line(0, product_id=str(paint.id), quantity="1")}
    _preview, url = buyer.preview_and_save("/purchase/orders/new", data)
    system = web.db.system()
    order = system.get(PurchaseOrder, int(url.rsplit("/", 1)[1]))
    confirm_order(system, order)
    system.commit()
    refused = buyer.post(f"/purchase/orders/{order.id}/preview", data)
    assert refused.status_code == 403
