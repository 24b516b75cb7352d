"""Login sessions (idle timeout, the user's list), re-authentication and two-factor required by role."""
import datetime as dt
import re
import time

import pyotp
import pytest
from sqlalchemy import select, update

from core.db import utcnow
from core.errors import ConfigError
from core.models import Group, LoginSession, SecurityEvent, User
from core.security import credentials
from core.testing import ADMIN_PASSWORD, USER_PASSWORD, WebClient
from tests.web.test_login_security import app_with


def idle_for(web, user_id, minutes):
    session = web.db.system()
    session.execute(update(LoginSession).where(LoginSession.user_id == user_id)
                    .values(last_seen_at=utcnow() - dt.timedelta(minutes=minutes)))
    session.commit()


def test_a_session_idle_longer_than_the_limit_ends(web):
    ana = web.db.user("ana", groups=["contacts.group_user"])
    client = web.client()
    client.login("ana")
    assert client.get("/contacts/partners/").status_code == 200
    idle_for(web, ana.id, 59)  # the default limit is 60 minutes
    assert client.get("/contacts/partners/").status_code == 200
    idle_for(web, ana.id, 61)
    response = client.get("/contacts/partners/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_using_a_session_keeps_it_alive(web):
    ana = web.db.user("ana", groups=["contacts.group_user"])
    client = web.client()
    client.login("ana")
    idle_for(web, ana.id, 50)
    client.get("/")
    seen = web.db.system().scalar(select(LoginSession.last_seen_at).where(LoginSession.user_id == ana.id))
    assert seen > utcnow() - dt.timedelta(minutes=1)


def test_the_idle_limit_comes_from_the_config(web, tmp_path):
    ana = web.db.user("ana", groups=["contacts.group_user"])
    client = WebClient(app_with(web, tmp_path, "[security]\nsession_idle_minutes = 5\n"))
    client.login("ana")
    idle_for(web, ana.id, 6)
    assert client.get("/").status_code == 302


def test_archiving_a_logged_in_user_refuses_their_next_request(web):
    ana = web.db.user("ana", groups=["contacts.group_user"])
    client = web.client()
    client.login("ana")
    assert client.get("/contacts/partners/").status_code == 200
    session = web.db.system()
    session.get(User, ana.id).active = False
    session.commit()
    response = client.get("/contacts/partners/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    session.get(User, ana.id).active = True
    session.commit()
    assert client.get("/contacts/partners/").status_code == 302, "the login ended with the archiving"


def test_a_user_sees_their_sessions_and_ends_one_or_all_the_others(web):
    ana = web.db.user("ana", groups=["contacts.group_user"])
    laptop, phone, tablet = web.client(), web.client(), web.client()
    laptop.login("ana")
    phone.get("/login")
    phone.post("/login", {"login": "ana", "password": USER_PASSWORD}, headers={"User-Agent": "PhoneBrowser/1.0"},
               environ_base={"REMOTE_ADDR": "203.0.113.5"})
    tablet.login("ana")
    page = laptop.get("/account/sessions").get_data(as_text=True)
    assert page.count("<tr>") == 4  # the header and three sessions
    assert "PhoneBrowser/1.0" in page and "203.0.113.5" in page and "This session" in page
    phone_id = web.db.system().scalar(select(LoginSession.id).where(LoginSession.user_agent == "PhoneBrowser/1.0"))
    assert laptop.post(f"/account/sessions/{phone_id}/end").status_code == 302
    assert phone.get("/").status_code == 302 and tablet.get("/").status_code == 200
    laptop.get("/account/sessions")
    assert laptop.post("/account/sessions/end-others").status_code == 302
    assert tablet.get("/").status_code == 302 and laptop.get("/").status_code == 200
    assert web.db.system().scalars(select(SecurityEvent.detail).where(
        SecurityEvent.kind == "sessions_ended", SecurityEvent.user_id == ana.id)).all() == ["1", "1"]


def test_nobody_ends_another_users_session(web):
    web.db.user("ana", groups=["contacts.group_user"])
    web.db.user("bea", groups=["contacts.group_user"])
    ana, bea = web.client(), web.client()
    ana.login("ana")
    bea.login("bea")
    bea_session = web.db.system().scalar(select(LoginSession.id).join(User).where(User.login == "bea"))
    ana.get("/account/sessions")
    ana.post(f"/account/sessions/{bea_session}/end")
    assert bea.get("/").status_code == 200


def forget_recent_auth(client):
    with client.client.session_transaction() as cookie:
        cookie["auth_at"] = 0


def user_form(web, user, groups):
    return {"login": user.login, "name": user.name, "lang": "en", "active": "y", "company_id": "1",
            "companies": ["1"], "groups": [str(g.id) for g in groups]}


def test_changing_roles_needs_the_password_again_after_a_while(web):
    clerk = web.db.user("clerk", groups=["contacts.group_user"])
    manager = web.db.system().scalars(select(Group).where(Group.key == "contacts.group_manager")).one()
    admin = web.client()
    admin.login("admin", ADMIN_PASSWORD)
    assert admin.get(f"/settings/users/{clerk.id}/edit").status_code == 200  # just logged in: recent enough
    forget_recent_auth(admin)
    asked = admin.get(f"/settings/users/{clerk.id}/edit")
    assert asked.status_code == 302
    assert asked.headers["Location"] == f"/reauth?next=/settings/users/{clerk.id}/edit"
    refused = admin.post(f"/settings/users/{clerk.id}/edit", user_form(web, clerk, [manager]),
                         headers={"Referer": f"http://localhost/settings/users/{clerk.id}/edit"})
    assert refused.headers["Location"] == f"/reauth?next=/settings/users/{clerk.id}/edit"
    assert [g.key for g in web.db.system().get(User, clerk.id).groups] == ["contacts.group_user"]

    admin.get(asked.headers["Location"])
    wrong = admin.post(asked.headers["Location"], {"password": "not-it"})
    assert wrong.status_code == 401 and "This is not your password." in wrong.get_data(as_text=True)
    right = admin.post(asked.headers["Location"], {"password": ADMIN_PASSWORD})
    assert right.headers["Location"] == f"/settings/users/{clerk.id}/edit"
    admin.get(right.headers["Location"])
    saved = admin.post(f"/settings/users/{clerk.id}/edit", user_form(web, clerk, [manager]))
    assert saved.status_code == 302
    assert [g.key for g in web.db.system().get(User, clerk.id).groups] == ["contacts.group_manager"]
    kinds = web.db.system().scalars(select(SecurityEvent.kind).where(SecurityEvent.kind.like("reauth%")).order_by(SecurityEvent.id)).all()
    assert kinds == ["reauthentication_failed", "reauthenticated"]


def test_a_user_with_two_factor_confirms_with_a_code(web):
    secret = pyotp.random_base32()
    session = web.db.system()
    credentials.enable_totp(session, web.db.admin().id, secret)
    session.commit()
    admin = web.client()
    admin.login("admin", ADMIN_PASSWORD)
    admin.get("/login/2fa")
    admin.post("/login/2fa", {"code": pyotp.TOTP(secret).now()})
    forget_recent_auth(admin)
    page = admin.get("/reauth?next=/settings/addons/contacts/upgrade").get_data(as_text=True)
    assert 'name="code"' in page and 'name="password"' not in page
    assert admin.post("/reauth?next=/settings/addons/contacts/upgrade",
                      {"code": pyotp.TOTP(secret).at(time.time() + 30)}  # the login used this step's code
                      ).headers["Location"] == "/settings/addons/contacts/upgrade"


def test_installing_addons_needs_a_recent_confirmation(web):
    admin = web.client()
    admin.login("admin", ADMIN_PASSWORD)
    forget_recent_auth(admin)
    admin.get("/account")
    response = admin.post("/settings/addons/contacts/upgrade")
    assert response.status_code == 302 and response.headers["Location"].startswith("/reauth")
    plan = admin.get("/settings/addons/contacts/upgrade")
    assert plan.headers["Location"] == "/reauth?next=/settings/addons/contacts/upgrade"


def test_a_role_that_requires_two_factor_must_enrol_before_anything_else(web, tmp_path):
    app = app_with(web, tmp_path, '[security]\nrequire_two_factor_groups = ["core.group_admin"]\n')
    web.db.user("ana", groups=["contacts.group_user"])
    ana = WebClient(app)
    ana.login("ana")
    assert ana.get("/contacts/partners/").status_code == 200  # not in a required group: as before
    admin = WebClient(app)
    assert admin.login("admin", ADMIN_PASSWORD).headers["Location"] == "/"
    for page in ("/", "/contacts/partners/", "/settings/users/", "/account"):
        response = admin.get(page)
        assert response.status_code == 302 and response.headers["Location"] == "/account/2fa", page
    enrol = admin.get("/account/2fa").get_data(as_text=True)
    assert "Your role requires two-factor authentication" in enrol
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', enrol).group(1)
    admin.post("/account/2fa", {"code": pyotp.TOTP(secret).now()})
    assert admin.get("/contacts/partners/").status_code == 200
    admin.get("/account")
    admin.post("/account/2fa/disable", {"current_password": ADMIN_PASSWORD})
    with web.db.factory() as session:
        assert credentials.totp_secret(session, web.db.admin().id) == secret  # it cannot be turned off


def test_an_unknown_group_in_the_config_is_a_clear_error(web, tmp_path):
    with pytest.raises(ConfigError, match=r"\[security\] require_two_factor_groups: 'admins' is not a group key"):
        app_with(web, tmp_path, '[security]\nrequire_two_factor_groups = ["admins"]\n')
