"""Duplicate detection and the merge, which re-points every reference held by any installed addon.

The third-party sample addon ``notes`` (tests/sample_addon, installed in the
test database) holds ``notes_note.partner_id``: contacts knows nothing about
it, and the merge still moves its notes.
"""
import pytest
from bottega_notes.models import Note
from sqlalchemy import select

from addons.contacts.matching import find_duplicates, find_matches, normalize_name
from addons.contacts.merge import merge_partners, partner_references
from addons.contacts.models import Partner
from addons.contacts.services import create_partner, create_tag
from core import hookimpl
from core.errors import AccessDenied, ValidationError
from core.models import AuditLog


@pytest.fixture
def clerk(db):
    return db.user("clerk", groups=["contacts.group_user"])


@pytest.fixture
def session(db, clerk):
    return db.as_user(clerk)


def make(session, db, name, **values):
    return create_partner(session, db.main_company.id, name=name, **values)


@pytest.mark.parametrize("first, second", [
    ("Ferretería Ibérica, S.L.", "FERRETERIA IBERICA SL"),
    ("Rossi Arredamenti S.r.l.", "rossi arredamenti srl"),
    ("Officine Fiorentine S.p.A.", "Officine Fiorentine SpA"),
    ("Talleres Levante S.A.", "Talleres Levante, sociedad anónima"),
])
def test_names_are_compared_without_accents_case_punctuation_or_legal_forms(first, second):
    assert normalize_name(first) == normalize_name(second)


def test_duplicates_by_tax_id_email_and_near_identical_name(db, session):
    a = make(session, db, "Ferretería Ibérica S.L.", is_company=True, vat="B12345674", country_code="ES")
    b = make(session, db, "Ibérica Hardware", is_company=True, vat="ESB12345674", country_code="ES")
    c = make(session, db, "Ana García", email="Ana@Example.es")
    d = make(session, db, "Ana Garcia Lopez", email="ana@example.es ")
    e = make(session, db, "FERRETERIA IBERICA, SL")
    f = make(session, db, "Rossi Arredamenti")
    g = make(session, db, "Rosi Arredamenti")  # a typo
    make(session, db, "Customer 00001")
    make(session, db, "Customer 00002")  # numbered names are different partners
    found = {(pair.first.id, pair.second.id): pair.reasons for pair in find_duplicates(session)}
    assert found == {
        (a.id, b.id): ("tax_id",),
        (c.id, d.id): ("email",),
        (a.id, e.id): ("name",),
        (f.id, g.id): ("name",),
    }
    assert [p.reason_labels for p in find_duplicates(session)][:2] == [["Same tax ID"], ["Same email"]]
    assert [(p.id, r) for p, r in find_matches(session, db.main_company.id, name="Ferreteria Iberica",
                                               vat="ES-B12345674", country_code="ES")] == [
        (a.id, ("tax_id", "name")), (b.id, ("tax_id",)), (e.id, ("name",))]


def test_archived_partners_and_other_companies_are_not_duplicates(db, session):
    other = db.company("Other Co")
    system = db.system()
    create_partner(system, other.id, name="Acme", email="info@acme.es")
    system.commit()
    archived = make(session, db, "Acme", email="info@acme.es")
    archived.active = False
    make(session, db, "Acme", email="info@acme.es")
    assert find_duplicates(session) == []


