"""The security log: what is recorded, and what administrators see, filter and export."""
import csv
import datetime as dt
import io
import time

import pyotp
import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from core.config import load_config
from core.db import utcnow
from core.jobs import JobContext
from core.models import Group, LoginSession, RateLimitCounter, SecurityEvent, User
from core.security import log_event
from core.security.housekeeping import security_housekeeping
from core.security.throttle import LoginPolicy
from core.testing import ADMIN_PASSWORD, USER_PASSWORD
from tests.lifecycle_helpers import fixture_catalog, query

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"


def events(web, **where):
    session = web.db.system()
    statement = select(SecurityEvent).order_by(SecurityEvent.id)
    for key, value in where.items():
        statement = statement.where(getattr(SecurityEvent, key) == value)
    return session.scalars(statement).all()


def admin_client(web):
    admin = web.client()
    admin.login("admin", ADMIN_PASSWORD)
    return admin


def test_logins_failures_and_held_back_attempts_are_logged_with_address_and_browser(web):
    web.app.config["BOTTEGA_LOGIN_POLICY"] = LoginPolicy(free_failures=1, first_delay=60)
    ana = web.db.user("ana", groups=["contacts.group_user"])
    client = web.client()
    client.get("/login")
    origin = {"environ_base": {"REMOTE_ADDR": "198.51.100.9"}, "headers": {"User-Agent": BROWSER}}
    for _ in range(5):
        client.post("/login", {"login": "ana", "password": "guess"}, **origin)
    client.post("/login", {"login": "ghost", "password": "guess"}, **origin)
    failed = events(web, kind="login_failed")
    assert [(e.login, e.ip, e.user_agent, e.user_id) for e in failed] == [
        ("ana", "198.51.100.9", BROWSER, None), ("ana", "198.51.100.9", BROWSER, None),
        ("ghost", "198.51.100.9", BROWSER, None)]
    assert failed[1].detail == "account waits 60 s"
    held_back = events(web, kind="login_throttled")
    assert len(held_back) == 1 and held_back[0].login == "ana"  # once per wait, not per refused attempt

    web.db.user("bea", groups=["contacts.group_user"])
    web.client().login("bea", USER_PASSWORD)
    assert [(e.login, e.user_id) for e in events(web, kind="login_succeeded")][-1] == ("bea", ana.id + 1)


def test_password_and_two_factor_changes_are_logged(web):
    ana = web.db.user("ana", groups=["contacts.group_user"])
    client = web.client()
    client.login("ana")
    client.get("/account")
    client.post("/account", {"pw-current": USER_PASSWORD, "pw-new": "ventana-azul-87", "pw-confirm": "ventana-azul-87"})
    page = client.get("/account/2fa").get_data(as_text=True)
    secret = page.split('<code class="secret">')[1].split("<")[0]
    client.post("/account/2fa", {"code": pyotp.TOTP(secret).now()})
    client.get("/account")
    client.post("/account/2fa/disable", {"current_password": "ventana-azul-87"})
    kinds = [e.kind for e in events(web, user_id=ana.id)]
    assert kinds[-3:] == ["password_changed", "two_factor_enabled", "two_factor_disabled"]


def test_changing_a_users_groups_is_logged_with_before_and_after(web):
    clerk = web.db.user("clerk", groups=["contacts.group_user"])
    manager = web.db.system().scalars(select(Group).where(Group.key == "contacts.group_manager")).one()
    admin = admin_client(web)
    admin.get(f"/settings/users/{clerk.id}/edit")
    saved = admin.post(f"/settings/users/{clerk.id}/edit", {
        "login": "clerk", "name": "Clerk", "lang": "en", "active": "y", "company_id": "1", "companies": ["1"],
        "groups": [str(manager.id)]})
    assert saved.status_code == 302
    change = events(web, kind="user_changed")[-1]
    assert change.login == "clerk" and change.user_id == web.db.admin().id
    assert "groups contacts.group_user" in change.detail and "→ active; groups contacts.group_manager" in change.detail


def test_reserved_kinds_are_accepted_and_unknown_ones_refused(web):
    session = web.db.system()
    log_event(session, "api_key_created", login="admin", detail="key 1")
    log_event(session, "api_key_revoked", login="admin", detail="key 1")
    with pytest.raises(ValueError, match="unknown security event kind 'api_key_stolen'"):
        log_event(session, "api_key_stolen")
    session.commit()
    assert [e.kind for e in events(web)][-2:] == ["api_key_created", "api_key_revoked"]


def seed(web, count, kind="login_failed", login="probe", at=None):
    session = web.db.system()
    for n in range(count):
        log_event(session, kind, login=f"{login}{n}", ip="192.0.2.1")
    session.flush()
    if at is not None:
        session.execute(update(SecurityEvent).where(SecurityEvent.login.like(f"{login}%")).values(at=at))
    session.commit()


