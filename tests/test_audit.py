"""Every create, update and delete of a business record lands in the audit log, written by the core."""
import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from addons.contacts.models import Partner
from addons.contacts.services import create_partner, update_partner
from core.audit import audited, changes_json, created_changes, created_json
from core.errors import AccessDenied
from core.models import AuditLog, Group, User
from core.security.actor import ADMIN_GROUP

MANAGER = "contacts.group_manager"


def entries(db, table, record_id, field=...):
    """(action, field, old, new, user id) of each field change logged for one record, oldest first."""
    query = select(AuditLog).where(AuditLog.table_name == table, AuditLog.record_id == record_id)
    found = []
    for r in db.system().scalars(query.order_by(AuditLog.id)):
        changes = [(None if name == "record" else name, old, new) for name, (old, new) in r.changes.items()]
        found += [(r.action, name, old, new, r.user_id) for name, old, new in changes or [(None, None, None)]]
    return [e for e in found if field is ... or e[1] == field]


def logged(db, table, record_id, action):
    """{field: (old, new)} of the rows of one action on one record."""
    return {e[1]: (e[2], e[3]) for e in entries(db, table, record_id) if e[0] == action}


def test_create_update_delete_are_logged_with_who_field_old_and_new(db):
    boss = db.user("boss", groups=[MANAGER])
    session = db.as_user(boss)
    partner = create_partner(session, db.main_company.id, name="Acme", city="Bilbao")
    session.commit()
    update_partner(session, partner, city="Milano", name="Acme")
    session.commit()
    partner_id = partner.id
    session.delete(partner)
    session.commit()
    assert entries(db, "contacts_partner", partner_id, "city") == [
        ("create", "city", None, "Bilbao", boss.id),
        ("update", "city", "Bilbao", "Milano", boss.id),
        ("delete", "city", "Milano", None, boss.id),
    ]
    assert entries(db, "contacts_partner", partner_id, "name") == [
        ("create", "name", None, "Acme", boss.id),
        ("delete", "name", "Acme", None, boss.id),
    ]


def test_one_row_per_record_and_flush_holds_all_its_field_changes(db):
    session = db.as_user(db.user("boss", groups=[MANAGER]))
    partner = create_partner(session, db.main_company.id, name="Acme", city="Bilbao", vat="ESB12345674")
    session.commit()
    update_partner(session, partner, city="Milano", street="Via Roma 1")
    session.commit()
    rows = db.system().scalars(select(AuditLog).where(AuditLog.table_name == "contacts_partner",
                                                      AuditLog.record_id == partner.id).order_by(AuditLog.id)).all()
    assert [r.action for r in rows] == ["create", "update"]
    assert rows[0].changes["city"] == [None, "Bilbao"] and rows[0].changes["vat"] == [None, "B12345674"]
    assert rows[1].changes == {"city": ["Bilbao", "Milano"], "street": [None, "Via Roma 1"]}


def test_create_logs_every_initial_non_null_value_and_delete_every_old_one(db):
    session = db.as_user(db.user("boss", groups=[MANAGER]))
    company_id = db.main_company.id
    partner = create_partner(session, company_id, name="Acme", city="Bilbao", vat="ESB12345674")
    session.commit()
    created = logged(db, "contacts_partner", partner.id, "create")
    assert {k: v for k, v in created.items() if k not in ("created_at", "updated_at")} == {
        "name": (None, "Acme"),
        "city": (None, "Bilbao"),
        "vat": (None, "B12345674"),
        "country_code": (None, "ES"),
        "company_id": (None, str(company_id)),
        "is_company": (None, "False"),
        "active": (None, "True"),
    }
    assert "email" not in created and "id" not in created  # nulls and the record id itself are not rows

    partner_id = partner.id
    session.delete(partner)
    session.commit()
    deleted = logged(db, "contacts_partner", partner_id, "delete")
    assert {k: (old, new) for k, (new, old) in created.items()} == deleted


