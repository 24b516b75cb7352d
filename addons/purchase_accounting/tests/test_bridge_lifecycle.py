"""The bridge comes with the second of purchase and accounting, and leaves with either: each side works alone."""
import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select, text

from addons.accounting.models.invoicing import IN_INVOICE
from addons.accounting.services.books import partner_accounts
from addons.accounting.services.invoices import create_invoice, post_invoice
from addons.contacts.services import create_partner
from addons.products.services import create_product
from addons.purchase.models import PURCHASE, PurchaseOrder
from addons.purchase.services.orders import confirm_order, create_order
from addons.purchase_accounting.services.bills import create_bill
from core.lifecycle import Lifecycle
from core.security import actor_session
from core.sessions import make_session_factory
from core.testing import initialized_database

DAY = dt.date(2026, 6, 15)
BRIDGE = "purchase_accounting"


def _session(engine, registry):
    return actor_session(make_session_factory(engine), registry, None)


def _confirm_an_order(engine, registry, code: str):
    with _session(engine, registry) as session:
        product = create_product(session, 1, code=code, name=code)
        supplier = create_partner(session, 1, name=f"Supplier {code}", is_company=True)
        order = create_order(session, 1, partner_id=supplier.id, date_order=DAY,
                             lines=[{"product_id": product.id, "quantity": 2, "unit_price": "3"}])
        confirm_order(session, order)
        session.commit()
        return order.id, order.state


def _post_a_bill(engine, registry, name: str) -> str:
    with _session(engine, registry) as session:
        supplier = create_partner(session, 1, name=name, is_company=True)
        partner_accounts(session, supplier)
        bill = create_invoice(session, partner_id=supplier.id, kind=IN_INVOICE, date=DAY,
                              lines=[{"description": "Rent", "quantity": 1, "unit_price": Decimal(500)}])
        post_invoice(session, bill)
        session.commit()
        return bill.state


def _bill_links(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(text("purchase_accounting_bill_line")))


def test_purchase_then_accounting_brings_the_bridge_and_uninstalling_accounting_takes_it_away(fresh_url, catalog):
    engine = initialized_database(fresh_url, catalog, ["purchase"])
    try:
        lifecycle = Lifecycle(engine, catalog)
        assert BRIDGE not in lifecycle.registry().installed
        order_id, state = _confirm_an_order(engine, lifecycle.registry(), "A")
        assert state == PURCHASE
        lifecycle.run(lifecycle.plan_install(["accounting"]))
        lifecycle = Lifecycle(engine, catalog)
        registry = lifecycle.registry()
        assert {"accounting", BRIDGE} <= set(registry.installed)
        with _session(engine, registry) as session:  # the order confirmed before accounting is billed now
            bill = create_bill(session, session.get(PurchaseOrder, order_id), date=DAY)
            assert [line.quantity for line in bill.lines] == [Decimal(2)]
            post_invoice(session, bill)
            session.commit()
        assert _bill_links(engine) == 1
        lifecycle.run(lifecycle.plan_uninstall("accounting"))
        lifecycle = Lifecycle(engine, catalog)
        assert {"accounting", BRIDGE}.isdisjoint(lifecycle.registry().installed)
        assert _confirm_an_order(engine, lifecycle.registry(), "C")[1] == PURCHASE
        assert _bill_links(engine) == 1  # the data stays
    finally:
        engine.dispose()


def test_accounting_then_purchase_brings_the_bridge_and_uninstalling_purchase_takes_it_away(fresh_url, catalog):
    engine = initialized_database(fresh_url, catalog, ["accounting"])
    try:
        lifecycle = Lifecycle(engine, catalog)
        assert BRIDGE not in lifecycle.registry().installed
        assert _post_a_bill(engine, lifecycle.registry(), "Landlord") == "posted"
        lifecycle.run(lifecycle.plan_install(["purchase"]))
        lifecycle = Lifecycle(engine, catalog)
        assert {"purchase", BRIDGE} <= set(lifecycle.registry().installed)
        assert _post_a_bill(engine, lifecycle.registry(), "Plumber") == "posted"  # a bill without an order
        lifecycle.run(lifecycle.plan_uninstall("purchase"))
        lifecycle = Lifecycle(engine, catalog)
        assert {"purchase", BRIDGE}.isdisjoint(lifecycle.registry().installed)
        assert _post_a_bill(engine, lifecycle.registry(), "Electrician") == "posted"
    finally:
        engine.dispose()
