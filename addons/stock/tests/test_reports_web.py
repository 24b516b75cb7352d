"""The reports page (each report, its chart, its exports), the reorder rules' form and the replenishment page."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from addons.products.services import create_product
from addons.stock.models import ReorderRule, ReplenishmentLine
from addons.stock.services import moves as move_services
from addons.stock.services.setup import create_warehouse
from addons.stock.services.transfers import create_transfer

from .test_replenishment import Purchasing, implemented_by

D = Decimal
DAY = dt.date(2026, 3, 2)


@pytest.fixture
def shop(web):
    session = web.db.system()
    company_id = web.db.main_company.id
    warehouse = create_warehouse(session, company_id, code="MAD", name="Madrid")
    screw = create_product(session, company_id, code="TORN", name="Tornillo", cost=D("0.10"))
    receipt = create_transfer(session, company_id, kind="receipt", warehouse_id=warehouse.id,
                              lines=[{"product_id": screw.id, "quantity": D(40)}])
    move_services.done(session, receipt.moves, date=dt.datetime.combine(DAY, dt.time(10)))
    session.commit()
    return {"warehouse": warehouse.id, "screw": screw.id}


def client_of(web, login, groups):
    web.db.user(login, groups=groups)
    client = web.client()
    client.login(login)
    return client


def test_each_report_shows_and_exports_for_a_stock_user(web, shop):
    clerk = client_of(web, "mozo", ["stock.group_user"])
    page = clerk.get("/stock/reports?report=on_hand").get_data(as_text=True)
    assert "TORN" in page and "MAD/Stock" in page and "40" in page
    assert 'href="/stock/reports"' in clerk.get("/stock/transfers/").get_data(as_text=True)  # in the menu
    for key in ("forecast", "history", "valuation"):
        response = clerk.get(f"/stock/reports?report={key}&date_from=2026-03-01&date_to=2026-03-31&at=2026-03-31")
        assert response.status_code == 200 and "TORN" in response.get_data(as_text=True), key
    chart = clerk.get(f"/stock/reports?report=over_time&product_id={shop['screw']}"
                      "&date_from=2026-03-01&date_to=2026-03-03").get_data(as_text=True)
    assert chart.count('class="chart-bar"') == 3 and "Tornillo" in chart
    csv_file = clerk.get(f"/stock/reports/export.csv?report=over_time&product_id={shop['screw']}"
                         "&date_from=2026-03-01&date_to=2026-03-03")
    assert csv_file.headers["Content-Disposition"] == 'attachment; filename="stock-over-time.csv"'
    assert csv_file.get_data(as_text=True).lstrip("\ufeff").splitlines()[1:] == [
        "2026-03-01,0.0000,0.0000", "2026-03-02,40.0000,40.0000", "2026-03-03,0.0000,40.0000"]
    sheet = load_workbook(io.BytesIO(clerk.get("/stock/reports/export.xlsx?report=on_hand").data)).active
    assert [cell.value for cell in next(sheet.iter_rows(min_row=4))][:2] == ["TORN", "Tornillo"]
    assert clerk.get("/stock/reports/export.pdf?report=on_hand").status_code == 404


def test_a_wrong_input_is_a_message_not_an_error_page(web, shop):
    clerk = client_of(web, "mozo", ["stock.group_user"])
    response = clerk.get("/stock/reports?report=history&date_from=2026-04-01&date_to=2026-03-01")
    assert response.status_code == 422 and "is after the end date" in response.get_data(as_text=True)
    response = clerk.get("/stock/reports?report=over_time&date_from=yesterday")
    assert response.status_code == 422 and "is not a date" in response.get_data(as_text=True)
    assert "Choose a product." in clerk.get("/stock/reports?report=over_time").get_data(as_text=True)


def test_reports_are_refused_without_stock_and_replenishment_to_stock_users(web, shop):
    seller = client_of(web, "ventas", ["products.group_user"])
    assert seller.get("/stock/reports?report=on_hand").status_code == 403
    clerk = client_of(web, "mozo", ["stock.group_user"])
    assert clerk.get("/stock/replenishment").status_code == 403
    assert clerk.get("/stock/reorder-rules/").status_code == 403
    assert clerk.post("/stock/replenishment/compute").status_code == 403
    assert 'href="/stock/replenishment"' not in clerk.get("/stock/transfers/").get_data(as_text=True)


def test_a_manager_keeps_rules_on_their_form_and_computes_the_list_then_orders_it(web, shop, monkeypatch):
    manager = client_of(web, "jefe", ["stock.group_manager"])
    wrong = manager.post("/stock/reorder-rules/new", {
        "product_id": shop["screw"], "warehouse_id": shop["warehouse"], "min_quantity": "50", "max_quantity": "20",
        "multiple": "10", "lead_days": "3", "active": "y"})
    assert wrong.status_code == 422 and "is below the minimum" in wrong.get_data(as_text=True)
    made = manager.post("/stock/reorder-rules/new", {
        "product_id": shop["screw"], "warehouse_id": shop["warehouse"], "min_quantity": "50", "max_quantity": "120",
        "multiple": "25", "lead_days": "3", "active": "y"})
    assert made.status_code == 302, made.get_data(as_text=True)
    session = web.db.system()
    assert session.scalars(select(ReorderRule.max_quantity)).all() == [D(120)]
    assert "Nothing to order" in manager.get("/stock/replenishment").get_data(as_text=True)
    computed = manager.post("/stock/replenishment/compute", follow_redirects=True).get_data(as_text=True)
    assert "The replenishment list is up to date." in computed and "Tornillo" in computed
    session.rollback()  # a new transaction sees what the page committed
    assert session.scalars(select(ReplenishmentLine.quantity)).all() == [D(100)]  # 40 -> 120, in 25s: 100
    implemented_by(monkeypatch, web.db.registry)
    assert "Order the chosen lines" not in manager.get("/stock/replenishment").get_data(as_text=True)
    implemented_by(monkeypatch, web.db.registry, Purchasing())
    page = manager.get("/stock/replenishment").get_data(as_text=True)
    assert "Order the chosen lines" in page
    line_id = session.scalar(select(ReplenishmentLine.id))
    ordered = manager.post("/stock/replenishment/order", {"line_ids": str(line_id)}, follow_redirects=True)
    assert "Created: RFQ TORN x 100." in ordered.get_data(as_text=True)
    session.rollback()
    assert session.scalars(select(ReplenishmentLine.id)).all() == []


@pytest.mark.parametrize(("lang", "label"), [("en", "Unit"), ("es", "Unidad"), ("it", "Unità")])
def test_the_reports_name_the_unit_in_the_user_s_language_not_its_code(web, shop, lang, label):
    web.db.user(f"mozo-{lang}", groups=["stock.group_user"], lang=lang)
    clerk = web.client()
    clerk.login(f"mozo-{lang}")
    for key in ("on_hand", "forecast", "history", "valuation"):
        found = clerk.get(f"/stock/reports/export.csv?report={key}&date_from=2026-03-01&date_to=2026-03-31"
                          "&at=2026-03-31").get_data(as_text=True).lstrip("\ufeff").splitlines()
        row = next(line.split(",") for line in found if "TORN" in line)
        assert label in row and "unit" not in row, (key, row)
