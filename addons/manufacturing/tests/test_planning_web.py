"""The planning pages: a manager runs the requirements, reviews the proposals, confirms one (a draft production
order) and discards another; forecasts through the generic views (a negative quantity refused on the form); the
work-centre load marks an overloaded day; the dashboard draws its charts. A manufacturing user reads them but may
not run nor confirm."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.manufacturing.models import DRAFT, Production
from addons.manufacturing.planning.forecasts import create_forecast
from addons.manufacturing.planning.models import CONFIRMED, DISCARDED, MAKE, Forecast, Proposal
from addons.manufacturing.services.boms import create_bom
from addons.manufacturing.services.production import confirm_production, create_production
from addons.manufacturing.services.workcentres import create_workcentre
from addons.products.services import create_product
from addons.stock.services.setup import create_warehouse

TODAY = dt.date.today()


@pytest.fixture
def plant(web):
    session = web.db.system()
    company_id = web.db.main_company.id
    warehouse = create_warehouse(session, company_id, code="TAL", name="Taller")
    table, leg = (create_product(session, company_id, code="TABLE", name="Mesa"),
                  create_product(session, company_id, code="LEG", name="Pata"))
    bench = create_workcentre(session, company_id, code="BENCH", name="Banco", hourly_cost=Decimal(60),
                              capacity_hours=Decimal(8))
    create_bom(session, company_id, product_id=table.id, lines=[{"product_id": leg.id, "quantity": Decimal(4)}],
               operations=[{"name": "Montar", "workcentre_id": bench.id, "minutes": Decimal(120)}])
    create_forecast(session, company_id, product_id=table.id, date=TODAY + dt.timedelta(days=3), quantity=Decimal(5))
    session.commit()
    web.db.user("jefa", groups=["manufacturing.group_manager"])
    web.db.user("obrero", groups=["manufacturing.group_user"])
    client = web.client()
    client.login("jefa")
    return type("Plant", (), {"client": client, "warehouse": warehouse, "table": table, "leg": leg, "bench": bench,
                              "session": session, "web": web})


def test_run_review_confirm_and_discard(plant):
    page = plant.client.get("/manufacturing/planning").get_data(as_text=True)
    assert "No open proposal" in page and "Run requirements" in page
    ran = plant.client.post("/manufacturing/planning/run")
    assert ran.status_code == 302
    page = plant.client.get("/manufacturing/planning").get_data(as_text=True)
    assert "Requirements computed: 1 demands, 2 proposals." in page
    assert "[TABLE] Mesa" in page and "[LEG] Pata" in page
    plant.session.rollback()
    table, leg = (plant.session.scalars(select(Proposal).where(Proposal.product_id == product.id)).one()
                  for product in (plant.table, plant.leg))
    assert (table.kind, table.quantity) == (MAKE, 5)
    plant.client.post("/manufacturing/planning/confirm", {"proposal_ids": table.id})
    plant.client.post("/manufacturing/planning/discard", {"proposal_ids": leg.id})
    again = plant.client.post("/manufacturing/planning/confirm", {"proposal_ids": table.id})
    assert "Already confirmed: [TABLE] Mesa × 5. Nothing was changed." in plant.client.get(
        again.headers["Location"]).get_data(as_text=True)
    plant.session.rollback()
    plant.session.refresh(table)
    plant.session.refresh(leg)
    assert (table.state, leg.state) == (CONFIRMED, DISCARDED)
    order = plant.session.get(Production, table.production_id)
    assert (order.state, order.quantity, order.product_id) == (DRAFT, 5, plant.table.id)


def test_forecasts_through_the_generic_views_refuse_a_negative_quantity(plant):
    assert plant.client.get("/manufacturing/forecasts/").status_code == 200
    refused = plant.client.post("/manufacturing/forecasts/new", {
        "product_id": plant.leg.id, "date": TODAY.isoformat(), "quantity": "-2"})
    assert refused.status_code == 422 and "Number must be between 0.0001 and" in refused.get_data(as_text=True)
    plant.session.rollback()
    assert plant.session.scalars(select(Forecast).where(Forecast.product_id == plant.leg.id)).all() == []
    created = plant.client.post("/manufacturing/forecasts/new", {
        "product_id": plant.leg.id, "date": TODAY.isoformat(), "quantity": "2"})
    assert created.status_code == 302, created.get_data(as_text=True)


def test_the_load_marks_an_overloaded_day_and_the_dashboard_draws(plant):
    order = create_production(plant.session, plant.web.db.main_company.id, product_id=plant.table.id,
                              quantity=Decimal(5), warehouse_id=plant.warehouse.id, scheduled_date=TODAY)
    confirm_production(plant.session, order)  # 5 tables × 2 hours = 10 hours on an 8-hour bench
    plant.session.commit()
    page = plant.client.get("/manufacturing/load").get_data(as_text=True)
    assert "BENCH Banco" in page and 'class="number differs" title="Overloaded">10' in page
    dashboard = plant.client.get("/manufacturing/dashboard").get_data(as_text=True)
    assert "Orders by state" in dashboard and "<svg" in dashboard and "Late orders" in dashboard


def test_a_manufacturing_user_reads_but_may_not_run_nor_confirm(plant):
    client = plant.web.client()
    client.login("obrero")
    page = client.get("/manufacturing/planning").get_data(as_text=True)
    assert "Requirements planning" in page and "Run requirements" not in page
    assert client.post("/manufacturing/planning/run").status_code == 403
    assert client.post("/manufacturing/planning/confirm", {"all": "1"}).status_code == 403
    assert client.get("/manufacturing/load").status_code == 200
    assert client.get("/manufacturing/dashboard").status_code == 200


def test_the_load_refuses_a_start_date_past_the_calendar_and_shows_its_last_days(plant):
    assert plant.client.get("/manufacturing/load?start=9999-12-31").status_code == 400
    assert plant.client.get("/manufacturing/load?start=not-a-date").status_code == 400
    assert plant.client.get("/manufacturing/load?start=9990-12-31").status_code == 200
