"""Filters on any readable field, group-by, pivot and graph on the generic list (contacts partners, CRM leads)."""
from addons.contacts.services import create_partner


def seed_partners(web):
    session = web.db.system()
    company = web.db.main_company.id
    for number, (city, is_company) in enumerate((("Bari", True), ("Bari", False), ("Roma", True), (None, False))):
        create_partner(session, company, name=f"Partner {number}", city=city, is_company=is_company)
    session.commit()


def test_smoke(web, clerk):
    seed_partners(web)
    page = clerk.get("/contacts/partners/?where=city:eq:Bari")
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html
    assert "Partner 0" in html and "Partner 2" not in html
    grouped = clerk.get("/contacts/partners/?group=city")
    assert grouped.status_code == 200, grouped.get_data(as_text=True)
    print(grouped.get_data(as_text=True))
    pivot = clerk.get("/contacts/partners/pivot?group=city&group=is_company")
    assert pivot.status_code == 200, pivot.get_data(as_text=True)
    graph = clerk.get("/contacts/partners/graph?group=city&group=is_company")
    assert graph.status_code == 200, graph.get_data(as_text=True)
