"""Installing sales on a database already running CRM and accounting: nothing of theirs changes, existing
customers and products are quoted at once (with taxes, an existing partner tag as a customer group);
uninstalling sales leaves CRM and accounting working and keeps the quotations for a later install."""
import datetime as dt
from decimal import Decimal

from sqlalchemy import MetaData, select

from addons.accounting.models import Tax
from addons.accounting.services.books import partner_accounts
from addons.contacts.models import Partner, Tag
from addons.contacts.services import create_partner, ensure_tag
from addons.crm.services import create_lead, qualify
from addons.products.services import create_product
from core.lifecycle import Lifecycle
from core.security import actor_session
from core.sessions import make_session_factory
from core.testing import initialized_database

DAY = dt.date(2027, 3, 15)
KEPT = ("crm_", "contacts_", "accounting_", "products_")


def snapshot(engine):
    metadata = MetaData()
    metadata.reflect(engine, only=lambda name, _m: name.startswith(KEPT))
    with engine.connect() as connection:
        return {name: connection.execute(table.select().order_by(*table.primary_key.columns)).all()
                for name, table in metadata.tables.items()}


def system_session(engine, catalog):
    return actor_session(make_session_factory(engine), Lifecycle(engine, catalog).registry(), None)


def test_install_sales_on_a_crm_and_accounting_database_then_uninstall(databases, catalog):
    engine = initialized_database(databases.new(), catalog, ["crm", "accounting"])
    try:
        with system_session(engine, catalog) as session:
            distributor = ensure_tag(session, 1, name="Distributor")
            customer = create_partner(session, 1, name="Ferretería Ibérica S.L.", is_company=True,
                                      tags=[distributor.id])
            partner_accounts(session, customer)
            lead = create_lead(session, 1, name="Drills for the spring", email="compras@iberica.example",
                               expected_revenue="2500.00")
            qualify(session, lead, partner_id=customer.id)
            drill = create_product(session, 1, code="DRILL", name="Drill 18 V", list_price=Decimal(100),
                                   cost=Decimal(55))
            session.commit()
            ids = {"customer": customer.id, "drill": drill.id, "tag": distributor.id}
        before = snapshot(engine)

        lifecycle = Lifecycle(engine, catalog)
        lifecycle.run(lifecycle.plan_install(["sales"]))
        assert "sales" in Lifecycle(engine, catalog).installed()
        assert snapshot(engine) == before

        from addons.sales.services.pricelists import create_pricelist, create_rule
        from addons.sales.services.quotes import confirm_quote, create_quote

        with system_session(engine, catalog) as session:
            pricelist = create_pricelist(session, 1, name="Distributors", currency_code="EUR")
            pricelist.tags = [session.get(Tag, ids["tag"])]
            create_rule(session, pricelist.id, applies_to="all", method="list", percent=Decimal(-10))
            vat = session.scalar(select(Tax).where(Tax.company_id == 1, Tax.code == "S_VAT20"))
            order = create_quote(session, 1, partner_id=ids["customer"], date_order=DAY, lines=[
                {"product_id": ids["drill"], "quantity": 3, "tax_ids": [vat.id]}])
            confirm_quote(session, order, today=DAY)
            session.commit()
            assert (order.number, order.amount_untaxed, order.amount_total, order.margin) == (
                "SO/2027/00001", Decimal("270.00"), Decimal("324.00"), Decimal("105.00"))
            assert order.lines[0].price_explanation == "list “Distributors”, −10%"
            order_id = order.id
            from addons.sales.models import SalesPartner

            passing = create_partner(session, 1, name="Passing by")
            session.add(SalesPartner(partner_id=passing.id, company_id=1, pricelist_id=pricelist.id))
            session.commit()
            ids["passing"] = passing.id

        lifecycle = Lifecycle(engine, catalog)
        lifecycle.run(lifecycle.plan_uninstall("sales"))
        assert "sales" not in Lifecycle(engine, catalog).installed()
        with system_session(engine, catalog) as session:
            other = create_lead(session, 1, name="After sales left", email="new@example.com")
            qualify(session, other, partner_id=ids["customer"])
            session.delete(session.get(Partner, ids["passing"]))  # its sales row goes with it
            session.commit()

        lifecycle = Lifecycle(engine, catalog)
        lifecycle.run(lifecycle.plan_install(["sales"]))
        from addons.sales.models import SaleOrder, SalesPartner

        with system_session(engine, catalog) as session:
            assert session.get(SaleOrder, order_id).state == "confirmed"  # kept while sales was away
            assert session.get(SalesPartner, ids["passing"]) is None
    finally:
        engine.dispose()
