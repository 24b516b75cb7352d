"""A product bought to order is bought while sales and purchase are both installed; once purchase (and with it
the bridge) is uninstalled, sales confirms and cancels orders of it as before, buying nothing."""
from sqlalchemy import select, text

from addons.contacts.services import create_partner
from addons.purchase.services.prices import create_supplier_price
from addons.sales.models import CANCELLED, CONFIRMED
from addons.sales_purchase.models import ProductBuyToOrder
from addons.sales_stock.tests.test_bridge_lifecycle import _sell
from core.lifecycle import Lifecycle
from core.security import actor_session
from core.sessions import make_session_factory
from core.testing import initialized_database


def _requests(engine) -> list[str]:
    """The states of the purchase orders."""
    with engine.connect() as connection:
        return list(connection.scalars(select(text("state")).select_from(text("purchase_order"))))


def _bought_to_order(engine, registry, product_id: int) -> None:
    with actor_session(make_session_factory(engine), registry, None) as session:
        supplier = create_partner(session, 1, name="Ferretería Sol S.L.", is_company=True)
        create_supplier_price(session, 1, product_id=product_id, supplier_id=supplier.id, price="2")
        session.add(ProductBuyToOrder(product_id=product_id, buy_to_order=True))
        session.commit()


def test_sales_keeps_confirming_orders_after_purchase_and_the_bridge_are_gone(fresh_url, catalog):
    engine = initialized_database(fresh_url, catalog, ["sales", "purchase"])
    try:
        lifecycle = Lifecycle(engine, catalog)
        assert "sales_purchase" in lifecycle.registry().installed
        assert _sell(engine, lifecycle.registry(), "A", before=lambda registry, product_id: _bought_to_order(
            engine, registry, product_id)) == (CONFIRMED, CANCELLED)
        assert _requests(engine) == ["cancelled"]  # the request made for it, emptied by the cancellation
        lifecycle.run(lifecycle.plan_uninstall("purchase"))
        lifecycle = Lifecycle(engine, catalog)
        assert {"purchase", "sales_purchase"}.isdisjoint(lifecycle.registry().installed)
        assert _sell(engine, lifecycle.registry(), "B") == (CONFIRMED, CANCELLED)
        assert _requests(engine) == ["cancelled"]  # the data stays, nothing more is bought
    finally:
        engine.dispose()
