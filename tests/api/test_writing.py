"""Creating, changing and deleting through the API, and every bad input refused with nothing written."""
import json

from sqlalchemy import func, select

from addons.contacts.models import Partner
from addons.contacts.security import MANAGER as CONTACTS_MANAGER, USER as CONTACTS_USER

PARTNERS = "/api/v1/contacts/partners"


def _partners(web) -> list:
    with web.db.factory() as session:
        return session.execute(select(Partner.id, Partner.name, Partner.parent_id).order_by(Partner.id)).all()


def _problem(answer, status, field=None):
    assert answer.status_code == status, answer.get_data(as_text=True)
    assert answer.mimetype == "application/problem+json"
    body = answer.get_json()
    assert body["status"] == status and body["detail"]
    text = answer.get_data(as_text=True)
    assert "Traceback" not in text and "SELECT" not in text and "INSERT" not in text
    if field is not None:
        assert field in {error["field"] for error in body.get("errors", [])}, body
    return body


def _clerk(api):
    return api(api.web.db.user("clerk", groups=[CONTACTS_USER, CONTACTS_MANAGER]))


def test_create_change_and_delete_through_the_views_services(api):
    client = _clerk(api)
    made = client.post(PARTNERS, json={"name": "  New Co ", "email": "INFO@NEW.TEST", "is_company": True})
    assert made.status_code == 201, made.get_data(as_text=True)
    record = made.get_json()
    assert record["name"] == "New Co" and record["company_id"]["id"] == api.web.db.main_company.id
    changed = client.patch(f"{PARTNERS}/{record['id']}", json={"city": "Roma"})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    assert changed.get_json()["city"] == "Roma" and changed.get_json()["name"] == "New Co"
    assert client.delete(f"{PARTNERS}/{record['id']}").status_code == 204
    assert client.get(f"{PARTNERS}/{record['id']}").status_code == 404


def test_unknown_fields_and_wrong_types_are_named(api):
    client = _clerk(api)
    before = _partners(api.web)
    body = _problem(client.post(PARTNERS, json={"name": 5, "is_company": "yes", "colour": "red"}), 422)
    assert {"name", "is_company", "colour"} <= {error["field"] for error in body["errors"]}
    _problem(client.post(PARTNERS, json={}), 422, "name")
    _problem(client.post(PARTNERS, json={"name": "X" * 500}), 422, "name")
    assert _partners(api.web) == before


def test_malformed_too_large_and_deeply_nested_bodies(api):
    client = _clerk(api)
    before = _partners(api.web)
    _problem(client.client.post(PARTNERS, data="{name: ", content_type="application/json",
                                headers=client._headers()), 400)
    _problem(client.post(PARTNERS, json={"name": "A" * 10 * 1024 * 1024}), 413)
    nested = "[" * 5000 + "]" * 5000
    _problem(client.client.post(PARTNERS, data=f'{{"name": "N", "tags": {nested}}}', content_type="application/json",
                                headers=client._headers()), 400)
    deep = {"name": "N"}
    pointer = deep
    for _level in range(40):
        pointer["x"] = {}
        pointer = pointer["x"]
    _problem(client.post(PARTNERS, json=deep), 400)
    _problem(client.client.post(PARTNERS, data="name=x", headers=client._headers()), 415)
    assert _partners(api.web) == before


def test_another_companys_record_in_the_path_or_in_a_relation_field(api):
    web = api.web
    other = web.db.company("Other Co")
    session = web.db.system()
    theirs = Partner(company_id=other.id, name="Theirs")
    session.add(theirs)
    session.commit()
    client = _clerk(api)
    mine = client.post(PARTNERS, json={"name": "Mine"}).get_json()
    before = _partners(web)
    _problem(client.patch(f"{PARTNERS}/{theirs.id}", json={"name": "Stolen"}), 404)
    _problem(client.delete(f"{PARTNERS}/{theirs.id}"), 404)
    _problem(client.patch(f"{PARTNERS}/{mine['id']}", json={"parent_id": theirs.id}), 422, "parent_id")
    _problem(client.post(PARTNERS, json={"name": "Child", "parent_id": theirs.id}), 422, "parent_id")
    assert _partners(web) == before


def test_idempotency_keys_replay_and_refuse_another_body(api):
    client = _clerk(api)
    headers = {"Idempotency-Key": "order-77"}
    first = client.post(PARTNERS, json={"name": "Once"}, headers=headers)
    again = client.post(PARTNERS, json={"name": "Once"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.get_json() == again.get_json() and again.headers["Idempotent-Replayed"] == "true"
    before = _partners(api.web)
    body = _problem(client.post(PARTNERS, json={"name": "Twice"}, headers=headers), 422, "Idempotency-Key")
    assert "different request" in body["detail"]
    assert _partners(api.web) == before
    with api.web.db.factory() as session:
        assert session.scalar(select(func.count()).where(Partner.name == "Once")) == 1


def test_unknown_routes_and_methods_are_problems(api):
    client = _clerk(api)
    _problem(client.get("/api/v1/nope/things"), 404)
    _problem(client.get("/api/v1/contacts/partners/1/nothing"), 404)
    _problem(client.client.put(PARTNERS, data=json.dumps({}), headers=client._headers()), 405)
