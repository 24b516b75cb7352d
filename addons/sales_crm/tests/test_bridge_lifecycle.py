"""The bridge comes with the second of sales and CRM, whichever it is, and goes with either; purging it takes
the links between quotations and opportunities away with its table, keeps both, and it comes back with CRM."""
from decimal import Decimal

import pytest
from sqlalchemy import func, inspect, select, text

from addons.contacts.services import create_partner
from addons.crm import services as crm
from addons.crm.models import WON, Lead, Stage
from addons.products.services import create_product
from addons.sales.models import CONFIRMED
from addons.sales.services import quotes
from core.errors import AddonError
from core.lifecycle import Lifecycle
from core.security import actor_session
from core.sessions import make_session_factory
from core.testing import initialized_database


def _win_by_quotation(engine, registry, code: str) -> str:
    """An opportunity quoted from, its quotation confirmed: the opportunity's state after."""
    from addons.sales_crm.services import quote_from_opportunity

    with actor_session(make_session_factory(engine), registry, None) as session:
        session.add(Stage(company_id=1, name=f"Proposal {code}", sequence=1))
        product = create_product(session, 1, code=code, name=code, list_price=Decimal(10))
        customer = create_partner(session, 1, name=f"Customer {code}", is_company=True)
        lead = crm.create_lead(session, 1, name=f"Deal {code}", partner_id=customer.id)
        crm.qualify(session, lead, partner_id=customer.id)
        order = quote_from_opportunity(session, lead)
        quotes.update_quote(session, order, lines=[{"product_id": product.id, "quantity": Decimal(2)}])
        quotes.confirm_quote(session, order)
        session.commit()
        return session.get(Lead, lead.id).state


def _count(engine, table: str) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(text(table)))


def _has_table(engine, table: str) -> bool:
    with engine.connect() as connection:
        return inspect(connection).has_table(table)


def _confirm_a_quotation(engine, registry, code: str) -> str:
    with actor_session(make_session_factory(engine), registry, None) as session:
        product = create_product(session, 1, code=code, name=code, list_price=Decimal(10))
        customer = create_partner(session, 1, name=f"Customer {code}", is_company=True)
        order = quotes.create_quote(session, 1, partner_id=customer.id,
                                    lines=[{"product_id": product.id, "quantity": Decimal(1)}])
        quotes.confirm_quote(session, order)
        session.commit()
        return order.state


def test_crm_then_sales_brings_the_bridge_and_purging_it_keeps_quotations_and_opportunities(fresh_url, catalog):
    engine = initialized_database(fresh_url, catalog, ["crm"])
    try:
        lifecycle = Lifecycle(engine, catalog)
        assert "sales_crm" not in lifecycle.registry().installed
        lifecycle.run(lifecycle.plan_install(["sales"]))
        lifecycle = Lifecycle(engine, catalog)
        assert {"sales", "sales_crm"} <= set(lifecycle.registry().installed)
        assert _win_by_quotation(engine, lifecycle.registry(), "A") == WON
        assert _count(engine, "sales_crm_order") == 1
        with pytest.raises(AddonError, match="it is a bridge between sales, crm .*uninstall one of sales, crm"):
            lifecycle.plan_uninstall("sales_crm")  # alone, while both sides stay: refused, the links kept
        assert _count(engine, "sales_crm_order") == 1

        # the bridge goes with either side: CRM set aside (its data kept), sales works alone
        lifecycle.run(lifecycle.plan_uninstall("crm"))
        lifecycle = Lifecycle(engine, catalog)
        assert {"crm", "sales_crm"}.isdisjoint(lifecycle.registry().installed)
        assert _confirm_a_quotation(engine, lifecycle.registry(), "B") == CONFIRMED
        lifecycle.run(lifecycle.plan_uninstall("sales_crm", purge_data=True))
        lifecycle = Lifecycle(engine, catalog)
        assert not _has_table(engine, "sales_crm_order")  # the links went with the bridge's table
        assert (_count(engine, "sales_order"), _count(engine, "crm_lead")) == (2, 1)

        lifecycle.run(lifecycle.plan_install(["crm"]))
        lifecycle = Lifecycle(engine, catalog)
        assert {"crm", "sales_crm"} <= set(lifecycle.registry().installed)
        assert _count(engine, "sales_crm_order") == 0
        assert _win_by_quotation(engine, lifecycle.registry(), "C") == WON
        assert (_count(engine, "sales_order"), _count(engine, "crm_lead"), _count(engine, "sales_crm_order")) \
            == (3, 2, 1)
    finally:
        engine.dispose()


def test_sales_then_crm_brings_the_bridge(fresh_url, catalog):
    engine = initialized_database(fresh_url, catalog, ["sales"])
    try:
        lifecycle = Lifecycle(engine, catalog)
        assert "sales_crm" not in lifecycle.registry().installed
        lifecycle.run(lifecycle.plan_install(["crm"]))
        lifecycle = Lifecycle(engine, catalog)
        assert {"crm", "sales_crm"} <= set(lifecycle.registry().installed)
        assert _win_by_quotation(engine, lifecycle.registry(), "A") == WON
    finally:
        engine.dispose()
