"""A salesperson quotes through the pages (priced from the customer's list, margin on the page, never on the
PDF), confirms and revises; price lists are the manager's pages."""
import datetime as dt
import re
from decimal import Decimal

from sqlalchemy import select

from addons.accounting.models import Tax
from addons.contacts.services import create_partner
from addons.products.services import create_product
from addons.sales.models import (
    CONFIRMED,
    FIXED,
    LIST,
    PRODUCT,
    REVISED,
    SaleOrder,
    SalesPartner,
)
from addons.sales.services.pricelists import create_pricelist, create_rule
from core.testing import pdf_text

TODAY = dt.date.today()


def _set_up(web):
    system = web.db.system()
    company = web.db.main_company
    drill = create_product(system, company.id, code="DRILL", name="Drill 18 V", list_price=Decimal(100),
                           cost=Decimal(60))
    bolts = create_product(system, company.id, code="BOLT", name="Bolt M6", list_price=Decimal("0.50"),
                           cost=Decimal("0.20"))
    customer = create_partner(system, company.id, name="Ferretería Ibérica S.L.", is_company=True, lang="es")
    pricelist = create_pricelist(system, company.id, name="Distributors", currency_code="EUR")
    create_rule(system, pricelist.id, applies_to=PRODUCT, product_id=drill.id, min_quantity=Decimal(2),
                method=LIST, percent=Decimal(-10))
    create_rule(system, pricelist.id, applies_to=PRODUCT, product_id=bolts.id, method=FIXED,
                fixed_price=Decimal("0.40"))
    system.add(SalesPartner(partner_id=customer.id, pricelist_id=pricelist.id, company_id=company.id))
    vat = system.scalar(select(Tax).where(Tax.company_id == company.id, Tax.code == "S_VAT20"))
    system.commit()
    web.db.user("ana", groups=["sales.group_salesperson"])
    web.db.user("boss", groups=["sales.group_manager"])
    return drill, bolts, customer, pricelist, vat


def _line(index, **values):
    blank = {"kind": "product", "product_id": "", "description": "", "quantity": "1", "uom_id": "",
             "unit_price": "", "discount": ""}
    return {f"lines-{index}-{key}": value for key, value in {**blank, **values}.items()}