def test_merge_repoints_notes_of_a_third_party_addon_children_and_tags_then_archives(db, session, clerk):
    source = make(session, db, "Ferreteria Iberica SL", is_company=True, email="old@iberica.es", phone="+34 911 22 33",
                  vat="B12345674", country_code="ES")
    target = make(session, db, "Ferretería Ibérica S.L.", is_company=True, email="info@iberica.es",
                  country_code="ES", tags=["VIP"])
    create_tag(session, db.main_company.id, name="Supplier")
    source.tags = list(target.tags)
    session.flush()
    make(session, db, "Supplier tag holder", tags=["Supplier"])
    worker = make(session, db, "Lucía Martín", parent_id=source.id)
    session.commit()
    system = db.system()
    notes = [Note(partner_id=source.id, body=f"call {n}", company_id=db.main_company.id) for n in range(3)]
    system.add_all(notes)
    system.commit()

    result = merge_partners(session, source, target)
    session.commit()
    source, target, worker = (session.get(Partner, p.id) for p in (source, target, worker))
    session.close()  # its later lazy loads would interleave savepoints with the checking session

    assert result.repointed == {"notes_note.partner_id": 3, "contacts_partner.parent_id": 1}
    check = db.system()
    assert {n.partner_id for n in check.scalars(select(Note))} == {target.id}
    assert check.get(Partner, worker.id).parent_id == target.id
    stored_source, stored_target = check.get(Partner, source.id), check.get(Partner, target.id)
    assert not stored_source.active and stored_target.active
    # the target keeps its own values and takes the ones it lacked
    assert (stored_target.email, stored_target.phone, stored_target.vat) == (
        "info@iberica.es", "+34 911 22 33", "B12345674")
    assert [t.name for t in stored_target.tags] == ["VIP"]
    audit = check.scalars(select(AuditLog).where(AuditLog.user_id == clerk.id, AuditLog.action == "update")).all()
    merged = [a for a in audit if a.table_name == "contacts_partner" and "merged" in a.changes]
    assert [(a.record_id, a.changes["merged"]) for a in merged] == [
        (target.id, [None, f"Ferreteria Iberica SL (#{source.id})"])]
    moved = sorted(a.record_id for a in audit if a.table_name == "notes_note" and "partner_id" in a.changes)
    assert moved == sorted(n.id for n in notes)
    assert any(a.record_id == source.id and a.changes.get("active") == ["True", "False"] for a in audit)


def test_merge_finds_references_through_the_registry(db):
    references = {f"{table.name}.{column.name}" for table, column in partner_references(db.registry)}
    assert {"notes_note.partner_id", "contacts_partner.parent_id", "contacts_partner_tag.partner_id"} <= references


def test_the_partners_merged_hook_is_called_before_the_source_is_archived(db, session):
    seen = []

    class Listener:
        @hookimpl
        def partners_merged(self, session, source, target):
            seen.append((source.name, target.name, source.active))

    db.registry.pm.register(Listener(), name="merge-listener")
    try:
        source, target = make(session, db, "Old"), make(session, db, "New")
        merge_partners(session, source, target)
    finally:
        db.registry.pm.unregister(name="merge-listener")
    assert seen == [("Old", "New", True)]


def test_merging_needs_write_access_to_both_partners(db, session):
    other = db.company("Other Co")
    system = db.system()
    foreign = create_partner(system, other.id, name="Foreign")
    system.commit()
    mine = make(session, db, "Mine")
    with pytest.raises(ValidationError, match="belong to different companies"):
        merge_partners(session, mine, system.get(Partner, foreign.id))
    reader = db.user("reader", groups=["core.group_user"])
    with pytest.raises(AccessDenied, match="may not write Partner"):
        merge_partners(db.as_user(reader), mine, make(session, db, "Mine too"))


def test_merge_refuses_impossible_merges_and_changes_nothing(db, session):
    firm = make(session, db, "Firm", is_company=True)
    person = make(session, db, "Person", parent_id=firm.id)
    loner = make(session, db, "Loner")
    with pytest.raises(ValidationError, match="Choose two different partners"):
        merge_partners(session, firm, firm)
    with pytest.raises(ValidationError, match="Person works at Firm"):
        merge_partners(session, firm, person)
    with pytest.raises(ValidationError, match="Firm has contacts and Loner is a person"):
        merge_partners(session, firm, loner)
    loner.active = False
    with pytest.raises(ValidationError, match="Loner is archived"):
        merge_partners(session, person, loner)
    assert firm.active and person.parent_id == firm.id
