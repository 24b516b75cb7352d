"""A buyer prepares a request through the pages, confirms it above the limit, a manager approves it."""
import re
from decimal import Decimal

from addons.contacts.services import create_partner
from addons.products.services import create_product
from addons.purchase.models import PURCHASE, TO_APPROVE, PurchaseOrder, PurchaseSettings
from addons.purchase.services.prices import create_supplier_price
from addons.purchase.services.settings import set_approval_amount


def test_a_request_is_created_confirmed_approved_and_printed_through_the_pages(web):
    system = web.db.system()
    company = web.db.main_company
    paint = create_product(system, company.id, code="PAINT", name="White paint")
    supplier = create_partner(system, company.id, name="Colori Srl", is_company=True, lang="it",
                              email="ordini@colori.it")
    create_supplier_price(system, company.id, product_id=paint.id, supplier_id=supplier.id, price=Decimal("17.50"),
                          lead_time=7)
    set_approval_amount(system, company.id, amount=Decimal(100))
    system.commit()
    web.db.user("buyer", groups=["purchase.group_user"])
    web.db.user("boss", groups=["purchase.group_manager"])
    buyer = web.client()
    buyer.login("buyer")

    created = buyer.post("/purchase/orders/new", data={
        "partner_id": str(supplier.id), "date_order": "2026-06-15", "currency_code": "EUR",
        "lines-0-product_id": str(paint.id), "lines-0-quantity": "10", "lines-0-description": "",
        "lines-0-uom_id": "", "lines-0-unit_price": "", "lines-0-expected_date": "",
        "lines-1-product_id": "", "lines-1-quantity": "1", "lines-1-description": "", "lines-1-uom_id": "",
        "lines-1-unit_price": "", "lines-1-expected_date": ""})
    assert created.status_code == 302, created.get_data(as_text=True)
    order_url = created.headers["Location"]
    order_id = int(re.search(r"/orders/(\d+)$", order_url).group(1))
    page = buyer.get(order_url).get_data(as_text=True)
    assert "€175.00" in page and "Confirm order" in page and "Send by email" in page and ">Edit<" in page

    confirmed = buyer.post(f"/purchase/orders/{order_id}/confirm", follow_redirects=True).get_data(as_text=True)
    assert "PO/2026/00001 is waiting for a purchase manager&#39;s approval." in confirmed
    assert ">Edit<" not in confirmed and ">Approve<" not in confirmed
    refused = buyer.post(f"/purchase/orders/{order_id}/approve", follow_redirects=True).get_data(as_text=True)
    assert "Only a purchase manager can approve orders; buyer cannot." in refused
    assert web.db.system().get(PurchaseOrder, order_id).state == TO_APPROVE

    boss = web.client()
    boss.login("boss")
    approved = boss.post(f"/purchase/orders/{order_id}/approve", follow_redirects=True).get_data(as_text=True)
    assert "Approved: the order is confirmed." in approved and "Lock" in approved
    assert web.db.system().get(PurchaseOrder, order_id).state == PURCHASE
    pdf = boss.get(f"/purchase/orders/{order_id}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert "PO-2026-00001.pdf" in pdf.headers["Content-Disposition"]

    listed = buyer.get("/purchase/orders/?q=colori").get_data(as_text=True)
    assert "PO/2026/00001" in listed
    settings_id = web.db.system().query(PurchaseSettings).filter_by(company_id=company.id).one().id
    assert buyer.get(f"/purchase/settings/{settings_id}/edit").status_code == 403
    assert boss.get(f"/purchase/settings/{settings_id}/edit").status_code == 200


def test_bad_lines_in_the_form_are_shown_next_to_the_field(web):
    system = web.db.system()
    company = web.db.main_company
    paint = create_product(system, company.id, code="PAINT", name="White paint")
    supplier = create_partner(system, company.id, name="Colori Srl", is_company=True)
    system.commit()
    web.db.user("buyer", groups=["purchase.group_user"])
    buyer = web.client()
    buyer.login("buyer")
    refused = buyer.post("/purchase/orders/new", data={
        "partner_id": str(supplier.id), "date_order": "2026-06-15", "currency_code": "EUR",
        "lines-0-product_id": str(paint.id), "lines-0-quantity": "-2", "lines-0-unit_price": "3"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    row = page[page.index('id="lines-0-quantity"'):]
    assert row.index("Line 1: It must be at least 0.0001.") < row.index("</td>")
    assert web.db.system().query(PurchaseOrder).count() == 0


def test_the_product_page_shows_the_preferred_supplier_and_last_price_and_a_manager_sets_the_purchase_unit(web):
    from addons.products.units import unit_by_code
    from addons.purchase.models import PurchaseProduct
    from addons.purchase.services.orders import confirm_order, create_order

    system = web.db.system()
    company = web.db.main_company
    paint = create_product(system, company.id, code="PAINT", name="White paint")
    supplier = create_partner(system, company.id, name="Colori Srl", is_company=True)
    create_supplier_price(system, company.id, product_id=paint.id, supplier_id=supplier.id, price=Decimal("17.50"))
    confirm_order(system, create_order(system, company.id, partner_id=supplier.id,
                                       lines=[{"product_id": paint.id, "quantity": 2}]))
    box = unit_by_code(system, "box12")
    system.commit()
    web.db.user("boss", groups=["purchase.group_manager", "products.group_manager"])
    boss = web.client()
    boss.login("boss")
    page = boss.get(f"/products/products/{paint.id}").get_data(as_text=True)
    assert "Preferred supplier" in page and "Colori Srl" in page and "Last purchase price" in page and "17.5" in page
    form = boss.get(f"/products/products/{paint.id}/edit").get_data(as_text=True)
    assert 'name="purchase_uom_id"' in form and 'name="preferred_supplier_id"' not in form
    saved = boss.post(f"/products/products/{paint.id}/edit", data={
        "code": "PAINT", "name": "White paint", "kind": "goods", "list_price": "0", "cost": "0",
        "active": "y", "purchase_uom_id": str(box.id)})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert web.db.system().get(PurchaseProduct, paint.id).purchase_uom_id == box.id
