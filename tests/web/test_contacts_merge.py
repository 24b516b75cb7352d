"""The duplicates page and the merge with its confirmation, in the browser."""
import pytest
from bottega_notes.models import Note
from sqlalchemy import select

from addons.contacts.models import Partner
from addons.contacts.services import create_partner, create_partners
from core.models import AuditLog


@pytest.fixture
def pair(web):
    session = web.db.system()
    company = web.db.main_company.id
    kept = create_partner(session, company, name="Ferretería Ibérica S.L.", is_company=True, vat="B12345674",
                          country_code="ES")
    merged = create_partner(session, company, name="FERRETERIA IBERICA SL", is_company=True, email="old@iberica.es")
    session.add_all([Note(partner_id=merged.id, body="called them", company_id=company),
                     Note(partner_id=merged.id, body="sent a quote", company_id=company)])
    session.commit()
    return kept.id, merged.id


def test_the_duplicates_page_lists_pairs_with_their_reason(web, clerk, pair):
    kept, merged = pair
    page = clerk.get("/contacts/duplicates").get_data(as_text=True)
    assert "Ferretería Ibérica S.L." in page and "FERRETERIA IBERICA SL" in page
    assert '<span class="badge">Similar name</span>' in page
    assert f"/contacts/merge?source={merged}&amp;target={kept}" in page
    sidebar = clerk.get("/contacts/partners/").get_data(as_text=True)
    assert 'href="/contacts/duplicates"' in sidebar and 'href="/contacts/partners/import"' in sidebar  # in the menu


def test_merging_asks_for_confirmation_then_moves_everything_and_archives(web, clerk, pair):
    kept, merged = pair
    confirm = clerk.get(f"/contacts/merge?source={merged}&target={kept}")
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    assert "Merge FERRETERIA IBERICA SL into Ferretería Ibérica S.L.?" in html
    assert "notes_note.partner_id: 2" in html
    assert f"/contacts/merge?source={kept}&amp;target={merged}" in html  # keep the other one instead
    assert web.db.system().get(Partner, merged).active  # nothing happened yet

    done = clerk.post("/contacts/merge", {"source": merged, "target": kept})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/contacts/partners/{kept}")
    record = clerk.get(done.headers["Location"]).get_data(as_text=True)
    assert "FERRETERIA IBERICA SL was merged into Ferretería Ibérica S.L.; 2 references moved." in record
    assert f"FERRETERIA IBERICA SL (#{merged})" in record  # the merge in the record's history
    check = web.db.system()
    assert {note.partner_id for note in check.scalars(select(Note))} == {kept}
    assert not check.get(Partner, merged).active and check.get(Partner, kept).email == "old@iberica.es"
    logged = check.scalars(select(AuditLog.changes).where(AuditLog.record_id == kept,
                                                          AuditLog.table_name == "contacts_partner")).all()
    assert [changes["merged"] for changes in logged if "merged" in changes] == [
        [None, f"FERRETERIA IBERICA SL (#{merged})"]]


def test_a_merge_that_cannot_be_done_explains_why_and_changes_nothing(web, clerk, pair):
    kept, _merged = pair
    response = clerk.post("/contacts/merge", {"source": kept, "target": kept})
    assert response.status_code == 422
    assert "Choose two different partners to merge." in response.get_data(as_text=True)
    assert clerk.get("/contacts/merge?source=abc&target=1").status_code == 404


def test_a_partner_of_another_company_cannot_be_merged_by_url(web, clerk, pair):
    kept, _merged = pair
    other = web.db.company("Altra S.p.A.")
    session = web.db.system()
    foreign = create_partner(session, other.id, name="Foreign")
    session.commit()
    assert clerk.get(f"/contacts/merge?source={foreign.id}&target={kept}").status_code == 404
    assert clerk.post("/contacts/merge", {"source": foreign.id, "target": kept}).status_code == 404
    assert web.db.system().get(Partner, foreign.id).active


def test_a_user_who_may_only_read_partners_cannot_merge(web, pair):
    kept, merged = pair
    web.db.user("reader", groups=["core.group_user"])
    reader = web.client()
    reader.login("reader")
    assert reader.get("/contacts/duplicates").status_code == 403
    reader.get("/account")
    assert reader.post("/contacts/merge", {"source": merged, "target": kept}).status_code == 403


def test_the_duplicates_page_shows_a_hundred_pairs_a_page(web, clerk):
    session = web.db.system()
    ids = create_partners(session, web.db.main_company.id,
                          [{"name": f"Shop {n}", "email": "orders@shops.example"} for n in range(16)])  # 120 pairs
    session.commit()
    first = clerk.get("/contacts/duplicates").get_data(as_text=True)
    assert '<span class="count">120</span>' in first and "Page 1 of 2" in first
    assert first.count('<span class="badge">Same email</span>') == 100
    last = clerk.get("/contacts/duplicates?page=9").get_data(as_text=True)  # past the end: the last page
    assert "Page 2 of 2" in last and last.count('<span class="badge">Same email</span>') == 20
    assert f"/contacts/merge?source={ids[-1]}&amp;target={ids[-2]}" in last
