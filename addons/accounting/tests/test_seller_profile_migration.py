"""Upgrading a database whose invoices took the seller from ``accounting_settings.partner_id``.

Revision 6a1d6dc1299d copies that partner's address, tax id and contacts
into the company profile fields still empty, and drops the column.
"""
from sqlalchemy import text

from core.lifecycle.database import migration_transaction
from core.testing import initialized_database
from tests.lifecycle_helpers import columns, downgrade, query

BEFORE = "8d4e1b6c2a77"


def test_the_company_partner_s_address_moves_to_the_profile_and_the_column_goes(databases, catalog):
    url = databases.new()
    engine = initialized_database(url, catalog, ["accounting"])
    try:
        migrations = downgrade(engine, catalog, BEFORE)
        assert "partner_id" in columns(url, "accounting_settings")
        with migration_transaction(engine) as connection:
            company_id = connection.scalar(text("SELECT min(company_id) FROM accounting_settings"))
            connection.execute(text("UPDATE core_company SET email = 'own@bottega.example' WHERE id = :id"),
                               {"id": company_id})
            connection.execute(text(
                "INSERT INTO contacts_partner (company_id, name, is_company, active, street, zip, city, "
                "country_code, vat, email, phone, created_at, updated_at) VALUES (:company, 'Bottega S.L.', "
                "true, true, :street, '28014', 'Madrid', 'es', 'B12345674', 'partner@bottega.example', "
                "'+34 910 000 000', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                {"company": company_id, "street": "Calle de Alcalá 48, " + "x" * 200})
            connection.execute(text("UPDATE accounting_settings SET partner_id = (SELECT max(id) FROM "
                                    "contacts_partner) WHERE company_id = :id"), {"id": company_id})
            migrations.upgrade(connection, "accounting")
        assert "partner_id" not in columns(url, "accounting_settings")
        [profile] = query(url, "SELECT street, zip, city, country_code, vat, email, phone FROM core_company "
                               "WHERE id = :id", id=company_id)
        assert profile == (("Calle de Alcalá 48, " + "x" * 200)[:120], "28014", "Madrid", "ES", "B12345674",
                           "own@bottega.example", "+34 910 000 000")  # its own email is kept
    finally:
        engine.dispose()
