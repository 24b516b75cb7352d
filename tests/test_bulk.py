"""core.bulk writes a batch per statement with the checks of a flush: access, record rules, bounds, audit."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from addons.contacts.models import Partner, Tag
from addons.crm.models import Lead
from core.bulk import insert_rows, update_rows
from core.errors import AccessDenied, ValidationError
from core.models import AuditLog

CONTACTS_USER = "contacts.group_user"
SALESPERSON = "crm.group_salesperson"


def count(db, model) -> int:
    return db.system().scalar(select(func.count()).select_from(model))


def audit_of(db, table: str, record_id: int) -> list[tuple]:
    rows = db.system().scalars(select(AuditLog).where(AuditLog.table_name == table, AuditLog.record_id == record_id)
                               .order_by(AuditLog.id))
    return [(row.action, row.user_id, row.changes) for row in rows]


def test_inserted_rows_get_their_ids_in_order_defaults_links_and_one_audit_row_each(db):
    clerk = db.user("clerk", groups=[CONTACTS_USER, "contacts.group_manager"])
    session = db.as_user(clerk)
    company = db.main_company.id
    vip = Tag(company_id=company, name="VIP")
    session.add(vip)
    session.flush()
    ids = insert_rows(session, Partner, [{"company_id": company, "name": f"Bulk {n}", "city": "Bilbao"}
                                         for n in range(3)], collections={"tags": [[vip], [], [vip]]})
    session.commit()
    stored = db.system().scalars(select(Partner).where(Partner.id.in_(ids)).order_by(Partner.id)).all()
    assert [(p.id, p.name, p.active, [t.name for t in p.tags]) for p in stored] == [
        (ids[0], "Bulk 0", True, ["VIP"]), (ids[1], "Bulk 1", True, []), (ids[2], "Bulk 2", True, ["VIP"])]
    [(action, user_id, changes)] = audit_of(db, "contacts_partner", ids[0])
    assert (action, user_id) == ("create", clerk.id)
    assert changes["name"] == [None, "Bulk 0"] and changes["active"] == [None, "True"]
    assert changes["tags"] == [None, "VIP"] and "tags" not in audit_of(db, "contacts_partner", ids[1])[0][2]


def test_a_user_without_create_access_writes_nothing(db):
    session = db.as_user(db.user("nobody", groups=["core.group_user"]))
    with pytest.raises(AccessDenied, match="may not create Partner"):
        insert_rows(session, Partner, [{"company_id": db.main_company.id, "name": "Refused"}])
    session.rollback()
    assert count(db, Partner) == 0


def test_a_row_of_a_company_the_user_may_not_work_in_refuses_the_whole_batch(db):
    other = db.company("Other S.L.")
    session = db.as_user(db.user("clerk", groups=[CONTACTS_USER]))
    rows = [{"company_id": db.main_company.id, "name": "Mine"}, {"company_id": other.id, "name": "Theirs"}]
    with pytest.raises(AccessDenied, match=f"in companies \\[{other.id}\\]"):
        insert_rows(session, Partner, rows)
    session.rollback()
    assert count(db, Partner) == 0


def test_a_row_outside_a_sql_record_rule_takes_the_whole_batch_back(db):
    seller = db.user("seller", groups=[SALESPERSON])
    other = db.user("other", groups=[SALESPERSON])
    session = db.as_user(seller)
    session.add(Lead(company_id=db.main_company.id, name="Kept", kind="lead", state="open", user_id=seller.id))
    session.flush()
    rows = [{"company_id": db.main_company.id, "name": name, "kind": "lead", "state": "open", "user_id": owner}
            for name, owner in (("Mine", seller.id), ("Someone else's", other.id))]
    with pytest.raises(AccessDenied, match="may not create Lead"):
        insert_rows(session, Lead, rows)
    assert session.scalars(select(Lead.name)).all() == ["Kept"]  # the savepoint took the batch back, not the rest
    session.commit()
    assert db.system().scalars(select(Lead.name)).all() == ["Kept"]


def test_values_out_of_their_column_s_bounds_are_refused_naming_the_field(db):
    session = db.as_user(db.user("seller", groups=["crm.group_manager"]))
    with pytest.raises(ValidationError) as refused:
        insert_rows(session, Lead, [{"company_id": db.main_company.id, "name": "Huge", "kind": "lead",
                                     "state": "open", "expected_revenue": Decimal("1e30")}])
    assert refused.value.field == "expected_revenue" and "Lead 0" in str(refused.value)
    session.rollback()
    assert count(db, Lead) == 0


def test_updates_are_checked_before_and_after_audited_old_to_new_and_expire_loaded_objects(db):
    seller = db.user("seller", groups=[SALESPERSON])
    other = db.user("other", groups=[SALESPERSON])
    system = db.system()
    mine = Lead(company_id=db.main_company.id, name="Mine", kind="lead", state="open", user_id=seller.id)
    theirs = Lead(company_id=db.main_company.id, name="Theirs", kind="lead", state="open", user_id=other.id)
    system.add_all([mine, theirs])
    system.commit()
    session = db.as_user(seller)
    loaded = session.get(Lead, mine.id)
    assert loaded.name == "Mine"
    update_rows(session, Lead, {mine.id: {"name": "Renamed", "expected_revenue": Decimal("100.00")}})
    assert loaded.name == "Renamed"  # the loaded object was expired, so it reads the new row
    with pytest.raises(AccessDenied, match=f"may not write Lead {theirs.id}"):
        update_rows(session, Lead, {theirs.id: {"name": "Taken"}})
    with pytest.raises(AccessDenied, match=f"may not write Lead {mine.id}"):
        update_rows(session, Lead, {mine.id: {"user_id": other.id}})  # moved out of the seller's rules
    session.commit()
    assert db.system().get(Lead, mine.id).user_id == seller.id
    assert db.system().get(Lead, theirs.id).name == "Theirs"
    assert audit_of(db, "crm_lead", mine.id)[-1] == (  # updated_at is not logged: each entry has its time
        "update", seller.id, {"name": ["Mine", "Renamed"], "expected_revenue": ["0.00", "100.00"]})


def test_hidden_columns_are_not_logged_by_a_batch(db, monkeypatch):
    monkeypatch.setattr(Lead, "__audit_exclude__", ("email",), raising=False)
    session = db.as_user(db.user("boss", groups=["crm.group_manager"]))
    [lead_id] = insert_rows(session, Lead, [{"company_id": db.main_company.id, "name": "Quiet", "kind": "lead",
                                             "state": "open", "email": "secret@example.com"}])
    update_rows(session, Lead, {lead_id: {"email": "other@example.com", "name": "Loud", "updated_at": dt.datetime(2026, 1, 2)}})
    session.commit()
    created, updated = [changes for _action, _user, changes in audit_of(db, "crm_lead", lead_id)]
    assert "email" not in created and created["name"] == [None, "Quiet"]
    assert updated == {"name": ["Quiet", "Loud"]}


def test_rows_may_leave_out_different_columns_which_take_their_default_or_null(db):
    session = db.as_user(db.user("clerk", groups=[CONTACTS_USER]))
    company = db.main_company.id
    ids = insert_rows(session, Partner, [{"company_id": company, "name": "With city", "city": "Bilbao"},
                                         {"company_id": company, "name": "Archived", "active": False}])
    session.commit()
    stored = {p.name: (p.city, p.active) for p in db.system().scalars(select(Partner).where(Partner.id.in_(ids)))}
    assert stored == {"With city": ("Bilbao", True), "Archived": (None, False)}


def test_a_batch_is_stamped_at_one_instant_and_other_computed_defaults_are_made_row_by_row(db):
    from addons.crm.models import Team

    session = db.system()
    partners = insert_rows(session, Partner, [{"company_id": db.main_company.id, "name": f"P{n}"} for n in range(3)])
    teams = insert_rows(session, Team, [{"company_id": db.main_company.id, "name": f"Team {n}"} for n in range(3)])
    session.commit()
    stamps = db.system().execute(select(Partner.created_at, Partner.updated_at).where(Partner.id.in_(partners))).all()
    assert len({stamp for row in stamps for stamp in row}) == 1
    keys = db.system().scalars(select(Team.capture_key).where(Team.id.in_(teams))).all()
    assert len(set(keys)) == 3 and all(keys)
