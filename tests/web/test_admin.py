"""Administration in the web UI: addons through the lifecycle service, users and companies."""
from core.testing import ADMIN_PASSWORD
from tests.lifecycle_helpers import fixture_catalog, query


def admin_client(client_for):
    admin = client_for()
    admin.login("admin", ADMIN_PASSWORD)
    return admin


def test_installing_an_addon_from_the_web_adds_its_pages_at_once_and_updates_the_config(served, tmp_path):
    client_for, url = served(fixture_catalog("alpha", "beta"), ["contacts"])
    admin = admin_client(client_for)
    listing = admin.get("/settings/addons").get_data(as_text=True)
    assert "alpha" in listing and "not installed" in listing
    assert admin.get("/alpha/items/").status_code == 404

    plan = admin.get("/settings/addons/beta/install").get_data(as_text=True)
    assert "1. install alpha 1.0.0 (required by beta)" in plan
    assert query(url, "SELECT count(*) FROM core_addon WHERE name = 'alpha'") == [(0,)]

    done = admin.post("/settings/addons/beta/install")
    assert done.status_code == 302
    assert query(url, "SELECT name, state FROM core_addon WHERE name IN ('alpha', 'beta') ORDER BY name") == [
        ("alpha", "installed"), ("beta", "installed")]
    home = admin.get("/").get_data(as_text=True)
    assert ">Alpha<" in home
    assert admin.get("/alpha/items/").status_code == 200
    config = (tmp_path / "served.toml").read_text()
    assert '"beta"' in config and '"contacts"' in config


def test_the_web_refuses_what_the_cli_refuses_with_the_same_message(served):
    client_for, url = served(fixture_catalog("alpha"), ["alpha"])
    admin = admin_client(client_for)
    admin.get("/settings/addons")
    response = admin.get("/settings/addons/contacts/uninstall", follow_redirects=True)
    assert "cannot uninstall contacts: installed addons depend on it: alpha (uninstall them first)" in \
        response.get_data(as_text=True)
    assert query(url, "SELECT state FROM core_addon WHERE name = 'contacts'") == [("installed",)]


def test_uninstalling_from_the_web_removes_the_pages_and_keeps_the_data(served):
    client_for, url = served(fixture_catalog("alpha"), ["alpha"])
    admin = admin_client(client_for)
    admin.get("/settings/addons/alpha/uninstall")
    assert admin.post("/settings/addons/alpha/uninstall").status_code == 302
    assert admin.get("/alpha/items/").status_code == 404
    assert ">Alpha<" not in admin.get("/").get_data(as_text=True)
    assert query(url, "SELECT state FROM core_addon WHERE name = 'alpha'") == [("deactivated",)]
    assert query(url, "SELECT count(*) FROM alpha_item") == [(0,)]


def test_only_administrators_reach_the_settings(web):
    web.db.user("clerk", groups=["contacts.group_manager"])
    client = web.client()
    client.login("clerk")
    assert client.get("/settings/addons").status_code == 403
    assert client.get("/settings/users/new").status_code == 403
    assert client.get("/settings/companies/new").status_code == 403
    assert "Settings" not in client.get("/").get_data(as_text=True)


def test_an_administrator_creates_a_user_who_can_then_log_in(web):
    admin = web.client()
    admin.login("admin", ADMIN_PASSWORD)
    admin.get("/settings/users/new")
    missing = admin.post("/settings/users/new", {"login": "luca", "name": "Luca", "lang": "it", "company_id": "1"})
    assert "A new user needs a password." in missing.get_data(as_text=True)
    created = admin.post("/settings/users/new", {"login": "luca", "name": "Luca", "lang": "it", "active": "y",
                                                 "company_id": "1", "new_password": "tavolo-rosso-42"})
    assert created.status_code == 302
    page = admin.get(created.headers["Location"]).get_data(as_text=True)
    assert "tavolo-rosso-42" not in page and "argon2" not in page
    assert web.client().login("luca", "tavolo-rosso-42").status_code == 302


def test_groups_are_shown_by_their_labels_not_their_keys(web):
    admin = web.client()
    admin.login("admin", ADMIN_PASSWORD)
    form = admin.get("/settings/users/new").get_data(as_text=True)
    assert "Administrator" in form and "Contacts: manager" in form
    record = admin.get(f"/settings/users/{web.db.admin().id}").get_data(as_text=True)
    assert "Administrator" in record
    assert "core.group_admin" not in form + record and "contacts.group_manager" not in form


def test_an_administrator_cannot_archive_themself(web):
    admin = web.client()
    admin.login("admin", ADMIN_PASSWORD)
    admin_id = web.db.admin().id
    admin.get(f"/settings/users/{admin_id}/edit")
    response = admin.post(f"/settings/users/{admin_id}/edit", {"login": "admin", "name": "Administrator",
                                                               "lang": "en", "company_id": "1"})
    assert response.status_code == 422
    assert "You cannot archive yourself." in response.get_data(as_text=True)
