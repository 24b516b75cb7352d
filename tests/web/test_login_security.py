"""Logins that cannot be abused: redirects after login, timing, throttling, proxies."""
import dataclasses

import pyotp
import pytest
import redis
from argon2 import PasswordHasher
from limits.storage import MemoryStorage
from sqlalchemy import update

from core.config import load_config
from core.models import User
from core.models import Credential
from core.security import credentials, passwords
from core.security.throttle import LoginPolicy, LoginThrottle
from core.testing import ADMIN_PASSWORD, USER_PASSWORD, WebClient
from core.web.app import build_app
from core.web.limiter import limiter
from tests.test_jobs import redis_server_url

OFF_SITE = [
    "/%09/evil.example",  # a tab: browsers drop it and read //evil.example
    "/%0a/evil.example",
    "/%0d%0a/evil.example",
    "/%5Cevil.example",  # /\evil.example: a backslash is a slash to browsers
    "/%5C%5Cevil.example",
    "%5C%5Cevil.example",
    "//evil.example",
    "///evil.example",
    "/%2F/evil.example",
    "https://evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
    "%09//evil.example",
    "evil.example",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_never_redirects_off_site(web, target):
    web.db.user("ana", groups=["contacts.group_user"])
    client = web.client()
    client.get("/login")
    response = client.post(f"/login?next={target}", {"login": "ana", "password": USER_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_follows_a_path_on_this_site(web):
    web.db.user("ana", groups=["contacts.group_user"])
    client = web.client()
    client.get("/login")
    response = client.post("/login?next=/contacts/partners/%3Fq%3Dros", {"login": "ana", "password": USER_PASSWORD})
    assert response.headers["Location"] == "/contacts/partners/?q=ros"


@pytest.mark.parametrize("target", ["/%09/evil.example", "/%5Cevil.example"])
def test_the_second_factor_step_does_not_pass_an_off_site_target_on(web, target):
    secret = pyotp.random_base32()
    session = web.db.system()
    credentials.enable_totp(session, web.db.admin().id, secret)
    session.commit()
    client = web.client()
    client.get("/login")
    first = client.post(f"/login?next={target}", {"login": "admin", "password": ADMIN_PASSWORD})
    assert first.headers["Location"] == "/login/2fa"
    client.get("/login/2fa")
    done = client.post(f"/login/2fa?next={target}", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302 and done.headers["Location"] == "/"


class CountingHasher(PasswordHasher):
    """argon2-cffi's hasher, counting the verifications it runs."""

    verified = 0

    def verify(self, hash, password):
        CountingHasher.verified += 1
        return super().verify(hash, password)


@pytest.mark.parametrize("case", ["unknown", "archived", "no password", "wrong password"])
def test_every_failed_login_verifies_one_hash_so_its_time_tells_nothing(web, monkeypatch, case):
    session = web.db.system()
    user = web.db.user("ana", groups=["contacts.group_user"])
    if case == "archived":
        session.execute(update(User).where(User.id == user.id).values(active=False))
    if case == "no password":
        session.execute(update(Credential).where(Credential.user_id == user.id)
                        .values(password_hash=None))
    session.commit()
    monkeypatch.setattr(passwords, "_hasher", CountingHasher())
    CountingHasher.verified = 0
    client = web.client()
    client.get("/login")
    password = "wrong" if case == "wrong password" else USER_PASSWORD
    response = client.post("/login", {"login": "nobody" if case == "unknown" else "ana", "password": password})
    assert response.status_code == 401
    assert CountingHasher.verified == 1


def post_from(client, address, login, password):
    return client.post("/login", {"login": login, "password": password}, environ_base={"REMOTE_ADDR": address})


def test_a_flood_from_many_addresses_checks_a_handful_of_passwords_and_the_wait_is_capped(web):
    policy = LoginPolicy(first_delay=60, max_delay=60)
    web.app.config["BOTTEGA_LOGIN_POLICY"] = policy
    web.db.user("ana", groups=["contacts.group_user"])
    attacker = web.client()
    attacker.get("/login")
    codes = [post_from(attacker, f"198.51.100.{n}", "ana", f"guess-{n}-{attempt}").status_code
             for n in range(50) for attempt in range(10)]
    assert codes.count(401) == policy.free_failures + 1  # not 50 addresses times a per-address budget
    assert codes.count(429) == len(codes) - codes.count(401)

    owner = web.client()
    owner.get("/login")
    response = post_from(owner, "203.0.113.7", "ana", USER_PASSWORD)
    assert response.status_code == 429
    wait = int(response.headers["Retry-After"])
    assert 0 < wait <= policy.max_delay
    assert f"Wait {wait} seconds" in response.get_data(as_text=True)


def test_the_real_user_gets_in_once_the_capped_wait_is_over(web):
    web.app.config["BOTTEGA_LOGIN_POLICY"] = LoginPolicy(first_delay=1, max_delay=1)
    web.db.user("ana", groups=["contacts.group_user"])
    attacker = web.client()
    attacker.get("/login")
    for n in range(50):
        post_from(attacker, f"198.51.100.{n}", "ana", "guess")
    owner = web.client()
    owner.get("/login")
    answers = wait_for_login(owner, "203.0.113.7", "ana", USER_PASSWORD)
    assert answers[-1].status_code == 302
    assert all(int(answer.headers["Retry-After"]) <= 1 for answer in answers[:-1])


def wait_for_login(client, address, login, password, deadline_seconds=30):
    """Try to log in until it works (a wait is told in seconds), for at most ``deadline_seconds``."""
    import time

    answers, deadline = [], time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        answers.append(post_from(client, address, login, password))
        if answers[-1].status_code != 429:
            return answers
        time.sleep(0.1)
    raise AssertionError(f"still refused after {deadline_seconds} s: {[a.status_code for a in answers[-3:]]}")


def test_the_wait_grows_with_each_failure_up_to_its_cap():
    throttle = LoginThrottle(MemoryStorage(), LoginPolicy(free_failures=2, first_delay=1, max_delay=8))
    assert [throttle.failed("ana", "192.0.2.1") for _ in range(8)] == [0, 0, 1, 2, 4, 8, 8, 8]
    throttle.succeeded("ana")
    assert throttle.failed("ana", "192.0.2.1") == 0


def test_one_address_cannot_keep_guessing_at_one_account_but_another_address_can_log_in(web):
    web.app.config["BOTTEGA_LOGIN_POLICY"] = policy = LoginPolicy(free_failures=1000)
    web.db.user("ana", groups=["contacts.group_user"])
    client = web.client()
    client.get("/login")
    allowed = int(policy.per_account_address.split()[0])
    codes = [post_from(client, "198.51.100.1", "ana", f"guess-{n}").status_code for n in range(allowed + 1)]
    assert codes == [401] * allowed + [429]
    assert post_from(client, "198.51.100.1", "ana", USER_PASSWORD).status_code == 429
    assert post_from(web.client(), "203.0.113.7", "ana", USER_PASSWORD).status_code == 302


def test_one_address_is_limited_whatever_the_account(web):
    client = web.client()
    client.get("/login")
    allowed = int(LoginPolicy().per_address.split()[0])
    codes = [client.post("/login", {"login": f"user{n}", "password": "guess"}).status_code for n in range(allowed + 1)]
    assert codes == [401] * allowed + [429]


def app_with(web, tmp_path, text):
    """The ``web`` fixture's app rebuilt with this configuration file."""
    path = tmp_path / "custom.toml"
    path.write_text('[server]\nsecret_key = "test-secret-key-test-secret-key"\n' + text)
    state = web.app.extensions["bottega"]
    app = build_app(dataclasses.replace(state, config=load_config(path, environ={})))
    app.config["TESTING"] = True
    return app


def test_behind_trusted_proxies_each_client_has_its_own_budget(web, tmp_path):
    behind = WebClient(app_with(web, tmp_path, "trusted_proxies = 1\n"))
    behind.get("/login")
    allowed = int(LoginPolicy().per_address.split()[0])
    spread = [behind.post("/login", {"login": f"user{n}", "password": "guess"},
                          headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code for n in range(allowed + 5)]
    assert spread == [401] * (allowed + 5)


def test_without_trusted_proxies_a_forwarded_address_is_ignored(web):
    client = web.client()
    client.get("/login")
    allowed = int(LoginPolicy().per_address.split()[0])
    codes = [client.post("/login", {"login": f"user{n}", "password": "guess"},
                         headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code for n in range(allowed + 1)]
    assert codes[-1] == 429


def test_with_redis_storage_the_counters_live_in_redis(web, tmp_path):
    url = redis_server_url()
    app = app_with(web, tmp_path, f'ratelimit_storage = "{url}"\n')
    app.config["BOTTEGA_LOGIN_POLICY"] = policy = LoginPolicy(first_delay=60)
    client = WebClient(app)
    client.get("/login")
    try:
        codes = [post_from(client, f"198.51.100.{n}", "redis-ana", "guess").status_code
                 for n in range(policy.free_failures + 2)]
        assert codes == [401] * (policy.free_failures + 1) + [429]
        assert redis.Redis.from_url(url).keys("LIMITS*login-failures|redis-ana*")
    finally:
        with app.app_context():
            limiter.reset()
