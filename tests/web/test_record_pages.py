"""The generic record page: values by meaning (linked, translated, per locale), the status bar, smart buttons
counting related records as the user may read them, and edit in place with errors next to the field."""
import datetime as dt
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.contacts.services import create_partner
from addons.crm import services
from addons.crm.models import Lead, Stage
from core.models import User
from core.testing import ADMIN_PASSWORD
from tests.lifecycle_helpers import execute, fixture_catalog, query


@pytest.fixture
def pipeline(web):
    """Two stages, a Spanish customer, and salespeople Ana and Bea (each sees only their own opportunities)."""
    session = web.db.system()
    company = web.db.main_company.id
    stages = [Stage(company_id=company, name=name, sequence=n, probability=Decimal(p))
              for n, (name, p) in enumerate((("New", "10"), ("Proposal", "50")))]
    session.add_all(stages)
    partner = create_partner(session, company, name="Ferretería Ibérica", is_company=True, country_code="ES")
    session.commit()
    ana = web.db.user("ana", groups=["crm.group_salesperson"])
    bea = web.db.user("bea", groups=["crm.group_salesperson"])
    return {"company": company, "partner": partner.id, "ana": ana, "bea": bea,
            "stages": {stage.name: stage.id for stage in stages}}


def opportunity(web, pipeline, owner, name, revenue="18500"):
    session = web.db.as_user(owner)
    lead = services.create_lead(session, pipeline["company"], name=name, user_id=owner.id,
                                partner_id=pipeline["partner"], expected_revenue=Decimal(revenue))
    services.qualify(session, lead)
    session.commit()
    return lead.id


def visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize(("lang", "stage_label", "country", "button"), [
    ("es", "Etapa", "España", "Oportunidades"),
    ("it", "Fase", "Spagna", "Opportunità"),
])
def test_an_opportunity_shows_its_values_by_meaning_in_the_users_language(web, pipeline, lang, stage_label,
                                                                         country, button):
    lead_id = opportunity(web, pipeline, pipeline["ana"], "Shop fittings")
    session = web.db.system()
    session.execute(Lead.__table__.update().values(country_code="ES"))
    session.commit()
    web.db.user(f"reader_{lang}", groups=["crm.group_manager"], lang=lang)
    client = web.client()
    client.login(f"reader_{lang}")
    html = client.get(f"/crm/opportunities/{lead_id}").get_data(as_text=True)
    partner, stage = pipeline["partner"], pipeline["stages"]["New"]
    assert f'<a href="/contacts/partners/{partner}">Ferretería Ibérica</a>' in html
    assert f'<a href="/crm/stages/{stage}">New</a>' in html
    assert "18.500,00\xa0€" in html  # money in the company's currency, as the locale writes it
    assert f"<dd>{country}</dd>" in html
    history = html[html.index('<aside class="card history chatter"'):]  # the chatter's timeline holds the history
    assert f"<strong>{stage_label}</strong>" in history  # the field's label, translated
    text = visible_text(html)
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:", text), "a date time shown as ISO text"
    assert not re.search(r"\b(Stage|Partner|User) \d+\b", text)
    partner_page = client.get(f"/contacts/partners/{partner}").get_data(as_text=True)
    assert f"<strong>1</strong> <span>{button}</span>" in partner_page  # the smart buttons are translated too


def test_the_partners_smart_buttons_count_only_what_each_user_may_read(web, pipeline):
    for name in ("Shelving", "Counters"):
        opportunity(web, pipeline, pipeline["ana"], name)
    opportunity(web, pipeline, pipeline["bea"], "Lighting")
    partner = pipeline["partner"]
    counts = {}
    for login in ("ana", "bea", "admin"):
        client = web.client()
        if login == "admin":
            client.login(login, ADMIN_PASSWORD)
        else:
            client.login(login)
        html = client.get(f"/contacts/partners/{partner}").get_data(as_text=True)
        found = re.search(rf'<a class="smart-button" href="/crm/opportunities/\?by.partner_id={partner}">'
                          r"<strong>(\d+)</strong> <span>Opportunities</span>", html)
        counts[login] = int(found.group(1))
        listed = client.get(f"/crm/opportunities/?by.partner_id={partner}").get_data(as_text=True)
        assert listed.count('<tr data-href="/crm/opportunities/') == counts[login]
    assert counts == {"ana": 2, "bea": 1, "admin": 3}


