"""The duplicate search's stored keys and name pairs stay current through every write, and the search shows
only partners the user may read.

Each test compares the stored search with the straightforward one: every
two active partners of a company compared in Python (:func:`expected_pairs`).
"""
from itertools import combinations

import pytest
from sqlalchemy import select

from addons.contacts.importing import PartnerImport
from addons.contacts.matching import (
    count_duplicates,
    find_duplicates,
    normalize_email,
    normalize_name,
    similar_names,
)
from addons.contacts.merge import merge_partners
from addons.contacts.models import Partner, PartnerMatch
from addons.contacts.services import archive_partner, create_partner, update_partner
from core.imports import read_file, run_import
from core.security import RecordRule
from core.taxid import same_tax_id_key


@pytest.fixture
def clerk(db):
    return db.user("clerk", groups=["contacts.group_user"])


@pytest.fixture
def session(db, clerk):
    return db.as_user(clerk)


def make(session, db, name, **values):
    return create_partner(session, db.main_company.id, name=name, **values)


def expected_pairs(session) -> dict:
    """Every two active partners of one company that the session reads, compared one by one."""
    partners = session.scalars(select(Partner).where(Partner.active.is_(True)).order_by(Partner.id)).all()
    found = {}
    for a, b in combinations(partners, 2):
        if a.company_id != b.company_id:
            continue
        reasons = []
        vat = same_tax_id_key(a.vat, a.country_code)
        if vat and vat == same_tax_id_key(b.vat, b.country_code):
            reasons.append("tax_id")
        if normalize_email(a.email) and normalize_email(a.email) == normalize_email(b.email):
            reasons.append("email")
        first, second = normalize_name(a.name), normalize_name(b.name)
        if first and first[:3] == second[:3] and similar_names(first, second):
            reasons.append("name")
        if reasons:
            found[a.id, b.id] = tuple(reasons)
    return found


def stored_pairs(session) -> dict:
    pairs = find_duplicates(session)
    assert count_duplicates(session) == len(pairs)
    return {(pair.first.id, pair.second.id): pair.reasons for pair in pairs}


def test_keys_and_pairs_follow_each_update(db, session):
    rossi = make(session, db, "Rossi Arredamenti S.r.l.", email="Info@Rossi.it", vat="IT01114601006",
                 country_code="IT")
    other = make(session, db, "Bianchi Mobili")
    assert (rossi.match_name, rossi.match_block, rossi.match_email, rossi.match_vat) == (
        "rossi arredamenti", "ros", "info@rossi.it", "IT:01114601006")
    assert stored_pairs(session) == expected_pairs(session) == {}
    update_partner(session, other, name="Rosi Arredamenti")  # a typo apart
    assert stored_pairs(session) == expected_pairs(session) == {(rossi.id, other.id): ("name",)}
    update_partner(session, other, email=" INFO@rossi.it")
    assert stored_pairs(session) == expected_pairs(session) == {(rossi.id, other.id): ("email", "name")}
    update_partner(session, other, name="Bianchi Mobili", email=None, vat="01114601006", country_code="IT")
    assert stored_pairs(session) == expected_pairs(session) == {(rossi.id, other.id): ("tax_id",)}
    assert [(m.first_id, m.second_id, m.reason) for m in session.scalars(select(PartnerMatch))] == [
        (rossi.id, other.id, "tax_id")]
    archive_partner(session, other)
    assert stored_pairs(session) == {}


def test_a_merge_gives_the_target_the_keys_of_what_it_takes_and_drops_the_source(db, session):
    target = make(session, db, "Ferreteria Iberica SL", is_company=True)
    source = make(session, db, "Ferretería Ibérica", is_company=True, email="info@iberica.es")
    near = make(session, db, "Ferreteria Iberika", is_company=True)  # near-identical to both
    same_email = make(session, db, "Ibérica Hardware", email="INFO@iberica.es")
    assert stored_pairs(session) == expected_pairs(session)
    assert (source.id, same_email.id) in stored_pairs(session)
    merge_partners(session, source, target)
    assert target.match_email == "info@iberica.es"
    found = stored_pairs(session)
    assert found == expected_pairs(session) == {(target.id, same_email.id): ("email",),
                                                 (target.id, near.id): ("name",)}
    assert all(source.id not in pair for pair in found)