def test_delete_of_an_expired_record_logs_its_values_from_the_database(db):
    session = db.as_user(db.user("boss", groups=[MANAGER]))
    partner = create_partner(session, db.main_company.id, name="Acme", city="Bilbao")
    session.commit()
    partner_id = partner.id
    session.expire(partner)
    session.delete(partner)
    session.commit()
    assert logged(db, "contacts_partner", partner_id, "delete")["city"] == ("Bilbao", None)


def test_excluded_fields_and_opted_out_models_are_not_logged(db, monkeypatch):
    monkeypatch.setattr(Partner, "__audit_exclude__", ("vat", "email"), raising=False)
    session = db.system()
    partner = create_partner(session, db.main_company.id, name="Acme", vat="ESB12345674", email="a@b.es")
    update_partner(session, partner, vat="ESA58818501", email="c@d.es", city="Bilbao")
    partner_id = partner.id
    session.delete(partner)
    session.commit()
    fields = {e[1] for e in entries(db, "contacts_partner", partner_id)}
    assert "name" in fields and "city" in fields
    assert not fields & {"vat", "email"}

    monkeypatch.setattr(Partner, "__audit__", False, raising=False)
    last = session.scalar(select(func.max(AuditLog.id)))
    other = create_partner(session, db.main_company.id, name="Hidden")
    update_partner(session, other, city="Bilbao")
    session.delete(other)
    session.commit()
    assert db.system().scalars(select(AuditLog).where(AuditLog.id > last)).all() == []


def test_a_record_without_loggable_values_still_gets_plain_create_and_delete_rows(db, monkeypatch):
    hidden = tuple(attr.key for attr in inspect(Partner).column_attrs)
    monkeypatch.setattr(Partner, "__audit_exclude__", hidden, raising=False)
    session = db.system()
    partner = create_partner(session, db.main_company.id, name="Acme")
    partner_id = partner.id
    session.commit()
    session.delete(partner)
    session.commit()
    assert entries(db, "contacts_partner", partner_id) == [
        ("create", None, None, None, None),
        ("delete", None, "Acme", None, None),
    ]


def test_users_own_fields_are_logged_but_secrets_never(db):
    session = db.system()
    user = session.get(User, db.admin().id)
    user.name = "Boss"
    session.commit()
    assert [e[1] for e in entries(db, "core_user", user.id)] == ["name"]
    for excluded in getattr(User, "__audit_exclude__", ()):
        assert not entries(db, "core_user", user.id, excluded)


def test_many_to_many_changes_are_logged_by_display_name(db):
    clerk = db.user("clerk", groups=["core.group_user"])
    admin = db.admin()
    session = db.as_user(admin)
    user = session.get(User, clerk.id)
    group = session.scalars(select(Group).where(Group.key == ADMIN_GROUP)).one()
    user.groups.append(group)
    session.commit()
    user.groups.remove(group)
    session.commit()
    assert entries(db, "core_user", clerk.id, "groups")[-2:] == [
        ("update", "groups", None, group.label, admin.id),
        ("update", "groups", group.label, None, admin.id),
    ]


def test_a_new_users_groups_are_logged_as_created_values(db):
    clerk = db.user("clerk", groups=["core.group_user", MANAGER])
    session = db.system()
    labels = sorted(g.label for g in session.scalars(select(Group).where(Group.key.in_(["core.group_user", MANAGER]))))
    created = entries(db, "core_user", clerk.id, "groups")
    assert [(e[0], e[2], sorted(e[3].split(", "))) for e in created] == [("create", None, labels)]
    assert ("create", "companies", None, db.main_company.name, None) in entries(db, "core_user", clerk.id)


def test_old_value_of_an_expired_attribute_is_read_from_the_database(db):
    session = db.as_user(db.user("boss", groups=[MANAGER]))
    partner = create_partner(session, db.main_company.id, name="Acme", city="Bilbao")
    session.commit()
    session.expire(partner)
    partner.city = "Milano"
    session.commit()
    session.expire(partner)
    update_partner(session, partner, city="Roma")
    session.commit()
    assert [e[2:4] for e in entries(db, "contacts_partner", partner.id, "city")] == [
        (None, "Bilbao"),
        ("Bilbao", "Milano"),
        ("Milano", "Roma"),
    ]


