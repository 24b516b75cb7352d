"""The bridge comes with the second of purchase and stock, and leaves with either: each side works alone."""
import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select, text

from addons.contacts.services import create_partner
from addons.products.services import create_product
from addons.purchase.models import PURCHASE
from addons.purchase.services.orders import confirm_order, create_order
from addons.stock.models.moves import RECEIPT
from addons.stock.services.setup import create_warehouse
from addons.stock.services.transfers import create_transfer, process_transfer
from core.lifecycle import Lifecycle
from core.security import actor_session
from core.sessions import make_session_factory
from core.testing import initialized_database

DAY = dt.date(2026, 6, 15)


def _confirm_an_order(engine, registry, code: str):
    with actor_session(make_session_factory(engine), registry, None) as session:
        product = create_product(session, 1, code=code, name=code)
        supplier = create_partner(session, 1, name=f"Supplier {code}", is_company=True)
        order = create_order(session, 1, partner_id=supplier.id, date_order=DAY,
                             lines=[{"product_id": product.id, "quantity": 2, "unit_price": "3"}])
        confirm_order(session, order)
        session.commit()
        return order.state


def _receipts(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(text("stock_transfer")))


def test_purchase_then_stock_brings_the_bridge_and_uninstalling_stock_takes_it_away(fresh_url, catalog):
    engine = initialized_database(fresh_url, catalog, ["purchase"])
    try:
        lifecycle = Lifecycle(engine, catalog)
        assert "purchase_stock" not in lifecycle.registry().installed
        assert _confirm_an_order(engine, lifecycle.registry(), "A") == PURCHASE
        lifecycle.run(lifecycle.plan_install(["stock"]))
        lifecycle = Lifecycle(engine, catalog)
        assert {"stock", "purchase_stock"} <= set(lifecycle.registry().installed)
        assert _confirm_an_order(engine, lifecycle.registry(), "B") == PURCHASE
        assert _receipts(engine) == 1  # the order confirmed before the bridge expects nothing from stock
        lifecycle.run(lifecycle.plan_uninstall("stock"))
        lifecycle = Lifecycle(engine, catalog)
        assert {"stock", "purchase_stock"}.isdisjoint(lifecycle.registry().installed)
        assert _confirm_an_order(engine, lifecycle.registry(), "C") == PURCHASE
        assert _receipts(engine) == 1  # the data stays, nothing new is received without stock
    finally:
        engine.dispose()


def test_stock_alone_moves_goods_without_purchase(fresh_url, catalog):
    engine = initialized_database(fresh_url, catalog, ["stock"])
    try:
        registry = Lifecycle(engine, catalog).registry()
        assert set(registry.installed) == {"products", "stock"}
        with actor_session(make_session_factory(engine), registry, None) as session:
            warehouse = create_warehouse(session, 1, code="MAD", name="Madrid")
            product = create_product(session, 1, code="A", name="A")
            receipt = create_transfer(session, 1, kind=RECEIPT, warehouse_id=warehouse.id,
                                      lines=[{"product_id": product.id, "quantity": Decimal(4)}])
            process_transfer(session, receipt)
            session.commit()
            assert receipt.state == "done"
    finally:
        engine.dispose()
