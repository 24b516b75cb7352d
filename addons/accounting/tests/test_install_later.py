"""Installing accounting on a database already running CRM: every company gets its books from accounting's
after_install hook (its migrations set up nothing), partners resolve to their company's accounts, CRM stays as
it was, partners stay deletable; uninstalling accounting without purge leaves CRM working, and installing it
again sets up only the company created meanwhile."""
from sqlalchemy import MetaData, func, inspect, select

from addons.accounting.models import Account, PartnerAccounting, Settings
from addons.accounting.services.books import partner_accounts
from addons.contacts.models import Partner
from addons.crm.models import Lead
from addons.crm.services import create_lead, qualify
from core.lifecycle import Lifecycle
from core.lifecycle.database import migration_transaction
from core.lifecycle.migrations import Migrations
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
        with migration_transaction(engine, commit=False) as connection:
            Migrations(catalog).upgrade(connection, "accounting")
            assert connection.scalar(select(func.count(Settings.id))) == 0  # the books come from the hook

        lifecycle = Lifecycle(engine, catalog)
        lifecycle.run(lifecycle.plan_install(["accounting"]))

        assert snapshot(engine) == before
        with system_session(engine, catalog) as session:
            charts = dict(session.execute(select(Settings.company_id, Settings.chart)).all())
            assert charts == {main.id: "generic", spain.id: "es"}
            assert session.scalars(select(PartnerAccounting)).all() == []  # rows come on first use only
            settings = {row.company_id: row for row in session.scalars(select(Settings))}
            for partner_id, company_id in partner_companies.items():
                row = partner_accounts(session, session.get(Partner, partner_id))
                assert row.company_id == company_id
                assert (row.receivable_account_id, row.payable_account_id) == (
                    settings[company_id].receivable_account_id, settings[company_id].payable_account_id)
                assert (row.receivable_account.type, row.payable_account.type) == ("receivable", "payable")
                if company_id == spain.id:
                    assert (row.receivable_account.code, row.payable_account.code) == ("430", "400")
            session.rollback()  # resolving wrote rows: drop them, so only spare[0] keeps one
            partner_accounts(session, session.get(Partner, spare[0].id))
            session.commit()
            session.delete(session.get(Partner, spare[0].id))  # its accounting row goes with it
            session.commit()
            assert session.get(Partner, spare[0].id) is None
            assert session.scalar(select(func.count()).select_from(PartnerAccounting).where(
                PartnerAccounting.partner_id == spare[0].id)) == 0
        before["contacts_partner"] = [row for row in before["contacts_partner"] if row.id != spare[0].id]

        lifecycle = Lifecycle(engine, catalog)
        lifecycle.run(lifecycle.plan_uninstall("accounting"))
        assert "accounting" not in Lifecycle(engine, catalog).installed()
        assert "accounting_account" in inspect(engine).get_table_names()  # kept: not purged
        assert snapshot(engine) == before
        with system_session(engine, catalog) as session:
            lead = create_lead(session, spain.id, name="After accounting", email="new@example.com")
            qualify(session, lead, partner_id=partners[3].id)
            session.delete(session.get(Partner, spare[1].id))  # no accounting row was ever written for it
            session.commit()
            assert session.scalar(select(Lead.kind).where(Lead.id == lead.id)) == "opportunity"
            assert session.scalar(select(Account.id).limit(1)) is not None
            italy = Company(name="Nuova Italia S.r.l.", country_code="IT")
            session.add(italy)
            session.commit()
        kept = snapshot(engine, ("accounting_",))

        lifecycle = Lifecycle(engine, catalog)
        lifecycle.run(lifecycle.plan_install(["accounting"]))
        again = snapshot(engine, ("accounting_",))
        for name, rows in kept.items():
            assert again[name][:len(rows)] == rows, name  # the kept books are as they were
            assert {row.company_id for row in again[name][len(rows):]} <= {italy.id}, name  # none set up twice
        with system_session(engine, catalog) as session:
            charts = dict(session.execute(select(Settings.company_id, Settings.chart)).all())
            assert charts == {main.id: "generic", spain.id: "es", italy.id: "it"}
    finally:
        engine.dispose()