def test_a_quote_is_made_confirmed_revised_and_printed_through_the_pages(web):
    drill, bolts, customer, _pricelist, vat = _set_up(web)
    ana = web.client()
    ana.login("ana")
    form = ana.get("/sales/orders/new")
    assert form.status_code == 200 and 'name="lines-0-product_id"' in form.get_data(as_text=True)
    created = ana.post("/sales/orders/new", data={
        "partner_id": str(customer.id), "pricelist_id": "", "date_order": TODAY.isoformat(), "validity_date": "",
        "currency_code": "", "payment_terms": "30 days", "user_id": "", "team_id": "", "notes": "",
        **_line(0, product_id=str(drill.id), quantity="2", tax_ids=str(vat.id)),
        **_line(1, product_id=str(bolts.id), quantity="100", discount="5"),
        **_line(2, kind="section", description="Options"),
        **_line(3, description="Installation", unit_price="80", optional="y")})
    assert created.status_code == 302, created.get_data(as_text=True)
    order_url = created.headers["Location"]
    order_id = int(re.search(r"/orders/(\d+)$", order_url).group(1))
    page = ana.get(order_url).get_data(as_text=True)
    # drill 2 × 90 = 180.00 + 20% VAT; bolts 100 × 0.40 − 5% = 38.00; the installation is optional
    assert "€218.00" in page and "€254.00" in page
    assert "list “Distributors”, 2+ units, −10%" in page and "list “Distributors”, fixed price" in page
    assert "Margin:</strong> €78.00 (35.8%)" in page and "product cost" in page  # 60 on the drills, 18 on the bolts
    assert "Confirm order" in page and "Mark as sent" in page and ">Edit<" in page

    sent = ana.post(f"/sales/orders/{order_id}/send", follow_redirects=True).get_data(as_text=True)
    number = f"SO/{TODAY.year}/00001"
    assert "Marked as sent" in sent and number in sent and "New revision" in sent
    pdf = ana.get(f"/sales/orders/{order_id}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    from addons.sales.documents import render_quote

    system = web.db.system()
    text = pdf_text(render_quote(system, system.get(SaleOrder, order_id)))
    assert "Presupuesto" in text and "254,00" in text and "Margen" not in text and "78,00" not in text

    revised = ana.post(f"/sales/orders/{order_id}/revise", follow_redirects=True).get_data(as_text=True)
    assert f"{number} rev. 1 is the new revision" in revised
    new_id = web.db.system().scalar(select(SaleOrder.id).where(SaleOrder.revision == 1))
    old_page = ana.get(order_url).get_data(as_text=True)
    assert "Revised" in old_page and ">Edit<" not in old_page and f"{number} rev. 1" in old_page
    confirmed = ana.post(f"/sales/orders/{new_id}/confirm", follow_redirects=True).get_data(as_text=True)
    assert f"{number} rev. 1 is a sales order now." in confirmed
    states = dict(web.db.system().execute(select(SaleOrder.id, SaleOrder.state)).all())
    assert states == {order_id: REVISED, new_id: CONFIRMED}
    listed = ana.get("/sales/orders/?q=ferreter").get_data(as_text=True)
    assert number in listed


def test_bad_lines_are_shown_next_to_the_field_and_nothing_is_saved(web):
    drill, _bolts, customer, _pricelist, _vat = _set_up(web)
    ana = web.client()
    ana.login("ana")
    refused = ana.post("/sales/orders/new", data={
        "partner_id": str(customer.id), "date_order": TODAY.isoformat(),
        **_line(0, product_id=str(drill.id), quantity="1", discount="150")})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    row = page[page.index('id="lines-0-discount"'):]
    assert row.index("Line 1: ") < row.index("</td>")
    assert web.db.system().query(SaleOrder).count() == 0


def test_price_lists_are_the_manager_s_pages(web):
    _drill, _bolts, _customer, pricelist, _vat = _set_up(web)
    ana = web.client()
    ana.login("ana")
    assert ana.get("/sales/pricelists/").status_code == 200
    assert ana.get(f"/sales/pricelists/{pricelist.id}/edit").status_code == 403
    assert ana.get("/sales/price-rules/new").status_code == 403
    boss = web.client()
    boss.login("boss")
    assert "Distributors" in boss.get("/sales/pricelists/").get_data(as_text=True)
    assert boss.get(f"/sales/pricelists/{pricelist.id}/edit").status_code == 200
    rules = boss.get("/sales/price-rules/?q=drill").get_data(as_text=True)  # the search finds the product's name
    assert "[DRILL] Drill 18 V" in rules and "[BOLT] Bolt M6" not in rules
    assert boss.get("/sales/teams/new").status_code == 200


def test_the_manager_gives_a_customer_its_price_list_on_the_partner_s_page(web):
    _drill, _bolts, _customer, pricelist, _vat = _set_up(web)
    system = web.db.system()
    rossi = create_partner(system, web.db.main_company.id, name="Rossi Arredamenti", is_company=True)
    system.commit()
    web.db.user("both", groups=["sales.group_manager", "contacts.group_manager"])
    boss = web.client()
    boss.login("both")
    form = boss.get(f"/contacts/partners/{rossi.id}/edit").get_data(as_text=True)
    assert 'name="pricelist_id"' in form
    saved = boss.post(f"/contacts/partners/{rossi.id}/edit", data={
        "name": "Rossi Arredamenti", "is_company": "y", "pricelist_id": str(pricelist.id)})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert web.db.system().get(SalesPartner, rossi.id).pricelist_id == pricelist.id
    page = boss.get(f"/contacts/partners/{rossi.id}").get_data(as_text=True)
    assert "Distributors" in page
