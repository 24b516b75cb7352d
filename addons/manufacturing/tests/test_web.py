"""The manufacturing pages: every list opens, a bill is made on its form with its components, an order is
confirmed and produced from its page, which shows the components, the operations and the cost report; a plain
stock user sees no Manufacturing menu."""
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from addons.manufacturing.models import Bom, Production
from addons.manufacturing.services.boms import create_bom
from addons.manufacturing.services.production import create_production
from addons.manufacturing.services.workcentres import create_workcentre
from addons.products.services import create_product
from addons.stock.models import Quant
from addons.stock.services.setup import create_warehouse
from addons.stock.services.transfers import create_transfer, process_transfer

LISTS = ("workcentres", "boms", "bom-operations", "bom-byproducts", "productions")


@pytest.fixture
def plant(web):
    session = web.db.system()
    company_id = web.db.main_company.id
    warehouse = create_warehouse(session, company_id, code="TAL", name="Taller")
    table = create_product(session, company_id, code="TABLE", name="Mesa")
    leg = create_product(session, company_id, code="LEG", name="Pata")
    bench = create_workcentre(session, company_id, code="BENCH", name="Banco", hourly_cost=Decimal(60))
    receipt = create_transfer(session, company_id, kind="receipt", warehouse_id=warehouse.id,
                              lines=[{"product_id": leg.id, "quantity": Decimal(8), "unit_cost": Decimal(5)}])
    process_transfer(session, receipt)
    session.commit()
    web.db.user("jefa", groups=["manufacturing.group_manager"])
    client = web.client()
    client.login("jefa")
    return type("Plant", (), {"client": client, "warehouse": warehouse, "table": table, "leg": leg, "bench": bench,
                              "session": session})


def test_every_list_opens_and_the_menu_names_them(plant):
    for slug in LISTS:
        assert plant.client.get(f"/manufacturing/{slug}/").status_code == 200, slug
    assert "<span>Manufacturing</span>" in plant.client.get("/").get_data(as_text=True)


def test_a_bill_then_an_order_confirmed_and_produced_from_their_pages(web, plant):
    created = plant.client.post("/manufacturing/boms/new", {
        "product_id": plant.table.id, "kind": "normal", "quantity": "1", "version": "1", "active": "y",
        "lines-0-product_id": plant.leg.id, "lines-0-quantity": "4"})
    assert created.status_code == 302, created.get_data(as_text=True)
    plant.session.rollback()  # end the snapshot the fixture's reads opened
    bom = plant.session.scalars(select(Bom).where(Bom.product_id == plant.table.id)).one()
    added = plant.client.post("/manufacturing/bom-operations/new", {
        "bom_id": bom.id, "sequence": "10", "name": "Montar", "workcentre_id": plant.bench.id, "minutes": "30"})
    assert added.status_code == 302, added.get_data(as_text=True)
    page = plant.client.get(f"/manufacturing/boms/{bom.id}").get_data(as_text=True)
    assert "[LEG] Pata" in page and "Montar" in page
    created = plant.client.post("/manufacturing/productions/new", {
        "product_id": plant.table.id, "quantity": "2", "warehouse_id": plant.warehouse.id})
    assert created.status_code == 302, created.get_data(as_text=True)
    plant.session.rollback()
    production = plant.session.scalars(select(Production)).one()
    plant.client.post(f"/manufacturing/productions/{production.id}/confirm")
    refused = plant.client.post(f"/manufacturing/productions/{production.id}/produce", {"quantity": "3"},
                                follow_redirects=True).get_data(as_text=True)
    assert "Only 2 are left to produce." in refused
    plant.client.post(f"/manufacturing/productions/{production.id}/produce", {"quantity": "2"})
    plant.session.rollback()
    assert (production.state, production.quantity_done) == ("done", 2)
    page = plant.client.get(f"/manufacturing/productions/{production.id}").get_data(as_text=True)
    assert "Cost: planned and actual" in page and "[LEG] Pata" in page and "Montar (BENCH Banco)" in page


def test_a_stock_user_sees_no_manufacturing(web):
    web.db.user("mozo", groups=["stock.group_user"])
    client = web.client()
    client.login("mozo")
    assert "<span>Manufacturing</span>" not in client.get("/").get_data(as_text=True)
    assert client.get("/manufacturing/productions/").status_code == 403


def test_the_orders_kanban_opens_and_a_drop_does_not_change_an_order_s_state(web, plant):
    session = plant.session
    create_bom(session, web.db.main_company.id, product_id=plant.table.id,
               lines=[{"product_id": plant.leg.id, "quantity": Decimal(4)}])
    production = create_production(session, web.db.main_company.id, product_id=plant.table.id, quantity=Decimal(1),
                                   warehouse_id=plant.warehouse.id)
    session.commit()
    board = plant.client.get("/manufacturing/productions/kanban")
    assert board.status_code == 200 and "Draft" in board.get_data(as_text=True)
    dropped = plant.client.post_json(f"/manufacturing/productions/{production.id}/stage", {"stage": "done"})
    assert dropped.status_code in (403, 422)
    assert web.db.system().get(Production, production.id).state == "draft"


def test_scrap_and_extra_consumption_from_the_order_page(web, plant):
    session = plant.session
    company_id = web.db.main_company.id
    create_bom(session, company_id, product_id=plant.table.id,
               lines=[{"product_id": plant.leg.id, "quantity": Decimal(2)}])
    production = create_production(session, company_id, product_id=plant.table.id, quantity=Decimal(2),
                                   warehouse_id=plant.warehouse.id)
    production_id = production.id
    session.commit()
    url = f"/manufacturing/productions/{production_id}"
    plant.client.post(url + "/confirm")
    page = plant.client.get(url).get_data(as_text=True)
    assert 'name="extra_product_id"' in page and "Quantity to scrap" in page
    refused = plant.client.post(url + "/scrap", {"product_id": "x", "quantity": "1"},
                                follow_redirects=True).get_data(as_text=True)
    assert "Choose a component." in refused
    plant.client.post(url + "/scrap", {"product_id": plant.leg.id, "quantity": "1"})
    plant.client.post(url + "/produce", {"quantity": "2", "extra_product_id": plant.leg.id, "extra_quantity": "1"})
    session = web.db.system()
    production = session.get(Production, production_id)
    assert production.state == "done"
    assert [(line.quantity, line.quantity_consumed) for line in production.components] == [(4, 5)]
    on_hand = session.execute(select(func.sum(Quant.quantity)).where(Quant.product_id == plant.leg.id)).scalar()
    assert on_hand == 8 - 1 - 5
