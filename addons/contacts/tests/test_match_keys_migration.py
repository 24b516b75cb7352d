"""Upgrading a database whose partners have no match keys: revision efc699aabdc8 computes them and their pairs."""
from sqlalchemy import text

from core.lifecycle.database import migration_transaction
from core.testing import initialized_database
from tests.lifecycle_helpers import columns, downgrade, query

BEFORE = "1f71f80a9a6b"


def test_the_keys_and_pairs_of_existing_partners_are_backfilled(databases, catalog):
    url = databases.new()
    engine = initialized_database(url, catalog, ["contacts"])
    try:
        migrations = downgrade(engine, catalog, BEFORE)
        assert "match_name" not in columns(url, "contacts_partner")
        with migration_transaction(engine) as connection:
            company = connection.scalar(text("SELECT min(id) FROM core_company"))
            for name, email, vat, country in (("Rossi Arredamenti S.r.l.", "Info@Rossi.it", "IT01114601006", "IT"),
                                              ("Rosi Arredamenti", None, None, None),
                                              ("Mario Rossi", " info@rossi.IT", None, None),
                                              ("Bianchi Mobili", None, "01114601006", "IT")):
                connection.execute(text(
                    "INSERT INTO contacts_partner (company_id, name, is_company, active, email, vat, country_code, "
                    "created_at, updated_at) VALUES (:company, :name, false, true, :email, :vat, :country, "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                    {"company": company, "name": name, "email": email, "vat": vat, "country": country})
            migrations.upgrade(connection, "contacts")
        keys = query(url, "SELECT name, match_name, match_block, match_email, match_vat FROM contacts_partner "
                          "ORDER BY id")
        assert keys[0] == ("Rossi Arredamenti S.r.l.", "rossi arredamenti", "ros", "info@rossi.it", "IT:01114601006")
        ids = dict(query(url, "SELECT name, id FROM contacts_partner"))
        pairs = query(url, "SELECT first_id, second_id, reason FROM contacts_partner_match ORDER BY 1, 2, 3")
        rossi = ids["Rossi Arredamenti S.r.l."]
        assert sorted(pairs) == sorted([(rossi, ids["Rosi Arredamenti"], "name"), (rossi, ids["Mario Rossi"], "email"),
                                        (rossi, ids["Bianchi Mobili"], "tax_id")])
    finally:
        engine.dispose()
