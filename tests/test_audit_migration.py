"""Upgrading a database whose audit log has one row per field (revision 5b2e9d7c4a10).

The rows one flush wrote for one record become one row with its field changes
together; a collection's rows are joined; a plain delete keeps its label.
"""
from sqlalchemy import select, text

from core.lifecycle.database import migration_transaction
from core.models import AuditLog
from core.testing import initialized_database
from tests.lifecycle_helpers import columns, downgrade

BEFORE = "dee2af69c889"
OLD_ROWS = [  # at, record, action, field, old, new
    ("2026-01-01 10:00:00", 7, "create", "name", None, "Acme"),
    ("2026-01-01 10:00:00", 7, "create", "city", None, "Bilbao"),
    ("2026-01-01 10:00:00", 8, "create", "name", None, "Other"),
    ("2026-01-02 10:00:00", 7, "update", "city", "Bilbao", "Milano"),
    ("2026-01-02 10:00:00", 7, "update", "tags", None, "VIP"),
    ("2026-01-02 10:00:00", 7, "update", "tags", None, "Export"),
    ("2026-01-03 10:00:00", 8, "delete", None, "Other", None),
    ("2026-01-03 10:00:00", 9, "create", None, None, None),
]


def test_rows_of_one_record_and_flush_become_one_row_with_its_changes(databases, catalog):
    url = databases.new()
    engine = initialized_database(url, catalog, ["contacts"])
    try:
        migrations = downgrade(engine, catalog, BEFORE)
        assert {"field", "old_value", "new_value"} <= set(columns(url, "core_audit_log"))
        with migration_transaction(engine) as connection:
            connection.execute(text("DELETE FROM core_audit_log"))
            for at, record_id, action, field, old, new in OLD_ROWS:
                connection.execute(text(
                    "INSERT INTO core_audit_log (at, table_name, record_id, action, field, old_value, new_value) "
                    "VALUES (:at, 'contacts_partner', :record_id, :action, :field, :old, :new)"),
                    {"at": at, "record_id": record_id, "action": action, "field": field, "old": old, "new": new})
            migrations.upgrade(connection, "core")
        assert "field" not in columns(url, "core_audit_log")
        with engine.connect() as connection:
            rows = connection.execute(select(AuditLog.record_id, AuditLog.action, AuditLog.changes)
                                      .order_by(AuditLog.id)).all()
        assert [tuple(row) for row in rows] == [
            (7, "create", {"name": [None, "Acme"], "city": [None, "Bilbao"]}),
            (8, "create", {"name": [None, "Other"]}),
            (7, "update", {"city": ["Bilbao", "Milano"], "tags": [None, "VIP, Export"]}),
            (8, "delete", {"record": ["Other", None]}),
            (9, "create", {}),
        ]
    finally:
        engine.dispose()
