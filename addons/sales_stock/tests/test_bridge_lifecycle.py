"""With stock installed, confirming a sales order makes its delivery; once stock (and with it the bridge) is
uninstalled, sales confirms and cancels orders as before, and the deliveries made stay."""
import datetime as dt

from sqlalchemy import func, select, text

from addons.contacts.services import create_partner
from addons.products.services import create_product
from addons.sales.models import CANCELLED, CONFIRMED
from addons.sales.services.orders import cancel_order
from addons.sales.services.quotes import confirm_quote, create_quote
from core.lifecycle import Lifecycle
from core.security import actor_session
from core.sessions import make_session_factory
from core.testing import initialized_database

DAY = dt.date(2027, 3, 15)


def _sell(engine, registry, code: str, before=None) -> tuple[str, str]:
    """Confirm an order of a new product ``code`` (``before(registry, product id)`` prepares it), then cancel
    it: (state confirmed, state cancelled)."""
    with actor_session(make_session_factory(engine), registry, None) as session:
        product = create_product(session, 1, code=code, name=code)
        session.commit()
        if before is not None:
            before(registry, product.id)
        customer = create_partner(session, 1, name=f"Customer {code}", is_company=True)
        order = create_quote(session, 1, partner_id=customer.id, date_order=DAY,
                             lines=[{"product_id": product.id, "quantity": 2, "unit_price": "3"}])
        confirmed = confirm_quote(session, order, today=DAY).state
        session.commit()
        cancel_order(session, order)
        cancelled = order.state
        session.commit()
        return confirmed, cancelled


def _deliveries(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(text("stock_transfer")).where(
            text("kind = 'delivery'")))


def test_sales_keeps_confirming_orders_after_stock_and_the_bridge_are_gone(fresh_url, catalog):
    engine = initialized_database(fresh_url, catalog, ["sales"])
    try:
        lifecycle = Lifecycle(engine, catalog)
        assert "sales_stock" not in lifecycle.registry().installed
        assert _sell(engine, lifecycle.registry(), "A") == (CONFIRMED, CANCELLED)
        lifecycle.run(lifecycle.plan_install(["stock"]))
        lifecycle = Lifecycle(engine, catalog)
        assert "sales_stock" in lifecycle.registry().installed
        assert _sell(engine, lifecycle.registry(), "B") == (CONFIRMED, CANCELLED)
        assert _deliveries(engine) == 1  # the order confirmed before the bridge expects nothing from stock
        lifecycle.run(lifecycle.plan_uninstall("stock"))
        lifecycle = Lifecycle(engine, catalog)
        assert {"stock", "sales_stock"}.isdisjoint(lifecycle.registry().installed)
        assert _sell(engine, lifecycle.registry(), "C") == (CONFIRMED, CANCELLED)
        assert _deliveries(engine) == 1  # the data stays, nothing new is delivered without stock
    finally:
        engine.dispose()