def test_administrators_filter_page_and_export_the_log(web):
    seed(web, 60, login="probe")
    seed(web, 3, kind="password_changed", login="old", at=dt.datetime(2025, 3, 10, 12))
    admin = admin_client(web)
    page = admin.get("/settings/security-log/?kind=login_failed").get_data(as_text=True)
    assert page.count('class="event-login_failed"') == 50 and "Page 1 of 2" in page
    current = page[page.index('<nav class="sidebar"'):page.index("</nav>", page.index('<nav class="sidebar"'))]
    assert current.count('aria-current="page"') == 1 and 'aria-current="page">Security log<' in current
    second = admin.get("/settings/security-log/?kind=login_failed&page=2").get_data(as_text=True)
    assert second.count('class="event-login_failed"') == 10
    by_user = admin.get("/settings/security-log/?user=probe1").get_data(as_text=True)
    assert by_user.count('class="event-') == 11  # probe1, probe10..probe19
    by_date = admin.get("/settings/security-log/?since=2025-03-01&until=2025-03-10").get_data(as_text=True)
    assert by_date.count('class="event-password_changed"') == 3 and 'class="event-login_failed"' not in by_date
    bad = admin.get("/settings/security-log/?since=yesterday")
    assert bad.status_code == 200 and "yesterday is not a date" in bad.get_data(as_text=True)

    exported = admin.get("/settings/security-log/export.csv?kind=password_changed")
    rows = list(csv.reader(io.StringIO(exported.get_data().decode("utf-8-sig"))))
    assert rows[0] == ["When", "Event", "User", "Login", "Address", "Browser", "Detail"]
    assert sorted(row[3] for row in rows[1:]) == ["old0", "old1", "old2"]
    assert {row[1] for row in rows[1:]} == {"Password changed"}
    assert web.app.extensions["bottega"].engine.pool.checkedout() == 0  # the streamed lines gave theirs back
    sheet = load_workbook(io.BytesIO(admin.get("/settings/security-log/export.xlsx?user=probe1").get_data())).active
    assert sheet.max_row == 12


def test_the_log_is_for_administrators_only(web):
    web.db.user("clerk", groups=["contacts.group_manager"])
    client = web.client()
    client.login("clerk")
    assert client.get("/settings/security-log/").status_code == 403
    assert client.get("/settings/security-log/export.csv").status_code == 403
    assert "Security log" not in client.get("/").get_data(as_text=True)


def test_addon_installs_and_uninstalls_from_the_web_are_logged_with_who_did_them(served):
    client_for, url = served(fixture_catalog("alpha"), ["contacts"])
    admin = client_for()
    admin.login("admin", ADMIN_PASSWORD)
    admin.get("/settings/addons/alpha/install")
    assert admin.post("/settings/addons/alpha/install").status_code == 302
    admin.get("/settings/addons/alpha/uninstall")
    assert admin.post("/settings/addons/alpha/uninstall").status_code == 302
    logged = query(url, "SELECT e.kind, e.login, u.login FROM core_security_event e LEFT JOIN core_user u "
                        "ON u.id = e.user_id WHERE e.kind LIKE 'addon_%' AND e.login = 'alpha' ORDER BY e.id")
    assert logged == [("addon_installed", "alpha", "admin"), ("addon_uninstalled", "alpha", "admin")]


def test_housekeeping_forgets_old_events_idle_sessions_and_spent_counters(web, tmp_path):
    seed(web, 2, login="ancient", at=utcnow() - dt.timedelta(days=400))
    seed(web, 2, login="recent", at=utcnow() - dt.timedelta(days=10))
    client = web.client()
    client.login("admin", ADMIN_PASSWORD)
    session = web.db.system()
    session.add_all([RateLimitCounter(key="spent", count=3, expires_at=time.time() - 1),
                     RateLimitCounter(key="live", count=3, expires_at=time.time() + 600)])
    session.execute(update(LoginSession).values(last_seen_at=utcnow() - dt.timedelta(hours=3)))
    session.commit()
    config = tmp_path / "jobs.toml"
    config.write_text("[security]\nlog_retention_days = 365\nsession_idle_minutes = 60\n")
    done = security_housekeeping(JobContext(web.db.factory, web.db.registry, load_config(config, environ={})))
    assert done["events"] == 2 and done["sessions"] >= 1 and done["counters"] >= 1
    logins = {e.login for e in events(web)}
    assert {"recent0", "recent1"} <= logins and not {"ancient0", "ancient1"} & logins
    left = set(web.db.system().scalars(select(RateLimitCounter.key)))
    assert "live" in left and "spent" not in left
    assert web.db.system().scalar(select(LoginSession.id)) is None


def test_the_housekeeping_job_is_declared_and_scheduled(web):
    jobs = {job.name: job for impl in web.db.registry.hook.register_jobs() for job in impl}
    assert jobs["core.security_housekeeping"].schedule is not None


def test_a_user_row_deleted_keeps_its_events(web):
    ana = web.db.user("ana", groups=["contacts.group_user"])
    web.client().login("ana")
    session = web.db.system()
    session.delete(session.get(User, ana.id))
    session.commit()
    kept = events(web, kind="login_succeeded")[-1]
    assert kept.login == "ana" and kept.user_id is None
