"""Listing and reading records through the API: the user's fields, filters, sorting, keyset pages."""
from addons.contacts.models import Partner
from addons.contacts.security import USER as CONTACTS_USER


def _partners(web, names, company=None):
    session = web.db.system()
    company = company or web.db.main_company
    made = [Partner(company_id=company.id, name=name, city=city) for name, city in names]
    session.add_all(made)
    session.commit()
    return [partner.id for partner in made]


def test_list_filters_sorts_and_pages_with_a_cursor(api):
    ids = _partners(api.web, [(f"Api {n:02}", "Roma" if n % 2 else "Milano") for n in range(7)])
    client = api(api.web.db.user("clerk", groups=[CONTACTS_USER]), scopes=["contacts:read"])
    seen, cursor = [], None
    while True:
        url = "/api/v1/contacts/partners?name[contains]=Api&city=Roma&sort=-name&limit=2&fields=name,city"
        answer = client.get(url + (f"&cursor={cursor}" if cursor else ""))
        assert answer.status_code == 200, answer.get_data(as_text=True)
        body = answer.get_json()
        seen += body["data"]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert [row["name"] for row in seen] == ["Api 05", "Api 03", "Api 01"]
    assert set(seen[0]) == {"id", "name", "city"}
    one = client.get(f"/api/v1/contacts/partners/{ids[1]}").get_json()
    assert one["name"] == "Api 01" and one["company_id"]["id"] == api.web.db.main_company.id


def test_bad_list_arguments_are_problems_naming_them(api):
    client = api(api.web.db.user("clerk", groups=[CONTACTS_USER]))
    answer = client.get("/api/v1/contacts/partners?nope=1&limit=9999&cursor=xyz&sort=match_name")
    assert answer.status_code == 400 and answer.mimetype == "application/problem+json"
    fields = {error["field"] for error in answer.get_json()["errors"]}
    assert {"nope", "limit", "cursor"} <= fields


def test_another_companys_record_is_not_found(api):
    web = api.web
    other = web.db.company("Other Co")
    (theirs,) = _partners(web, [("Hidden", "Oslo")], company=other)
    client = api(web.db.user("clerk", groups=[CONTACTS_USER]))
    answer = client.get(f"/api/v1/contacts/partners/{theirs}")
    assert answer.status_code == 404 and answer.get_json()["status"] == 404
    listed = client.get("/api/v1/contacts/partners?limit=200").get_json()["data"]
    assert theirs not in {row["id"] for row in listed}
