"""The quotation page shows where a line's cost comes from and warns of a quantity not there in time, and the
order page its deliveries and what cancelling could not take back, in the user's language; a line's
warehouse is chosen on the quotation form."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from sqlalchemy import select

from addons.contacts.services import create_partner
from addons.products.services import create_product
from addons.sales.services.quotes import create_quote
from addons.sales_stock.models import SaleDelivery
from addons.stock.models import Transfer
from addons.stock.models.moves import RECEIPT
from addons.stock.services.setup import create_warehouse
from addons.stock.services.transfers import create_transfer, process_transfer
from addons.stock.tests.test_valuation import Books


def test_the_quote_page_shows_the_stock_cost_and_the_warning_in_spanish(web):
    manager = web.db.user("jefe", groups=["stock.group_manager", "products.group_manager"])
    company_id = web.db.main_company.id
    books = Books(web.db.as_user(manager), company_id)
    nut = books.product("NUT", "average", cost="4")
    books.receive(nut, 10, "5.00", 1)
    books.session.commit()
    system = web.db.system()
    customer = create_partner(system, company_id, name="Rossi Arredamenti", is_company=True)
    system.commit()
    ana = web.db.user("ana", groups=["sales.group_salesperson"], lang="es")
    seller = web.db.as_user(ana)
    order = create_quote(seller, company_id, partner_id=customer.id, date_order=dt.date.today(),
                         lines=[{"product_id": nut.id, "quantity": D(12), "unit_price": "9"}])
    seller.commit()
    client = web.client()
    client.login("ana")
    page = client.get(f"/sales/orders/{order.id}").get_data(as_text=True)
    assert "average cost" in page  # stored when priced (here outside a request, so in English)
    assert "line-warning" in page and "No disponible a tiempo" in page and "(10 en existencias)" in page


def test_the_order_page_shows_its_deliveries_and_cancelling_names_the_one_done_in_italian(web):
    company_id = web.db.main_company.id
    system = web.db.system()
    warehouse = create_warehouse(system, company_id, code="MIL", name="Milano")
    bolts = create_product(system, company_id, code="BOLT", name="Bolt M6", list_price=D("0.50"))
    process_transfer(system, create_transfer(system, company_id, kind=RECEIPT, warehouse_id=warehouse.id,
                                             lines=[{"product_id": bolts.id, "quantity": D(50)}]))
    customer = create_partner(system, company_id, name="Rossi Arredamenti", is_company=True)
    system.commit()
    seller = web.db.as_user(web.db.user("ana", groups=["sales.group_salesperson"], lang="it"))
    order = create_quote(seller, company_id, partner_id=customer.id, date_order=dt.date.today(),
                  lines=[{"product_id": bolts.id, "quantity": D(10)}])
    seller.commit()
    client = web.client()
    client.login("ana")
    page = client.post(f"/sales/orders/{order.id}/confirm", follow_redirects=True).get_data(as_text=True)
    system.rollback()  # its snapshot predates the confirmation
    delivery = system.scalar(select(Transfer).join(SaleDelivery, SaleDelivery.transfer_id == Transfer.id)
                             .where(SaleDelivery.order_id == order.id))
    assert "Consegne" in page and delivery.name in page
    process_transfer(system, delivery, quantities={delivery.moves[0].id: D(4)})
    system.commit()
    page = client.post(f"/sales/orders/{order.id}/cancel", follow_redirects=True).get_data(as_text=True)
    assert f"La consegna {delivery.name} è fatta: effettui un reso per riprendere la merce." in page


def test_a_line_s_warehouse_is_chosen_on_the_form_kept_on_edit_and_shown_on_the_order(web):
    company_id = web.db.main_company.id
    system = web.db.system()
    create_warehouse(system, company_id, code="MIL", name="Milano")
    turin = create_warehouse(system, company_id, code="TOR", name="Torino")
    bolts = create_product(system, company_id, code="BOLT", name="Bolt M6", list_price=D("0.50"))
    customer = create_partner(system, company_id, name="Rossi Arredamenti", is_company=True)
    system.commit()
    web.db.user("ana", groups=["sales.group_salesperson"])
    client = web.client()
    client.login("ana")
    form = client.get("/sales/orders/new").get_data(as_text=True)
    assert 'name="lines-0-warehouse_id"' in form and "TOR" in form
    created = client.post("/sales/orders/new", data={
        "partner_id": str(customer.id), "date_order": dt.date.today().isoformat(),
        "lines-0-kind": "product", "lines-0-product_id": str(bolts.id), "lines-0-quantity": "3",
        "lines-0-warehouse_id": str(turin.id),
        "lines-1-kind": "product", "lines-1-product_id": str(bolts.id), "lines-1-quantity": "2"})
    assert created.status_code == 302, created.get_data(as_text=True)
    order_url = created.headers["Location"]
    edit = client.get(order_url + "/edit").get_data(as_text=True)
    assert f'<option selected value="{turin.id}">' in edit or f'<option value="{turin.id}" selected>' in edit
    page = client.get(order_url).get_data(as_text=True)
    assert f"Leaves from {turin.display_name}." in page
    client.post(order_url + "/confirm")
    system.rollback()
    order_id = int(order_url.rsplit("/", 1)[1])
    found = list(system.scalars(select(Transfer.warehouse_id).join(
        SaleDelivery, SaleDelivery.transfer_id == Transfer.id).where(SaleDelivery.order_id == order_id)))
    assert len(found) == 2 and turin.id in found  # the second line leaves from the company's first warehouse
