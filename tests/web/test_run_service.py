"""Pages run their services through core.web.actions.run_service: saved and said so, or refused with the
reason where the user looks for it, and nothing of the refused change kept."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from addons.accounting.models import CurrencyRate
from addons.contacts.models import Partner
from addons.contacts.services import create_partner
from addons.crm import services as crm
from addons.crm.models import Lead, Stage, Team
from addons.products.models import Product
from addons.products.services import create_product
from core.models import User

CLASH = "This clashes with another record (a value that must be unique is already used, or a related record is " \
        "missing). Nothing was saved."


def logged_in(web, login, groups):
    web.db.user(login, groups=groups)
    client = web.client()
    client.login(login)
    return client


def count(web, model, *where):
    return web.db.system().scalar(select(func.count()).select_from(model).where(*where))


def test_a_successful_save_is_committed_and_said(web):
    client = logged_in(web, "seller", ["products.group_manager"])
    client.get("/products/products/new")
    saved = client.post("/products/products/new", {"code": "CH-01", "name": "Chair", "kind": "goods",
                                                    "list_price": "49.90"})
    assert saved.status_code == 302
    assert "Saved." in client.get(saved.headers["Location"]).get_data(as_text=True)
    assert count(web, Product, Product.code == "CH-01") == 1


def test_a_refusal_naming_a_field_is_shown_next_to_it_and_nothing_is_saved(web):
    session = web.db.system()
    create_product(session, web.db.main_company.id, code="CH-01", name="Chair", list_price=Decimal("49.90"))
    session.commit()
    client = logged_in(web, "seller", ["products.group_manager"])
    client.get("/products/products/new")
    refused = client.post("/products/products/new", {"code": "CH-01", "name": "Another chair", "kind": "goods",
                                                     "list_price": "10"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert '<ul class="errors" id="code-errors"><li>Another product already has the code CH-01.</li>' in html
    assert count(web, Product, Product.name == "Another chair") == 0


def test_every_field_a_service_refuses_at_once_gets_its_own_message(web):
    client = logged_in(web, "clerk", ["contacts.group_user"])
    client.get("/contacts/partners/new")
    refused = client.post("/contacts/partners/new", {"name": "Bad data", "email": "not-an-email",
                                                     "phone": "call me"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'id="email-errors"><li>not-an-email is not an email address.' in html
    assert 'id="phone-errors"><li>call me is not a phone number' in html
    assert count(web, Partner, Partner.name == "Bad data") == 0


def test_a_unique_value_already_used_is_a_clear_message_on_the_form_not_an_error_page(web):
    session = web.db.system()
    session.add(CurrencyRate(company_id=web.db.main_company.id, currency_code="USD", date=dt.date(2026, 1, 2),
                             rate=Decimal("0.9")))
    session.commit()
    client = logged_in(web, "accountant", ["accounting.group_accountant"])
    client.get("/accounting/currency-rates/new")
    refused = client.post("/accounting/currency-rates/new", {"currency_code": "USD", "date": "2026-01-02",
                                                             "rate": "0.95"})
    assert refused.status_code == 422
    assert CLASH in refused.get_data(as_text=True)
    assert web.db.system().scalars(select(CurrencyRate.rate)).all() == [Decimal("0.9")]


def test_a_delete_the_database_refuses_says_to_archive_and_keeps_the_record(web):
    session = web.db.system()
    partner = create_partner(session, web.db.main_company.id, name="Referenced S.L.")
    crm.create_lead(session, web.db.main_company.id, name="Desks", partner_id=partner.id)
    session.commit()
    client = logged_in(web, "manager", ["contacts.group_manager"])
    client.get(f"/contacts/partners/{partner.id}/delete")
    refused = client.post(f"/contacts/partners/{partner.id}/delete", follow_redirects=True)
    assert "It cannot be deleted: other records refer to it. Archive it instead." in refused.get_data(as_text=True)
    assert count(web, Partner, Partner.id == partner.id) == 1


@pytest.fixture
def team_lead(web):
    """An opportunity of Ana's in a team Carla is in too: Carla sees it and may not change it."""
    company = web.db.main_company.id
    ana = web.db.user("ana", groups=["crm.group_salesperson"])
    carla = web.db.user("carla", groups=["crm.group_salesperson"])
    session = web.db.system()
    stages = [Stage(company_id=company, name=name, sequence=n) for n, name in enumerate(("New", "Proposal"))]
    team = Team(company_id=company, name="Iberia", members=[session.get(User, ana.id), session.get(User, carla.id)])
    session.add_all([*stages, team])
    session.commit()
    session = web.db.as_user(ana)
    lead = crm.create_lead(session, company, name="Shelving", user_id=ana.id, team_id=team.id)
    crm.qualify(session, lead)
    session.commit()
    client = web.client()
    client.login("carla")
    return {"client": client, "lead_id": lead.id, "stages": [stage.id for stage in stages]}


def test_access_denied_by_a_record_rule_is_said_on_the_form_and_nothing_is_saved(web, team_lead):
    client, lead_id = team_lead["client"], team_lead["lead_id"]
    assert client.get(f"/crm/opportunities/{lead_id}/edit").status_code == 200
    refused = client.post(f"/crm/opportunities/{lead_id}/edit", {"name": "Renamed by Carla",
                                                                 "stage_id": str(team_lead["stages"][0])})
    assert refused.status_code == 422
    assert "access denied: carla may not write Lead" in refused.get_data(as_text=True)
    assert web.db.system().get(Lead, lead_id).name == "Shelving"


def test_access_denied_on_a_json_action_answers_403_with_the_reason(web, team_lead):
    client, lead_id = team_lead["client"], team_lead["lead_id"]
    client.get("/crm/opportunities/kanban")
    refused = client.post_json(f"/crm/opportunities/{lead_id}/stage", {"stage": team_lead["stages"][1]})
    assert refused.status_code == 403
    assert "access denied: carla may not write Lead" in refused.get_json()["error"]
    assert web.db.system().get(Lead, lead_id).stage_id == team_lead["stages"][0]
