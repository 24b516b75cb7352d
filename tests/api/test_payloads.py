"""The record serializer: what the acting user may read, in JSON's terms."""
from decimal import Decimal

from addons.accounting.models import PartnerAccounting
from addons.accounting.security import ACCOUNTANT
from addons.contacts.models import Partner, Tag
from addons.contacts.security import USER as CONTACTS_USER
from core.api.payloads import payload, payloads, unknown_fields


def _partner(db):
    system = db.system()
    company = db.main_company
    tag = Tag(company_id=company.id, name="VIP")
    partner = Partner(company_id=company.id, name="Acme", email="ap@acme.test", tags=[tag])
    system.add(partner)
    system.flush()
    system.add(PartnerAccounting(partner_id=partner.id, company_id=company.id, credit_limit=Decimal("1500.50")))
    system.commit()
    return partner


def test_fields_as_the_user_may_read_them(db):
    partner = _partner(db)
    clerk = db.as_user(db.user("clerk", groups=[CONTACTS_USER]))
    shown = payload(clerk, clerk.get(Partner, partner.id))
    assert shown["name"] == "Acme" and shown["id"] == partner.id
    assert shown["company_id"] == {"id": db.main_company.id, "display_name": db.main_company.name}
    assert [tag["display_name"] for tag in shown["tags"]] == ["VIP"]
    assert "credit_limit" not in shown  # accounting's extension: the clerk may not read its records
    assert "active" not in shown and "import_hash" not in shown  # internal, the framework's
    assert isinstance(shown["created_at"], str) and "T" in shown["created_at"]

    accountant = db.as_user(db.user("acc", groups=[CONTACTS_USER, ACCOUNTANT]))
    shown = payload(accountant, accountant.get(Partner, partner.id))
    assert shown["credit_limit"] == "1500.50"


def test_sparse_fields_and_expanded_relations(db):
    partner = _partner(db)
    clerk = db.as_user(db.user("clerk", groups=[CONTACTS_USER]))
    record = clerk.get(Partner, partner.id)
    assert payload(clerk, record, fields=["email", "credit_limit"]) == {"id": partner.id, "email": "ap@acme.test"}
    expanded = payload(clerk, record, fields=["company_id"], expand=["company_id"])
    assert expanded["company_id"]["id"] == db.main_company.id and "name" in expanded["company_id"]
    assert unknown_fields(clerk, Partner, ["email", "credit_limit", "nope"]) == ["credit_limit", "nope"]


def test_a_page_reads_each_side_table_once(db):
    system = db.system()
    company = db.main_company
    made = [Partner(company_id=company.id, name=f"P{n}") for n in range(3)]
    system.add_all(made)
    system.flush()
    system.add(PartnerAccounting(partner_id=made[1].id, company_id=company.id, credit_limit=Decimal("7")))
    system.commit()
    accountant = db.as_user(db.user("acc", groups=[CONTACTS_USER, ACCOUNTANT]))
    records = [accountant.get(Partner, p.id) for p in made]
    assert [row["credit_limit"] for row in payloads(accountant, records, fields=["credit_limit"])] == [
        None, "7.00", None]


def test_a_pages_statements_do_not_grow_with_its_rows(db):
    """Parents, companies and tags of a page are read once per model, whatever the number of rows."""
    from sqlalchemy import event

    system = db.system()
    company = db.main_company
    tag = Tag(company_id=company.id, name="VIP")
    parent = Partner(company_id=company.id, name="Group", is_company=True)
    system.add_all([tag, parent])
    system.flush()
    system.add_all([Partner(company_id=company.id, name=f"P{n}", parent_id=parent.id, tags=[tag]) for n in range(30)])
    system.commit()
    clerk = db.as_user(db.user("clerk", groups=[CONTACTS_USER]))
    statements = []
    engine = clerk.get_bind()
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    counts = []
    for size in (3, 30):
        records = clerk.query(Partner).filter(Partner.parent_id == parent.id).limit(size).all()
        event.listen(engine, "before_cursor_execute", listen)
        try:
            statements.clear()
            shown = payloads(clerk, records)
            counts.append(len(statements))
        finally:
            event.remove(engine, "before_cursor_execute", listen)
        clerk.expunge_all()
        assert [row["tags"][0]["display_name"] for row in shown] == ["VIP"] * size
        assert {row["parent_id"]["display_name"] for row in shown} == {"Group"}
        assert not [name for name in shown[0] if name.startswith("match_")]  # derived keys: never shown
    assert counts[0] == counts[1], counts
