"""Manufacturing installed with stock only (no accounting): set up, a bill, an order produced and valued."""
from decimal import Decimal

from sqlalchemy import func, select

from addons.manufacturing.models import WorkCentre
from addons.manufacturing.services.boms import create_bom
from addons.manufacturing.services.production import confirm_production, create_production, produce
from addons.products.services import create_product
from addons.stock.models import ValuationEntry
from addons.stock.services.setup import create_warehouse
from addons.stock.services.transfers import create_transfer, process_transfer
from core.lifecycle import Lifecycle
from core.security import actor_session
from core.sessions import make_session_factory
from core.testing import initialized_database

D = Decimal


def test_manufacturing_with_stock_alone_produces_and_values(fresh_url, catalog):
    engine = initialized_database(fresh_url, catalog, ["manufacturing"])
    try:
        registry = Lifecycle(engine, catalog).registry()
        assert "manufacturing" in registry.installed and "accounting" not in registry.installed
        with actor_session(make_session_factory(engine), registry, None) as session:
            company_id = 1
            assert session.scalars(select(WorkCentre.code).where(WorkCentre.company_id == company_id)).all() == [
                "MAIN"]
            warehouse = create_warehouse(session, company_id, code="TAL", name="Taller")
            stool, leg = (create_product(session, company_id, code=code, name=code) for code in ("STOOL", "LEG"))
            receipt = create_transfer(session, company_id, kind="receipt", warehouse_id=warehouse.id,
                                      lines=[{"product_id": leg.id, "quantity": D(6), "unit_cost": D("2.50")}])
            process_transfer(session, receipt)
            create_bom(session, company_id, product_id=stool.id, lines=[{"product_id": leg.id, "quantity": D(3)}])
            production = create_production(session, company_id, product_id=stool.id, quantity=D(2),
                                           warehouse_id=warehouse.id)
            produce(session, confirm_production(session, production), quantity=D(2))
            value = session.scalar(select(func.sum(ValuationEntry.value)).where(ValuationEntry.product_id == stool.id))
            assert (production.state, value) == ("done", D(15))
            session.commit()
    finally:
        engine.dispose()