def test_old_value_is_kept_after_a_rollback(db):
    alice = db.user("alice", groups=[MANAGER])
    session = db.as_user(alice)
    partner = create_partner(session, db.main_company.id, name="Acme", city="Bilbao")
    session.commit()
    elsewhere = db.company("Elsewhere")
    with pytest.raises(AccessDenied):
        create_partner(session, elsewhere.id, name="Refused")
    session.rollback()  # expires every loaded attribute
    partner.city = "Milano"
    session.commit()
    assert entries(db, "contacts_partner", partner.id, "city")[-1] == ("update", "city", "Bilbao", "Milano", alice.id)


def test_deleting_a_partner_with_notes_fails_instead_of_deleting_them_unlogged(db):
    from bottega_notes.models import Note

    session = db.system()
    partner = create_partner(session, db.main_company.id, name="Acme")
    partner_id = partner.id
    session.add(Note(partner_id=partner_id, company_id=partner.company_id, body="called"))
    session.commit()
    session.delete(partner)
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()
    assert db.system().scalars(select(Note).where(Note.partner_id == partner_id)).one().body == "called"


def test_no_audited_model_lets_the_database_change_its_rows_behind_the_audit_log(registry):
    """ON DELETE CASCADE / SET NULL would delete or change audited rows without an entry or a delete check.

    Except an extension's side row (core.fields.Extension): it is part of the
    record it extends, so it goes when that record's logged deletion does,
    and the extension contract asks for that cascade.
    """
    side_keys = {extension.side.__table__.c[extension.key]
                 for extensions in registry.extensions.values() for extension in extensions}
    offending = [
        f"{model.__name__}.{fk.parent.name} -> {fk.target_fullname} ON DELETE {fk.ondelete}"
        for models in registry.models_by_addon.values()
        for model in models
        if audited(model)
        for fk in model.__table__.foreign_keys
        if fk.ondelete and fk.ondelete.upper() not in ("RESTRICT", "NO ACTION") and fk.parent not in side_keys
    ]
    assert offending == []


def test_a_refused_change_leaves_no_audit_entry(db):
    other = db.company("Elsewhere")
    alice = db.user("alice", groups=["contacts.group_user"])
    session = db.as_user(alice)
    accepted_id = create_partner(session, db.main_company.id, name="Accepted").id
    session.commit()
    with pytest.raises(AccessDenied):
        create_partner(session, other.id, name="Refused")
    session.rollback()

    def creates_named(name):
        rows = db.system().scalars(select(AuditLog).where(AuditLog.table_name == "contacts_partner",
                                                          AuditLog.action == "create")).all()
        return [r for r in rows if r.changes.get("name") == [None, name]]

    assert [r.record_id for r in creates_named("Accepted")] == [accepted_id]  # the check below can fail
    assert db.system().scalars(select(Partner).where(Partner.name == "Refused")).first() is None
    assert creates_named("Refused") == []


def test_the_json_a_batch_writes_directly_is_what_json_dumps_writes():
    values = {"name": 'Café "Sol" 100%', "email": "sol@example.es", "street": "Línea 1\nPiso 2", "is_company": True,
              "active": False, "parent_id": 7, "created_at": dt.datetime(2026, 12, 3, 8, 0), "vat": None}
    expected = json.dumps({key: [None, text] for key, text in (
        ("name", 'Café "Sol" 100%'), ("is_company", "True"), ("parent_id", "7"), ("email", "sol@example.es"),
        ("street", "Línea 1\nPiso 2"), ("active", "False"))})
    assert created_json(Partner, values) == changes_json(created_changes(Partner, values)) == expected
    assert changes_json({"price": (Decimal("1.50"), None), "day": (dt.date(2026, 1, 2), dt.date(2026, 1, 3))}) == (
        json.dumps({"price": ["1.50", None], "day": ["2026-01-02", "2026-01-03"]}))