def test_an_import_stores_the_keys_and_pairs_of_its_partners(db, session):
    existing = make(session, db, "Panadería del Sol", is_company=True)
    data = ("Name,Email,Tax ID,Country\n"
            "Panaderia del Sool,,,\n"
            "Rossi Arredamenti S.r.l.,info@rossi.it,IT01114601006,IT\n"
            "ROSSI ARREDAMENTI SRL,,,\n"
            "Mario Rossi,Info@Rossi.it,,\n").encode()
    report = run_import(session, PartnerImport(session, db.main_company.id), read_file(data, "p.csv"), None)
    assert report.ok, report
    imported = {p.name: p for p in session.scalars(select(Partner).where(Partner.id != existing.id))}
    assert imported["Mario Rossi"].match_email == "info@rossi.it"
    assert imported["Rossi Arredamenti S.r.l."].match_vat == "IT:01114601006"
    found = stored_pairs(session)
    assert found == expected_pairs(session)
    assert (existing.id, imported["Panaderia del Sool"].id) in found
    rossi, upper = imported["Rossi Arredamenti S.r.l."].id, imported["ROSSI ARREDAMENTI SRL"].id
    assert found[rossi, upper] == ("name",)


def test_the_page_order_and_pages_match_the_whole_list(db, session):
    for number in range(6):
        make(session, db, f"Officine Fiorentine {number}", email=f"o{number % 2}@fiorentine.it")
        make(session, db, f"Officine Fiorentine {number} SpA", vat="IT01114601006" if number < 2 else None,
             country_code="IT")
    whole = find_duplicates(session)
    assert {(p.first.id, p.second.id): p.reasons for p in whole} == expected_pairs(session)
    strength = [min(("tax_id", "email", "name").index(r) for r in p.reasons) for p in whole]
    assert strength == sorted(strength)
    pages = [find_duplicates(session, limit=4, offset=offset) for offset in range(0, len(whole), 4)]
    assert [(p.first.id, p.second.id) for page in pages for p in page] == [(p.first.id, p.second.id) for p in whole]


@pytest.fixture
def own_partners_rule(db):
    """Clerks read only the partners they are the salesperson of (a record rule, added for the test)."""
    rule = RecordRule(Partner, "own partners", lambda actor: Partner.salesperson_id == actor.user_id,
                      groups=("contacts.group_user",))
    db.registry.rules[Partner].append(rule)
    db.registry._rule_checks.clear()
    yield
    db.registry.rules[Partner].remove(rule)
    db.registry._rule_checks.clear()


def test_a_pair_is_shown_only_when_the_user_may_read_both_partners(db, own_partners_rule):
    clerk = db.user("rule-clerk", groups=["contacts.group_user"])
    colleague = db.user("colleague", groups=["contacts.group_user"])
    system = db.system()
    company = db.main_company.id
    mine = create_partner(system, company, name="Rossi Arredamenti", email="info@rossi.it", salesperson_id=clerk.id)
    theirs = create_partner(system, company, name="Rosi Arredamenti", email="info@rossi.it",
                            salesperson_id=colleague.id)
    also_mine = create_partner(system, company, name="Rossi Arredamenti SRL", salesperson_id=clerk.id)
    other = db.company("Other Co")
    create_partner(system, other.id, name="Rossi Arredamenti", salesperson_id=clerk.id)
    create_partner(system, other.id, name="Rossi Arredamenti", salesperson_id=clerk.id)
    system.commit()
    assert {(p.first.id, p.second.id) for p in find_duplicates(system)} >= {
        (mine.id, theirs.id), (mine.id, also_mine.id), (theirs.id, also_mine.id)}
    session = db.as_user(clerk)
    assert stored_pairs(session) == expected_pairs(session) == {(mine.id, also_mine.id): ("name",)}
    assert find_duplicates(session, partners=[theirs]) == []
