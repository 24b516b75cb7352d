"""A production manager makes a bill of materials on its form, then a production order, confirms it and
produces it from its page, which ends with the order done and its planned and actual cost. The server is
``bottega run`` on a database with manufacturing installed (and stock, products, its dependencies)."""
from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.catalog import Catalog
from core.lifecycle import Lifecycle
from core.security import actor_session
from core.sessions import make_session_factory
from core.testing import initialized_database
from tests.lifecycle_helpers import query

from .conftest import bottega_run
from .test_browser import log_in


@pytest.fixture(scope="module")
def plant_server(databases, tmp_path_factory):
    from addons.manufacturing.services.workcentres import create_workcentre
    from addons.products.services import create_product
    from addons.stock.services.setup import create_warehouse
    from addons.stock.services.transfers import create_transfer, process_transfer
    from core.models import Company

    url = databases.new()
    engine = initialized_database(url, Catalog.discover(), ["manufacturing"])
    registry = Lifecycle(engine, Catalog.discover()).registry()
    with actor_session(make_session_factory(engine), registry, None) as session:
        company = session.scalars(select(Company).order_by(Company.id)).first().id
        warehouse = create_warehouse(session, company, code="TAL", name="Taller")
        create_product(session, company, code="MESA", name="Mesa de comedor")
        leg = create_product(session, company, code="PATA", name="Pata torneada")
        top = create_product(session, company, code="TABLERO", name="Tablero de roble")
        create_workcentre(session, company, code="BANCO", name="Banco de montaje", hourly_cost=Decimal(30))
        process_transfer(session, create_transfer(session, company, kind="receipt", warehouse_id=warehouse.id, lines=[
            {"product_id": leg.id, "quantity": Decimal(12), "unit_cost": Decimal("7.50")},
            {"product_id": top.id, "quantity": Decimal(3), "unit_cost": Decimal("40.00")}]))
        session.commit()
    engine.dispose()
    with bottega_run(url, ["products", "stock", "manufacturing"], tmp_path_factory.mktemp("e2e-mfg")) as base:
        yield {"url": base, "database": url}


def test_a_bill_then_an_order_confirmed_and_produced(plant_server, browser, shot):
    base = plant_server["url"]
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(page, plant_server)

    page.goto(base + "/manufacturing/boms/new")
    page.locator(".field.recordfield", has=page.locator("#product_id")).locator(".search-select-box").fill("Mesa")
    expect(page.locator("#product_id option", has_text="[MESA] Mesa de comedor")).to_have_count(1)
    page.select_option("#product_id", label="[MESA] Mesa de comedor")
    page.select_option("#lines-0-product_id", label="[PATA] Pata torneada")
    page.fill("#lines-0-quantity", "4")
    page.click("button[data-add-line]")
    page.select_option("#lines-1-product_id", label="[TABLERO] Tablero de roble")
    page.fill("#lines-1-quantity", "1")
    page.click("button:has-text('Save')")
    expect(page.locator(".flash-success")).to_have_text("Saved.")
    expect(page.locator(".fit-lines").first).to_contain_text("[PATA] Pata torneada")

    page.click("a:has-text('Add an operation')")
    page.fill("#name", "Montar")
    page.select_option("#workcentre_id", label="BANCO Banco de montaje")
    page.fill("#minutes", "30")
    page.click("button:has-text('Save')")
    expect(page.locator(".flash-success")).to_have_text("Saved.")
    page.click("a:has-text('[MESA] Mesa de comedor v1')")
    expect(page.locator(".fit-lines").nth(1)).to_contain_text("BANCO Banco de montaje")
    shot(page, "manufacturing-bill")

    page.goto(base + "/manufacturing/productions/new")
    page.locator(".field.recordfield", has=page.locator("#product_id")).locator(".search-select-box").fill("Mesa")
    expect(page.locator("#product_id option", has_text="[MESA] Mesa de comedor")).to_have_count(1)
    page.select_option("#product_id", label="[MESA] Mesa de comedor")
    page.fill("#quantity", "3")
    page.select_option("#warehouse_id", label="TAL Taller")
    page.click("button:has-text('Save')")
    expect(page.locator(".flash-success")).to_have_text("Saved.")
    page.click("button:has-text('Confirm')")
    expect(page.locator(".flash-success")).to_have_text("Confirmed: the components are reserved.")
    shot(page, "manufacturing-order-confirmed")
    page.click("button:has-text('Produce')")
    expect(page.locator(".flash-success")).to_have_text("Produced.")
    expect(page.locator(".status-bar [aria-current=step]")).to_have_text("Done")
    # each table: 4 legs at 7.50 and a top at 40.00, and 30 minutes at 30.00 an hour
    expect(page.locator("table.cost-report tr", has_text="Unit cost")).to_contain_text("€85.00")
    shot(page, "manufacturing-order-done")
    assert query(plant_server["database"],
                 "SELECT q.quantity FROM stock_quant q JOIN products_product p ON p.id = q.product_id "
                 "WHERE p.code = 'MESA'") == [(Decimal("3.0000"),)]
