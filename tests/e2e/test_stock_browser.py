"""A warehouse clerk on a phone scans a delivery's products by barcode and processes it, the rest left in a
backorder. The server is ``bottega run`` on a database with stock installed alone (and products, its dependency).
"""
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

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def stock_server(databases, tmp_path_factory):
    """``url``: the server's base URL; ``database``: its database URL; ``delivery``: a confirmed delivery's id."""
    from addons.products.services import create_product
    from addons.stock.models import ProductStock
    from addons.stock.services.setup import create_warehouse
    from addons.stock.services.transfers import (
        confirm_transfer,
        create_transfer,
        process_transfer,
    )
    from core.models import Company

    url = databases.new()
    engine = initialized_database(url, Catalog.discover(), ["stock"])
    registry = Lifecycle(engine, Catalog.discover()).registry()
    with actor_session(make_session_factory(engine), registry, None) as session:
        company = session.scalars(select(Company).order_by(Company.id)).first().id
        warehouse = create_warehouse(session, company, code="MAD", name="Madrid")
        screw = create_product(session, company, code="TORN-M6", name="Tornillo hexagonal M6")
        session.add(ProductStock(product_id=screw.id, company_id=company, barcode="8412345000016"))
        session.flush()
        line = [{"product_id": screw.id, "quantity": Decimal(10)}]
        process_transfer(session, create_transfer(session, company, kind="receipt", warehouse_id=warehouse.id,
                                                  lines=line))
        delivery = create_transfer(session, company, kind="delivery", warehouse_id=warehouse.id, origin="SO-1",
                                   lines=[{"product_id": screw.id, "quantity": Decimal(3)}])
        confirm_transfer(session, delivery)
        session.commit()
        delivery_id = delivery.id
    engine.dispose()
    with bottega_run(url, ["products", "stock"], tmp_path_factory.mktemp("e2e-stock")) as base:
        yield {"url": base, "database": url, "delivery": delivery_id}


def test_a_clerk_scans_a_delivery_on_a_phone_and_processes_it_with_a_backorder(stock_server, browser, shot):
    base = stock_server["url"]
    page = browser.new_page(viewport=PHONE)
    log_in(page, stock_server)
    page.goto(f"{base}/stock/transfers/{stock_server['delivery']}/scan")
    code = page.locator("input.scan-code")
    expect(code).to_be_focused()
    for _ in range(2):
        page.locator("input.scan-code").fill("8412345000016")
        page.keyboard.press("Enter")
        page.wait_for_load_state()
    expect(page.locator(".scan-progress")).to_have_text("2 / 3")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    shot(page, "stock-scan-phone")
    page.locator(".scan-finish button").click()
    expect(page.locator(".flash-success")).to_contain_text("the rest waits in backorder MAD/OUT/00002")
    assert query(stock_server["database"], "SELECT quantity, reserved FROM stock_quant") == [
        (Decimal("8.0000"), Decimal("1.0000"))]
