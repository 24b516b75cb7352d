"""Logging in and out, rate limits, CSRF, 2FA and passwords, through the real forms."""
import re

import pyotp

from core.security.throttle import LoginPolicy
from core.testing import USER_PASSWORD


def test_anonymous_visitors_are_sent_to_login(web):
    response = web.client().get("/contacts/partners/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/contacts/partners/"


def test_login_with_a_wrong_password_says_so_and_logs_nobody_in(web):
    web.db.user("ana", groups=["contacts.group_user"])
    client = web.client()
    response = client.login("ana", "wrong-password")
    assert response.status_code == 401
    assert "Wrong login or password." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_rotates_the_session_and_sets_safe_cookie_flags(web):
    web.db.user("ana", groups=["contacts.group_user"])
    client = web.client()
    client.get("/login")
    before = client.client.get_cookie("bottega_session")
    response = client.post("/login?next=/contacts/partners/", {"login": "ana", "password": USER_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/contacts/partners/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.client.get_cookie("bottega_session").value != before.value
    assert client.get("/contacts/partners/").status_code == 200


def test_login_does_not_redirect_off_site(web):
    web.db.user("ana", groups=["contacts.group_user"])
    client = web.client()
    client.get("/login")
    response = client.post("/login?next=//evil.example/", {"login": "ana", "password": USER_PASSWORD})
    assert response.headers["Location"] == "/"


def test_many_wrong_passwords_make_the_account_wait_with_a_friendly_page(web):
    web.app.config["BOTTEGA_LOGIN_POLICY"] = policy = LoginPolicy(first_delay=30)
    web.db.user("ana", groups=["contacts.group_user"])
    client = web.client()
    codes = [client.login("ana", f"guess-{n}").status_code for n in range(policy.free_failures + 2)]
    assert codes == [401] * (policy.free_failures + 1) + [429]
    page = client.post("/login", {"login": "ana", "password": USER_PASSWORD})
    assert page.status_code == 429
    wait = int(page.headers["Retry-After"])
    assert 0 < wait <= 30
    assert f"Too many attempts. Wait {wait} seconds and try again." in page.get_data(as_text=True)
    assert "Traceback" not in page.get_data(as_text=True)


def test_posts_without_or_with_a_stale_csrf_token_are_refused_and_change_nothing(web):
    web.db.user("ana", groups=["contacts.group_user"])
    client = web.client()
    client.login("ana")
    missing = client.post("/contacts/partners/new", {"name": "No token"}, csrf=False)
    assert missing.status_code == 400
    assert "This form has expired" in missing.get_data(as_text=True)
    stale = client.post("/contacts/partners/new", {"name": "Stale", "csrf_token": "IjAwMCI.stale.token"})
    assert stale.status_code == 400
    assert "No token" not in client.get("/contacts/partners/").get_data(as_text=True)


def test_logout_needs_a_post_and_ends_the_session(web):
    web.db.user("ana", groups=["contacts.group_user"])
    client = web.client()
    client.login("ana")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_password_change_keeps_this_session_and_ends_the_others(web):
    web.db.user("ana", groups=["contacts.group_user"])
    first, second = web.client(), web.client()
    first.login("ana")
    second.login("ana")
    first.get("/account")
    response = first.post("/account", {"pw-current": USER_PASSWORD, "pw-new": "a-new-password",
                                       "pw-confirm": "a-new-password"})
    assert response.status_code == 302
    assert first.get("/").status_code == 200
    assert second.get("/").status_code == 302
    assert web.client().login("ana", "a-new-password").status_code == 302


def test_wrong_current_password_changes_nothing(web):
    web.db.user("ana", groups=["contacts.group_user"])
    client = web.client()
    client.login("ana")
    client.get("/account")
    page = client.post("/account", {"pw-current": "nope", "pw-new": "a-new-password", "pw-confirm": "a-new-password"})
    assert "This is not your current password." in page.get_data(as_text=True)
    assert web.client().login("ana", USER_PASSWORD).status_code == 302


def test_two_factor_enrolment_then_login_needs_a_code_and_recovery_codes_work_once(web):
    web.db.user("ana", groups=["contacts.group_user"])
    client = web.client()
    client.login("ana")
    page = client.get("/account/2fa").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    assert "This code is not valid" in client.post("/account/2fa", {"code": "000000"}).get_data(as_text=True)
    done = client.post("/account/2fa", {"code": pyotp.TOTP(secret).now()}).get_data(as_text=True)
    codes = re.findall(r"<li><code>([0-9a-f]{10})</code></li>", done)
    assert len(codes) == 10

    fresh = web.client()
    response = fresh.login("ana")
    assert response.headers["Location"].startswith("/login/2fa")
    assert fresh.get("/").status_code == 302
    fresh.get("/login/2fa")
    assert fresh.post("/login/2fa", {"code": "123456"}).status_code == 200
    assert fresh.post("/login/2fa", {"code": pyotp.TOTP(secret).now()}).status_code == 302
    assert fresh.get("/").status_code == 200

    with_recovery = web.client()
    with_recovery.login("ana")
    with_recovery.get("/login/2fa")
    assert with_recovery.post("/login/2fa", {"code": codes[0]}).status_code == 302
    again = web.client()
    again.login("ana")
    again.get("/login/2fa")
    assert again.post("/login/2fa", {"code": codes[0]}).status_code == 200
