"""Every create, update and delete of a business record lands in the audit log, written by the core."""
from sqlalchemy import select

from addons.contacts.models import Partner
from addons.contacts.services import create_partner, update_partner
from core.models import AuditLog, User
from core.security import hash_password


def entries(db, table, record_id):
    rows = db.system().scalars(
        select(AuditLog).where(AuditLog.table_name == table, AuditLog.record_id == record_id).order_by(AuditLog.id)
    )
    return [(r.action, r.field, r.old_value, r.new_value, r.user_id) for r in rows]


def test_create_update_delete_are_logged_with_who_field_old_and_new(db):
    boss = db.user("boss", groups=["contacts.group_manager"])
    session = db.as_user(boss)
    partner = create_partner(session, db.main_company.id, name="Acme", city="Bilbao")
    session.commit()
    update_partner(session, partner, city="Milano", name="Acme")
    session.commit()
    partner_id = partner.id
    session.delete(partner)
    session.commit()
    assert entries(db, "contacts_partner", partner_id) == [
        ("create", None, None, None, boss.id),
        ("update", "city", "Bilbao", "Milano", boss.id),
        ("delete", None, "Acme", None, boss.id),
    ]


def test_secrets_are_not_logged(db):
    session = db.system()
    user = session.get(User, db.admin().id)
    user.password_hash = hash_password("another-password")
    user.name = "Boss"
    session.commit()
    fields = [e[1] for e in entries(db, "core_user", user.id)]
    assert fields == ["name"]


def test_a_refused_change_leaves_no_audit_entry(db):
    other = db.company("Elsewhere")
    alice = db.user("alice", groups=["contacts.group_user"])
    session = db.as_user(alice)
    try:
        create_partner(session, other.id, name="Refused")
    except Exception:
        session.rollback()
    assert db.system().scalars(select(Partner).where(Partner.name == "Refused")).first() is None
    assert db.system().scalars(select(AuditLog).where(AuditLog.new_value == "Refused")).first() is None
