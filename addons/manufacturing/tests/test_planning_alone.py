"""Manufacturing installed without sales nor purchase: the requirements run plans forecasts, a made product's
proposal becomes a draft production order, and a bought one cannot be confirmed (the refusal names it)."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from addons.manufacturing.models import Production
from addons.manufacturing.planning.forecasts import create_forecast
from addons.manufacturing.planning.models import BUY, MAKE, PROPOSED, Proposal
from addons.manufacturing.planning.proposals import confirm_proposals
from addons.manufacturing.planning.requirements import run_requirements
from addons.manufacturing.services.boms import create_bom
from addons.products.services import create_product
from core.errors import ValidationError
from core.lifecycle import Lifecycle
from core.security import actor_session
from core.sessions import make_session_factory
from core.testing import initialized_database

TODAY = dt.date(2026, 12, 7)


def test_manufacturing_plans_without_sales_nor_purchase(fresh_url, catalog):
    engine = initialized_database(fresh_url, catalog, ["manufacturing"])
    try:
        registry = Lifecycle(engine, catalog).registry()
        assert not {"sales", "purchase", "manufacturing_sales", "manufacturing_purchase"} & set(registry.installed)
        with actor_session(make_session_factory(engine), registry, None) as session:
            chair = create_product(session, 1, code="CHAIR", name="Chair")
            part = create_product(session, 1, code="PART", name="Part")
            create_bom(session, 1, product_id=chair.id, lines=[{"product_id": part.id, "quantity": Decimal(2)}])
            create_forecast(session, 1, product_id=chair.id, date=TODAY, quantity=Decimal(4))
            assert run_requirements(session, 1, today=TODAY).demands == 1
            rows = {row.kind: row for row in session.scalars(select(Proposal))}
            assert [(rows[MAKE].product_id, rows[MAKE].quantity, rows[MAKE].origin)] == [
                (chair.id, 4, f"Forecast {TODAY.isoformat()}")]
            assert (rows[BUY].product_id, rows[BUY].quantity, rows[BUY].supplier_name) == (part.id, 8, None)
            with pytest.raises(ValidationError) as error:
                confirm_proposals(session, proposal_ids=[rows[MAKE].id, rows[BUY].id])
            assert str(error.value) == ("[PART] Part × 8: buying needs the purchase addon. Order them yourself and "
                                        "discard these proposals.")
            assert rows[MAKE].state == rows[BUY].state == PROPOSED
            assert session.scalar(select(func.count()).select_from(Production)) == 0  # nothing half written
            confirm_proposals(session, proposal_ids=[rows[MAKE].id])
            assert session.scalar(select(func.count()).select_from(Production)) == 1
    finally:
        engine.dispose()