def test_a_smart_button_is_absent_for_a_user_who_may_not_read_its_records(web, pipeline, clerk):
    opportunity(web, pipeline, pipeline["ana"], "Shelving")
    html = clerk.get(f"/contacts/partners/{pipeline['partner']}").get_data(as_text=True)
    assert "Ferretería Ibérica" in html
    assert "/crm/opportunities/" not in html and "/accounting/invoices/" not in html


def test_no_smart_buttons_when_no_installed_addon_offers_them(served):
    client_for, url = served(fixture_catalog("alpha"), ["alpha"])
    execute(url, "INSERT INTO contacts_partner (name, company_id, is_company, active, type, created_at, updated_at) "
                 "VALUES ('Rossi', 1, true, true, 'contact', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
    admin = client_for()
    admin.login("admin", ADMIN_PASSWORD)
    page = admin.get("/contacts/partners/1")
    assert page.status_code == 200
    assert "smart-button" not in page.get_data(as_text=True)


def test_the_status_bar_moves_the_stage_where_the_user_may_and_refuses_otherwise(served):
    client_for, url = served(fixture_catalog("alpha"), ["alpha"])
    admin = client_for()
    admin.login("admin", ADMIN_PASSWORD)
    admin.get("/settings/users/new")
    groups = [str(g) for (g,) in query(url, "SELECT id FROM core_group WHERE key = 'alpha.group_user'")]
    admin.post("/settings/users/new", {"login": "worker", "name": "Worker", "lang": "en", "active": "y",
                                       "company_id": "1", "companies": ["1"], "groups": groups,
                                       "new_password": "worker-password"})
    [(worker_id,)] = query(url, "SELECT id FROM core_user WHERE login = 'worker'")
    execute(url, f"INSERT INTO alpha_item (name, company_id, stage, user_id) VALUES ('Mine', 1, 'new', {worker_id})")
    worker = client_for()
    worker.login("worker", "worker-password")
    page = worker.get("/alpha/items/1").get_data(as_text=True)
    bar = page[page.index('class="status-bar"'):page.index("</ol>")]
    assert 'aria-current="step">New</span>' in bar
    assert '<button type="submit" name="stage" value="doing">Doing</button>' in bar
    moved = worker.post("/alpha/items/1/stage", {"stage": "doing"}, follow_redirects=True)  # the bar without JS
    assert "Saved." in moved.get_data(as_text=True)
    assert query(url, "SELECT stage FROM alpha_item") == [("doing",)]
    refused = worker.post_json("/alpha/items/1/stage", {"stage": "done"})  # the bar's click, as record.js sends it
    assert refused.status_code == 422 and refused.get_json()["error"] == "Only an alpha manager may mark an item done."
    refused_form = worker.post("/alpha/items/1/stage", {"stage": "done"}, follow_redirects=True)
    assert "Only an alpha manager may mark an item done." in refused_form.get_data(as_text=True)
    unknown = worker.post("/alpha/items/1/stage", {"stage": "archived"}, follow_redirects=True)
    assert "Unknown stage." in unknown.get_data(as_text=True)
    assert query(url, "SELECT stage FROM alpha_item") == [("doing",)]


def test_a_state_only_services_change_is_shown_but_not_clickable(web, pipeline):
    session = web.db.as_user(pipeline["ana"])
    lead = services.create_lead(session, pipeline["company"], name="Cold call", user_id=pipeline["ana"].id)
    session.commit()
    client = web.client()
    client.login("ana")
    page = client.get(f"/crm/leads/{lead.id}").get_data(as_text=True)
    bar = page[page.index('class="status-bar"'):page.index("</ol>")]
    assert 'role="group"' in bar and 'aria-current="step">Open</span>' in bar and "Won" in bar
    assert "<button" not in bar and "<form" not in bar
    assert client.post_json(f"/crm/leads/{lead.id}/stage", {"stage": "won"}).status_code == 404  # no such route
    assert web.db.system().scalar(select(Lead.state).where(Lead.id == lead.id)) == "open"


def test_edit_in_place_saves_through_the_form_and_shows_errors_next_to_the_field(served):
    client_for, url = served(fixture_catalog("alpha"), ["alpha"])
    execute(url, "INSERT INTO alpha_item (name, company_id, stage, user_id) VALUES ('Paint the shop', 1, 'new', 1)")
    admin = client_for()
    admin.login("admin", ADMIN_PASSWORD)
    page = admin.get("/alpha/items/1").get_data(as_text=True)
    assert 'data-edit-in-place' in page and 'href="/alpha/items/1/edit"' in page  # without JS: the edit page
    assert re.search(r'<form method="post" action="/alpha/items/1/edit" id="record-edit"[^>]* hidden>', page)
    assert 'id="in-place-name"' in page and 'value="Paint the shop"' in page
    refused = admin.post("/alpha/items/1/edit", {"_in_place": "1", "name": "   ", "stage": "doing"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert re.search(r'<form method="post" action="/alpha/items/1/edit" id="record-edit"[^>]*data-in-place>', html)
    assert 'id="in-place-name-errors"' in html and "This field is required." in html
    assert '<dl class="fields" data-record-fields hidden>' in html and 'class="status-bar"' in html
    assert query(url, "SELECT name, stage FROM alpha_item") == [("Paint the shop", "new")]
    saved = admin.post("/alpha/items/1/edit", {"_in_place": "1", "name": "Paint the back room", "stage": "doing"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/alpha/items/1")
    assert query(url, "SELECT name, stage FROM alpha_item") == [("Paint the back room", "doing")]


def test_a_refused_edit_from_the_edit_page_stays_on_the_edit_page(served):
    client_for, url = served(fixture_catalog("alpha"), ["alpha"])
    execute(url, "INSERT INTO alpha_item (name, company_id, stage, user_id) VALUES ('Paint the shop', 1, 'new', 1)")
    admin = client_for()
    admin.login("admin", ADMIN_PASSWORD)
    admin.get("/alpha/items/1/edit")
    refused = admin.post("/alpha/items/1/edit", {"name": "", "stage": "new"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="name-errors"' in html and "record-edit" not in html


def test_dates_and_times_are_shown_in_the_users_own_time_zone(web, pipeline):
    lead_id = opportunity(web, pipeline, pipeline["ana"], "Late night deal")
    session = web.db.system()
    session.execute(Lead.__table__.update().values(qualified_at=dt.datetime(2026, 1, 15, 23, 30)))  # stored in UTC
    session.commit()
    web.db.user("madrid", groups=["crm.group_manager"], lang="es")
    client = web.client()
    client.login("madrid")
    assert "15/1/26, 23:30" in client.get(f"/crm/opportunities/{lead_id}").get_data(as_text=True)  # UTC by default
    client.get("/account")
    saved = client.post("/account", {"pref-lang": "es", "pref-timezone": "Europe/Madrid"}, follow_redirects=True)
    assert "Preferencias guardadas." in saved.get_data(as_text=True)
    html = client.get(f"/crm/opportunities/{lead_id}").get_data(as_text=True)
    assert "16/1/26, 0:30" in html and "23:30" not in html
    refused = client.post("/account", {"pref-lang": "es", "pref-timezone": "Mars/Olympus"})
    assert refused.status_code == 200 and 'id="pref-timezone-errors"' in refused.get_data(as_text=True)
    assert web.db.system().scalar(select(User.timezone).where(User.login == "madrid")) == "Europe/Madrid"
