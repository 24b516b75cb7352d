"""The shell around every page: company switcher, menus, dashboard, error pages, cookies."""
import re

import pytest
from sqlalchemy import select

from addons.contacts.services import create_partner
from core.models import User
from core.models.user import Group
from core.testing import ADMIN_PASSWORD


@pytest.fixture
def two_companies(web):
    other = web.db.company("Altra S.p.A.")
    session = web.db.system()
    create_partner(session, web.db.main_company.id, name="Socio Madrid")
    create_partner(session, other.id, name="Socio Milano")
    session.commit()
    web.db.user("multi", groups=["contacts.group_user"], companies=[web.db.main_company, other])
    return other


def test_a_multi_company_user_switches_between_companies(web, two_companies):
    client = web.client()
    client.login("multi")
    both = client.get("/contacts/partners/").get_data(as_text=True)
    assert "Socio Madrid" in both and "Socio Milano" in both
    assert "2 companies" in both
    client.post("/switch-company", {"company_id": str(two_companies.id)})
    only = client.get("/contacts/partners/").get_data(as_text=True)
    assert "Socio Milano" in only and "Socio Madrid" not in only


def test_switching_to_a_company_one_does_not_belong_to_is_refused(web, two_companies):
    web.db.user("local", groups=["contacts.group_user"])
    client = web.client()
    client.login("local")
    client.get("/")
    assert client.post("/switch-company", {"company_id": str(two_companies.id)}).status_code == 403
    assert "Socio Milano" not in client.get("/contacts/partners/").get_data(as_text=True)


def test_the_menu_and_dashboard_only_show_what_the_user_may_use(web):
    session = web.db.system()
    create_partner(session, web.db.main_company.id, name="Uno", country_code="IT")
    session.commit()
    web.db.user("outsider", groups=["core.group_user"])
    outsider = web.client()
    outsider.login("outsider")
    home = outsider.get("/").get_data(as_text=True)
    assert "Contacts" not in home and "Partners" not in home
    assert "No apps are available to you yet." in home
    clerk = web.client()
    web.db.user("clerk", groups=["contacts.group_user"])
    clerk.login("clerk")
    home = clerk.get("/").get_data(as_text=True)
    assert 'class="app-tile"' in home and "Contacts" in home
    assert 'class="card tile"' in home and "Active partners by country" in home


def test_every_app_has_its_own_icon_on_the_home_page(web):
    """Apps whose names share an initial (Contacts, CRM, Contabilidad in Spanish) are told apart by their icons."""
    admin = web.client()
    admin.login("admin", ADMIN_PASSWORD)
    home = admin.get("/").get_data(as_text=True)
    tiles = re.findall(r'<a class="app-tile"[^>]*>(.*?)</a>', home, re.S)
    icons = {re.search(r"<span>(.*?)</span>$", tile.strip()).group(1): re.search(r"<svg.*?</svg>", tile, re.S).group(0)
             for tile in tiles}
    assert {"Contacts", "CRM", "Accounting"} <= set(icons)
    assert len(set(icons.values())) == len(icons)


def test_an_unexpected_error_shows_a_friendly_page_without_internals(web, monkeypatch):
    from addons.contacts import views

    def explode(*_args, **_kwargs):
        raise RuntimeError("SELECT secret FROM internals")

    monkeypatch.setattr(views.PartnerView, "select_rows", explode)
    web.db.user("clerk", groups=["contacts.group_user"])
    client = web.client()
    client.login("clerk")
    response = client.get("/contacts/partners/")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in body
    assert "SELECT" not in body and "Traceback" not in body and "RuntimeError" not in body


def test_unknown_pages_get_a_friendly_404(web):
    client = web.client()
    client.login("admin", ADMIN_PASSWORD)
    response = client.get("/contacts/partners/999999")
    assert response.status_code == 404
    assert "does not exist" in response.get_data(as_text=True)


def test_session_cookie_is_secure_when_served_over_https(web):
    web.app.config["SESSION_COOKIE_SECURE"] = True
    client = web.client()
    client.get("/login")
    response = client.post("/login", {"login": "admin", "password": ADMIN_PASSWORD})
    assert "Secure" in response.headers["Set-Cookie"]


def test_an_addon_overrides_a_core_template_and_extends_the_original(served):
    from tests.lifecycle_helpers import fixture_catalog

    client_for, _url = served(fixture_catalog("skin"), ["skin"])
    client = client_for()
    client.login("admin", ADMIN_PASSWORD)
    home = client.get("/").get_data(as_text=True)
    assert '<p class="skin-banner">Welcome to the skinned home</p>' in home
    assert "Hello, Administrator" in home


def test_the_menu_follows_a_change_of_groups_on_the_next_request(web):
    web.db.user("mover", groups=["core.group_user"])
    client = web.client()
    client.login("mover")
    assert "Partners" not in client.get("/").get_data(as_text=True)
    session = web.db.system()
    mover = session.scalars(select(User).where(User.login == "mover")).one()
    mover.groups.append(session.scalars(select(Group).where(Group.key == "contacts.group_user")).one())
    session.commit()
    assert "Partners" in client.get("/").get_data(as_text=True)
    mover.groups = [group for group in mover.groups if group.key != "contacts.group_user"]
    session.commit()
    assert "Partners" not in client.get("/").get_data(as_text=True)
    assert client.get("/contacts/partners/").status_code == 403
