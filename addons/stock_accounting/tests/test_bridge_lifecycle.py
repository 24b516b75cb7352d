"""Accounting added to a database that runs stock: the bridge arrives, the history stays out of the ledger."""
from decimal import Decimal

from sqlalchemy import func, select

from addons.accounting.models import Move
from addons.products.services import create_product
from addons.stock.models import StockMove
from addons.stock.services.moves import create_moves, done
from addons.stock.services.setup import (
    create_warehouse,
    stock_settings,
    warehouse_locations,
)
from addons.stock_accounting.models import PostedValuation
from core.lifecycle import Lifecycle
from core.security import actor_session
from core.sessions import make_session_factory
from core.testing import initialized_database


def _receive(engine, registry, quantity: int) -> None:
    with actor_session(make_session_factory(engine), registry, None) as session:
        warehouse = create_warehouse(session, 1, code=f"W{quantity}", name=f"Warehouse {quantity}")
        product = create_product(session, 1, code=f"P{quantity}", name=f"Product {quantity}", cost=Decimal(2))
        (move_id,) = create_moves(session, 1, [{
            "product_id": product.id, "quantity": Decimal(quantity), "unit_cost": Decimal(2),
            "source_location_id": stock_settings(session, 1).supplier_location_id,
            "dest_location_id": warehouse_locations(session, warehouse)[1].id}])
        done(session, [session.get(StockMove, move_id)])
        session.commit()


def test_stock_then_accounting_posts_what_is_done_from_then_on(fresh_url, catalog):
    engine = initialized_database(fresh_url, catalog, ["stock"])
    try:
        _receive(engine, Lifecycle(engine, catalog).registry(), 5)
        lifecycle = Lifecycle(engine, catalog)
        lifecycle.run(lifecycle.plan_install(["accounting"]))
        registry = Lifecycle(engine, catalog).registry()
        assert "stock_accounting" in registry.installed
        with make_session_factory(engine)() as session:
            assert session.scalars(select(PostedValuation.move_id)).all() == [None]  # the history: left out
        _receive(engine, registry, 7)
        with make_session_factory(engine)() as session:
            stock_entries = session.scalar(select(func.count()).select_from(Move).where(Move.origin == "stock"))
            assert stock_entries == 1
        lifecycle = Lifecycle(engine, catalog)
        lifecycle.run(lifecycle.plan_uninstall("accounting"))
        registry = Lifecycle(engine, catalog).registry()
        assert "stock_accounting" not in registry.installed
        _receive(engine, registry, 9)  # stock goes on alone
    finally:
        engine.dispose()
