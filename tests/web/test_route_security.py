"""Every route of every installed addon: login required, model access enforced, other companies hidden."""
import re

import pytest
from werkzeug.routing import Rule

from addons.contacts.services import create_partner
from core.web.context import PUBLIC_ATTRIBUTE
from core.models import Company

ANY_LOGGED_IN_USER = {"web.home", "auth.account", "auth.enable_two_factor", "reauth.confirm", "login_sessions.listing",
                      "login_sessions.end", "login_sessions.end_others", "palette.search",
                      # a user's own API keys (another user's key is refused by core.api.keys: tests/api)
                      "api_keys.own_keys", "api_keys.revoke"}


#: the API's description, readable without a key (what it tells is what the installed addons offer)
API_PUBLIC = {"api.openapi_document", "api.documentation"}


def is_api(rule) -> bool:
    """The JSON API: a key in the Authorization header or a 401 problem, never a session cookie or a login page."""
    return rule.endpoint.startswith("api.") and rule.endpoint not in API_PUBLIC


def concrete_url(rule: Rule, record_id: int) -> str:
    values = {}
    for argument in rule.arguments:
        values[argument] = {"fmt": "csv", "table": "contacts_partner", "field": "parent_id", "name": "contacts",
                            "action": "upgrade", "key": "not-a-key", "token": "not-a-token"}.get(argument, record_id)
    path = rule.rule
    for key, value in values.items():
        path = re.sub(rf"<(?:\w+:)?{key}>", str(value), path)
    return path


def routes(app):
    return [rule for rule in app.url_map.iter_rules() if not rule.endpoint.endswith("static")]


def test_there_are_routes_from_the_core_and_from_addons(web):
    endpoints = {rule.endpoint for rule in routes(web.app)}
    assert {"contacts.partner_list", "notes.note_list", "core.user_list", "core.addons"} <= endpoints


def is_public(app, rule) -> bool:
    return getattr(app.view_functions[rule.endpoint], PUBLIC_ATTRIBUTE, False)


def test_only_the_expected_pages_are_public(web):
    public = {rule.endpoint for rule in routes(web.app) if is_public(web.app, rule)}
    assert public == {"auth.login", "auth.two_factor", "web.language", "web.health", "crm.capture_form",
                      "crm.inbound_email", "crm.unsubscribe",
                      # a customer's answer to a quotation: the signed link in the mail is the only key
                      "sales.public_quote", "sales.public_quote_pdf", "sales.public_accept", "sales.public_decline",
                      # the entrance tablet: opened by an HR officer (who is logged out) or a signed link; badge + PIN
                      "hr.kiosk_page", "hr.kiosk_punch",
                      # the API's description: what the installed addons offer, no record
                      *API_PUBLIC}


def test_anonymous_visitors_are_sent_to_login_everywhere_but_public_pages(web):
    client = web.client()
    for rule in routes(web.app):
        if is_public(web.app, rule) or rule.endpoint in API_PUBLIC:
            continue
        url = concrete_url(rule, 1)
        if is_api(rule):
            response = client.client.open(url, method=sorted(rule.methods - {"HEAD", "OPTIONS"})[0])
            assert response.status_code == 401 and response.mimetype == "application/problem+json", url
        elif "GET" in rule.methods:
            response = client.get(url)
            assert response.status_code == 302, url
            assert response.headers["Location"].startswith("/login?next="), url
        else:
            response = client.post(url, {})
            assert response.status_code in (302, 400), url


def test_a_user_without_access_gets_403_on_every_page_of_every_model(web):
    web.db.user("nobody", groups=[])
    client = web.client()
    client.login("nobody")
    checked = 0
    for rule in routes(web.app):
        function = web.app.view_functions[rule.endpoint]
        url = concrete_url(rule, 1)
        if rule.endpoint in ANY_LOGGED_IN_USER or rule.endpoint.startswith("auth.") or is_public(web.app, rule) \
                or rule.endpoint in API_PUBLIC or rule.endpoint == "web.switch_company":
            continue
        if is_api(rule):  # the session cookie is not a key
            response = client.client.open(url, method=sorted(rule.methods - {"HEAD", "OPTIONS"})[0])
            assert response.status_code == 401, (url, response.status_code)
            continue
        if "GET" in rule.methods:
            response = client.get(url)
        else:
            client.get("/account")
            response = client.post(url, {}) if not rule.endpoint.endswith("_stage") else client.post_json(url, {})
        assert response.status_code == 403, (url, response.status_code)
        assert "Traceback" not in response.get_data(as_text=True)
        checked += hasattr(function, "model_view")
    assert checked >= 10


@pytest.fixture
def foreign_records(web):
    other = web.db.company("Altra S.p.A.")
    system = web.db.system()
    partner = create_partner(system, other.id, name="Foreign partner")
    system.commit()
    stranger = web.db.user("stranger", groups=["contacts.group_manager"], companies=[other])
    return {"contacts.partner": partner.id, "core.company": other.id, "core.user": stranger.id}


def test_record_ids_of_another_company_are_not_found(web, foreign_records):
    web.db.user("local", groups=["contacts.group_manager", "core.group_user"])
    client = web.client()
    client.login("local")
    checked = []
    for rule in routes(web.app):
        view = getattr(web.app.view_functions[rule.endpoint], "model_view", None)
        if view is None or "record_id" not in rule.arguments:
            continue
        key = f"{view.addon}.{view.name}"
        if key not in foreign_records:
            continue
        url = concrete_url(rule, foreign_records[key])
        response = client.get(url) if "GET" in rule.methods else client.post_json(url, {"stage": "x"})
        assert response.status_code in (403, 404), url
        if rule.endpoint.endswith("_view"):
            assert response.status_code == 404
        checked.append(url)
    assert any("/contacts/partners/" in url for url in checked)
    assert any("/settings/companies/" in url for url in checked)
    assert web.db.system().get(Company, foreign_records["core.company"]).name == "Altra S.p.A."
