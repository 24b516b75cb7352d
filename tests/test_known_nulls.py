"""A new record's attributes that were never set are known to be NULL once inserted: no second read of the row."""
from sqlalchemy import event, select

from addons.contacts.services import create_partner
from core.models import AuditLog


def test_an_unset_attribute_of_a_new_record_is_read_and_audited_without_selecting_the_row(db):
    session = db.system()
    partner = create_partner(session, db.main_company.id, name="Acme")
    statements = []
    event.listen(session.connection(), "before_cursor_execute",
                 lambda _c, _cursor, statement, *_rest: statements.append(statement))
    assert partner.city is None and partner.vat is None
    partner.city = "Bilbao"
    session.flush()
    assert not [s for s in statements if s.lstrip().upper().startswith("SELECT") and "contacts_partner" in s]
    session.commit()
    update = db.system().scalars(select(AuditLog).where(AuditLog.table_name == "contacts_partner",
                                                        AuditLog.record_id == partner.id,
                                                        AuditLog.action == "update")).one()
    assert update.changes == {"city": [None, "Bilbao"]}

