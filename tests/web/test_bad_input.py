"""Bad input the core refuses for every page: misplaced JSON, ids past the database, values no column holds.

Each answer is a 400 (or the form again with the field's error) naming the
field, and nothing is stored.
"""
import pytest
from sqlalchemy import func, select

from addons.contacts.models import Partner
from addons.crm import services
from addons.crm.models import Lead, Stage
from core.testing import ADMIN_PASSWORD


@pytest.fixture
def admin(web):
    client = web.client()
    client.login("admin", ADMIN_PASSWORD)
    return client


def partners(web) -> int:
    return web.db.system().scalar(select(func.count(Partner.id)))


@pytest.mark.parametrize("body", [["a list"], "text", {"name": ["a list"]}, {"name": "Rossi"}])
def test_a_json_body_sent_to_a_page_that_takes_a_form_is_refused_and_stores_nothing(web, admin, body):
    admin.get("/contacts/partners/new")
    response = admin.post_json("/contacts/partners/new", body)
    assert response.status_code == 400
    assert response.get_json() == {"error": "This page takes a form, not JSON.", "field": "body"}
    assert partners(web) == 0


@pytest.mark.parametrize("url", ["/settings/jobs/9223372036854775808/retry", "/crm/leads/2147483648/won",
                                 "/accounting/documents/100000000000000000000/post"])
def test_an_id_in_the_url_past_the_database_integers_is_not_found_on_every_route(admin, url):
    admin.get("/")
    assert admin.post(url).status_code == 404


@pytest.mark.parametrize("values, field", [
    ({"probability": "1e400"}, "probability"),
    ({"probability": "NaN"}, "probability"),
    ({"sequence": "99999999999999999999"}, "sequence"),
    ({"team_id": str(2**64)}, "team_id"),
])
def test_numbers_no_column_holds_are_field_errors_on_the_generic_form(web, admin, values, field):
    admin.get("/crm/stages/new")
    response = admin.post("/crm/stages/new", {"name": "Far", "sequence": "1", "probability": "10", **values})
    assert response.status_code == 422
    assert f'id="{field}-errors"' in response.get_data(as_text=True)
    assert web.db.system().scalar(select(func.count(Stage.id)).where(Stage.name == "Far")) == 0


def test_a_date_at_the_end_of_the_calendar_is_a_field_error(web, admin):
    admin.get("/crm/leads/new")
    response = admin.post("/crm/leads/new", {"name": "Someday", "date_deadline": "9999-12-31"})
    assert response.status_code == 422
    assert "9999-12-31 is out of range: a date from 1900-01-01 to 9990-12-31." in response.get_data(as_text=True)
    assert web.db.system().scalar(select(func.count(Lead.id))) == 0


@pytest.fixture
def opportunity(web):
    session = web.db.system()
    stage = Stage(company_id=web.db.main_company.id, name="Proposal", sequence=1)
    session.add(stage)
    lead = services.create_lead(session, web.db.main_company.id, name="Shelving")
    services.qualify(session, lead)
    session.commit()
    return lead.id, lead.stage_id


@pytest.mark.parametrize("body, status, field", [
    ({"stage": ["a", "list"]}, 400, "stage"),
    ({"stage": {"id": 1}}, 400, "stage"),
    ({"stage": "a\u0000b"}, 400, "stage"),
    ([{"stage": 1}], 400, "body"),
    ("stage", 400, "body"),
    ({"stage": 2**70}, 422, "stage"),
])
def test_a_kanban_stage_of_the_wrong_kind_is_refused_naming_it(web, admin, opportunity, body, status, field):
    lead_id, stage_id = opportunity
    admin.get("/crm/opportunities/kanban")
    response = admin.post_json(f"/crm/opportunities/{lead_id}/stage", body)
    assert response.status_code == status and response.get_json()["field"] == field
    assert web.db.system().get(Lead, lead_id).stage_id == stage_id


@pytest.mark.parametrize("raw, message", [
    ("[" * 100_000 + "]" * 100_000, "The body is not valid JSON."),
    ('{"stage": NaN}', "The body is not valid JSON."),
    ('{"stage": 1e999}', "stage is not a finite number."),
    ("{" + '"a":{' * 40 + "}" * 41, "is nested more than 32 levels deep."),
])
def test_json_no_encoder_writes_is_refused(admin, opportunity, raw, message):
    lead_id, _stage_id = opportunity
    admin.get("/crm/opportunities/kanban")
    response = admin.client.post(f"/crm/opportunities/{lead_id}/stage", data=raw, content_type="application/json",
                                 headers={"X-CSRFToken": admin.token})
    assert response.status_code == 400 and message in response.get_json()["error"]
