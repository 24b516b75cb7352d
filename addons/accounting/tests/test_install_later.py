"""Installing accounting on a database already running CRM: partners get their accounts, CRM stays as it was;
uninstalling accounting without purge leaves CRM working."""
from sqlalchemy import MetaData, inspect, select

from addons.accounting.models import Account, PartnerAccounting, Settings
from addons.contacts.models import Partner
from addons.crm.models import Lead
from addons.crm.services import create_lead, qualify
from core.lifecycle import Lifecycle
from core.models import Company
from core.security import actor_session
from core.sessions import make_session_factory
from core.testing import initialized_database


def snapshot(engine, prefixes=("crm_", "contacts_", "core_company")):
    """Every row of the CRM and contacts tables (and companies), in primary-key order."""
    metadata = MetaData()
    metadata.reflect(engine, only=lambda name, _m: name.startswith(prefixes))
    with engine.connect() as connection:
        return {name: connection.execute(table.select().order_by(*table.primary_key.columns)).all()
                for name, table in metadata.tables.items()}


def system_session(engine, catalog):
    registry = Lifecycle(engine, catalog).registry()
    return actor_session(make_session_factory(engine), registry, None)


def test_install_accounting_later_on_a_crm_database_then_uninstall(databases, catalog):
    engine = initialized_database(databases.new(), catalog, ["crm"])
    try:
        with system_session(engine, catalog) as session:
            main = session.scalars(select(Company).order_by(Company.id)).first()
            spain = Company(name="Ventas Iberia S.L.", country_code="ES")
            session.add(spain)
            session.flush()
            partners = [Partner(company_id=company.id, name=f"{company.name} partner {n}", is_company=True)
                        for company in (main, spain) for n in range(3)]
            spare = [Partner(company_id=spain.id, name=f"No deals {n}") for n in range(2)]
            session.add_all(partners + spare)
            session.flush()
            for partner in partners:
                lead = create_lead(session, partner.company_id, name=f"Deal with {partner.name}",
                                   email="buyer@example.com", expected_revenue="1500.00")
                qualify(session, lead, partner_id=partner.id)
            session.commit()
            partner_companies = {p.id: p.company_id for p in partners + spare}
        before = snapshot(engine)
        assert before["crm_lead"] and before["contacts_partner"]

        lifecycle = Lifecycle(engine, catalog)
        lifecycle.run(lifecycle.plan_install(["accounting"]))

        assert snapshot(engine) == before
        with system_session(engine, catalog) as session:
            charts = dict(session.execute(select(Settings.company_id, Settings.chart)).all())
            assert charts == {main.id: "generic", spain.id: "es"}
            rows = session.scalars(select(PartnerAccounting)).all()
            assert {row.partner_id: row.company_id for row in rows} == partner_companies
            for row in rows:
                assert row.receivable_account.company_id == row.company_id == row.payable_account.company_id
                assert (row.receivable_account.type, row.payable_account.type) == ("receivable", "payable")
            assert {row.receivable_account.code for row in rows if row.company_id == spain.id} == {"430"}
            assert {row.payable_account.code for row in rows if row.company_id == spain.id} == {"400"}
            session.delete(session.get(Partner, spare[0].id))  # its accounting row goes with it
            session.commit()
            assert session.scalar(select(PartnerAccounting.id).where(
                PartnerAccounting.partner_id == spare[0].id)) is None
        before["contacts_partner"] = [row for row in before["contacts_partner"] if row.id != spare[0].id]

        lifecycle = Lifecycle(engine, catalog)
        lifecycle.run(lifecycle.plan_uninstall("accounting"))
        assert "accounting" not in Lifecycle(engine, catalog).installed()
        assert "accounting_account" in inspect(engine).get_table_names()  # kept: not purged
        assert snapshot(engine) == before
        with system_session(engine, catalog) as session:
            lead = create_lead(session, spain.id, name="After accounting", email="new@example.com")
            qualify(session, lead, partner_id=partners[3].id)
            session.delete(session.get(Partner, spare[1].id))  # the kept accounting row does not block it
            session.commit()
            assert session.scalar(select(Lead.kind).where(Lead.id == lead.id)) == "opportunity"
            assert session.scalar(select(Account.id).limit(1)) is not None
    finally:
        engine.dispose()
