"""Regressions from the security review of the web layer: each test failed before its fix."""
import csv
import io
import re
import time

from openpyxl import load_workbook
from sqlalchemy import select

from addons.contacts.services import create_partner
from core.models import Group, User
from core.testing import ADMIN_PASSWORD


def test_saving_a_user_keeps_their_groups_and_companies(web):
    admin = web.client()
    admin.login("admin", ADMIN_PASSWORD)
    admin_id = web.db.admin().id
    form = admin.get(f"/settings/users/{admin_id}/edit").get_data(as_text=True)
    admin_group = web.db.system().scalars(select(Group).where(Group.key == "core.group_admin")).one()
    assert re.search(rf'<select name="groups"[^>]*>.*?<option value="{admin_group.id}" selected>', form)
    saved = admin.post(f"/settings/users/{admin_id}/edit", {
        "login": "admin", "name": "Administrator", "lang": "en", "active": "y", "company_id": "1",
        "companies": ["1"], "groups": [str(admin_group.id)]})
    assert saved.status_code == 302
    user = web.db.system().get(User, admin_id)
    assert [g.key for g in user.groups] == ["core.group_admin"]
    assert admin.get("/settings/addons").status_code == 200


def test_a_required_field_of_spaces_is_an_error_not_a_crash(web):
    admin = web.client()
    admin.login("admin", ADMIN_PASSWORD)
    admin.get("/settings/companies/new")
    response = admin.post("/settings/companies/new", {"name": "   ", "currency_code": "EUR"})
    assert response.status_code == 422
    assert 'id="name-errors"' in response.get_data(as_text=True)


def test_ids_too_large_for_the_database_are_not_found(web):
    admin = web.client()
    admin.login("admin", ADMIN_PASSWORD)
    assert admin.get("/contacts/partners/99999999999999999999").status_code == 404
    admin.get("/contacts/partners/new")
    response = admin.post("/contacts/partners/new", {"name": "X", "parent_id": "99999999999999999999"})
    assert response.status_code == 422


def test_deleting_a_record_others_refer_to_gives_a_message(web):
    session = web.db.system()
    firm = create_partner(session, web.db.main_company.id, name="Firm", is_company=True)
    create_partner(session, web.db.main_company.id, name="Employee", parent_id=firm.id)
    session.commit()
    admin = web.client()
    admin.login("admin", ADMIN_PASSWORD)
    admin.get(f"/contacts/partners/{firm.id}/delete")
    page = admin.post(f"/contacts/partners/{firm.id}/delete", follow_redirects=True)
    assert page.status_code == 200
    assert "It cannot be deleted: other records refer to it." in page.get_data(as_text=True)


def test_nul_characters_are_refused_on_every_engine(web):
    client = web.client()
    assert client.get("/login?next=%00").status_code == 400
    client.get("/login")
    assert client.post("/login", {"login": "ad\x00min", "password": "x"}).status_code == 400
    client.login("admin", ADMIN_PASSWORD)
    assert client.get("/contacts/partners/?q=a%00b").status_code == 400


def test_exports_cannot_carry_spreadsheet_formulas(web):
    session = web.db.system()
    create_partner(session, web.db.main_company.id, name='=HYPERLINK("http://evil","click")')
    session.commit()
    client = web.client()
    client.login("admin", ADMIN_PASSWORD)
    rows = list(csv.reader(io.StringIO(client.get("/contacts/partners/export.csv").get_data().decode("utf-8-sig"))))
    assert rows[1][0] == '\'=HYPERLINK("http://evil","click")'
    sheet = load_workbook(io.BytesIO(client.get("/contacts/partners/export.xlsx").get_data())).active
    cell = sheet.cell(row=2, column=1)
    assert cell.data_type == "s" and cell.value.startswith("'=")


def test_pages_cannot_be_framed_or_cached(web):
    client = web.client()
    client.login("admin", ADMIN_PASSWORD)
    response = client.get("/settings/addons")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_one_account_is_limited_whatever_the_address(web):
    client = web.client()
    client.get("/login")
    codes = [client.post("/login", {"login": "admin", "password": f"guess{n}"},
                         environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}).status_code for n in range(11)]
    assert codes[-1] == 429


def test_one_address_is_limited_whatever_the_account(web):
    client = web.client()
    client.get("/login")
    codes = [client.post("/login", {"login": f"user{n}", "password": "guess"}).status_code for n in range(31)]
    assert codes[:30] == [401] * 30 and codes[30] == 429


def test_anonymous_posts_with_a_valid_token_still_need_a_login(web):
    client = web.client()
    client.get("/login")
    for url in ("/contacts/partners/new", "/switch-company", "/settings/addons/contacts/uninstall", "/logout",
                "/account"):
        response = client.post(url, {"name": "x"})
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login"), url


def test_a_pending_second_factor_expires(web, monkeypatch):
    import pyotp

    from core.security import credentials

    session = web.db.system()
    credentials.enable_totp(session, web.db.admin().id, pyotp.random_base32())
    session.commit()
    client = web.client()
    assert client.login("admin", ADMIN_PASSWORD).headers["Location"].startswith("/login/2fa")
    later = time.time() + 301
    monkeypatch.setattr("core.web.auth.time.time", lambda: later)
    assert client.get("/login/2fa").headers["Location"] == "/login"


def test_logging_out_ends_the_session_even_for_a_copied_cookie(web):
    client = web.client()
    client.login("admin", ADMIN_PASSWORD)
    stolen = client.client.get_cookie("bottega_session").value
    client.post("/logout")
    thief = web.client()
    thief.client.set_cookie("bottega_session", stolen)
    response = thief.get("/contacts/partners/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_totp_code_works_only_once(web):
    import pyotp

    from core.security import credentials

    secret = pyotp.random_base32()
    session = web.db.system()
    credentials.enable_totp(session, web.db.admin().id, secret)
    session.commit()
    code = pyotp.TOTP(secret).now()
    first = web.client()
    first.login("admin", ADMIN_PASSWORD)
    first.get("/login/2fa")
    assert first.post("/login/2fa", {"code": code}).status_code == 302
    second = web.client()
    second.login("admin", ADMIN_PASSWORD)
    second.get("/login/2fa")
    assert second.post("/login/2fa", {"code": code}).status_code == 200
    assert second.get("/").status_code == 302
