"""A planner runs the requirements, reviews the proposals (a table to make, its legs to buy from the preferred
supplier), confirms the table's (a draft production order) and then all the rest (a draft purchase order). The
server is ``bottega run`` on a database with manufacturing and purchase installed (and the bridge between them)."""
from __future__ import annotations

import datetime as dt
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
def planning_server(databases, tmp_path_factory):
    from addons.contacts.services import create_partner
    from addons.manufacturing.planning.forecasts import create_forecast
    from addons.manufacturing.services.boms import create_bom
    from addons.products.services import create_product
    from addons.purchase.services.prices import create_supplier_price
    from addons.stock.services.setup import create_warehouse
    from core.models import Company

    url = databases.new()
    engine = initialized_database(url, Catalog.discover(), ["manufacturing", "purchase"])
    registry = Lifecycle(engine, Catalog.discover()).registry()
    with actor_session(make_session_factory(engine), registry, None) as session:
        company = session.scalars(select(Company).order_by(Company.id)).first().id
        create_warehouse(session, company, code="TAL", name="Taller")
        table = create_product(session, company, code="MESA", name="Mesa de comedor")
        leg = create_product(session, company, code="PATA", name="Pata torneada")
        create_bom(session, company, product_id=table.id, lines=[{"product_id": leg.id, "quantity": Decimal(4)}])
        supplier = create_partner(session, company, name="Tornería Ruiz S.L.", is_company=True)
        create_supplier_price(session, company, product_id=leg.id, supplier_id=supplier.id, price=Decimal("7.50"),
                              lead_time=4, preferred=True)
        create_forecast(session, company, product_id=table.id, date=dt.date.today() + dt.timedelta(days=10),
                        quantity=Decimal(3))
        session.commit()
    engine.dispose()
    addons = ["contacts", "products", "stock", "purchase", "purchase_stock", "manufacturing", "manufacturing_purchase"]
    with bottega_run(url, addons, tmp_path_factory.mktemp("e2e-planning")) as base:
        yield {"url": base, "database": url}


def test_run_review_and_confirm(planning_server, browser, shot):
    base = planning_server["url"]
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(page, planning_server)

    page.goto(base + "/manufacturing/planning")
    expect(page.locator("table.report tbody")).to_contain_text("No open proposal")
    page.click("button:has-text('Run requirements')")
    expect(page.locator(".flash-success")).to_have_text("Requirements computed: 1 demands, 2 proposals.")
    rows = page.locator("table.report tbody tr")
    expect(rows).to_have_count(2)
    legs = rows.filter(has_text="[PATA] Pata torneada")
    expect(legs).to_contain_text("Buy")
    expect(legs).to_contain_text("Tornería Ruiz S.L.")
    expect(legs.locator("td.number").first).to_have_text("12")
    shot(page, "planning-proposals")

    rows.filter(has_text="[MESA] Mesa de comedor").locator("input[type=checkbox]").check()
    page.click("button:has-text('Confirm the chosen proposals')")
    expect(page.locator(".flash-success")).to_have_text("Created: a draft production order of 3 [MESA] Mesa de comedor.")
    expect(rows).to_have_count(1)
    page.click("button:has-text('Confirm all')")
    expect(page.locator(".flash-success")).to_contain_text("Created: Draft request")
    expect(page.locator("table.report tbody")).to_contain_text("No open proposal")
    shot(page, "planning-confirmed")
    assert query(planning_server["database"],
                 "SELECT p.state, p.quantity FROM manufacturing_production p") == [("draft", Decimal("3.0000"))]
    assert query(planning_server["database"],
                 "SELECT o.state, l.quantity FROM purchase_order o JOIN purchase_order_line l ON l.order_id = o.id"
                 ) == [("draft", Decimal("12.0000"))]
