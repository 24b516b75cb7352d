"""`bottega demo` and `bottega serve`: what a newcomer and an operator start."""
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.cookiejar import CookieJar

from click.testing import CliRunner
from sqlalchemy import select
from stdnum.iban import is_valid as is_valid_iban

from addons.contacts.models import Partner
from core.testing import free_port
from core.catalog import Catalog
from core.cli import Context, cli
from core.config import load_config
from core.db import make_engine
from core.demo import DEMO_PASSWORD, create_demo_database
from core.taxid import check_tax_id
from core.security import credentials
from core.security.throttle import LoginPolicy
from core.sessions import make_session_factory
from core.testing import ADMIN_PASSWORD

from .lifecycle_helpers import query, write_config


def test_demo_database_has_every_addon_demo_data_and_working_logins(tmp_path):
    catalog = Catalog.discover()
    url = create_demo_database(tmp_path / "demo.db", catalog)
    assert {name for (name,) in query(url, "SELECT name FROM core_addon WHERE state = 'installed'")} == set(catalog)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        names = session.scalars(select(Partner.name)).all()
        assert "Rossi Arredamenti S.r.l." in names and len(names) >= 10
        users = dict(query(url, "SELECT login, id FROM core_user"))
        assert credentials.check_password(session, users["admin"], DEMO_PASSWORD)
        assert credentials.check_password(session, users["maria"], DEMO_PASSWORD)
    engine.dispose()
    assert query(url, "SELECT count(*) FROM core_audit_log WHERE action = 'create'")[0][0] > 0
    assert query(url, "SELECT c.name, u.code FROM products_product p JOIN products_category c ON c.id = "
                      "p.category_id JOIN products_uom u ON u.id = p.uom_id WHERE p.code = 'PINT-GR-L'") == [
        ("Pinturas", "l")]
    assert query(url, "SELECT state, count(*) FROM purchase_order GROUP BY state ORDER BY state") == [
        ("draft", 1), ("purchase", 2), ("sent", 1)]
    assert query(url, "SELECT count(*) FROM purchase_order_line WHERE expected_date < date('now') "
                      "AND received_quantity < quantity") == [(2,)]
    # the confirmed orders are received into the stock demo's warehouses, not one made for them
    assert query(url, "SELECT DISTINCT w.code FROM purchase_stock_receipt r JOIN stock_transfer t ON t.id = "
                      "r.transfer_id JOIN stock_warehouse w ON w.id = t.warehouse_id") == [("MAD",)]
    assert query(url, "SELECT code FROM stock_warehouse ORDER BY code") == [("MAD",), ("MIL",)]
    [(vat, iban, city, lang, logo_type)] = query(url, "SELECT vat, iban, city, lang, logo_type FROM core_company")
    assert check_tax_id(vat, "ES") == ("B86963816", "ES") and is_valid_iban(iban)
    assert (city, lang, logo_type) == ("Madrid", "es", "image/png")


def test_demo_command_without_serving_prints_the_logins_and_keeps_its_own_configuration(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    installation = write_config(tmp_path, "sqlite:///unused.db")
    before = installation.read_bytes()
    monkeypatch.setenv("BOTTEGA_DATABASE_URL", "sqlite:///not-the-demo.db")
    result = CliRunner().invoke(cli, ["--config", str(installation), "demo", "--no-serve"],
                                obj=Context(catalog=Catalog.discover()))
    assert result.exit_code == 0, result.output
    assert f"Log in as admin / {DEMO_PASSWORD}" in result.output
    assert (tmp_path / "instance" / "demo.db").exists()
    assert installation.read_bytes() == before
    demo = load_config(tmp_path / "instance" / "demo.toml", environ={})
    assert demo.database_url == f"sqlite:///{tmp_path / 'instance' / 'demo.db'}"
    assert demo.enabled_addons == sorted(Catalog.discover())
    assert demo.get("jobs", "sqlite_path") == str(tmp_path / "instance" / "demo-jobs.db")


def test_the_served_demo_runs_its_queued_jobs_in_process(tmp_path):
    port = free_port()
    demo = subprocess.Popen([sys.executable, "-m", "core.cli", "demo", "--port", str(port)], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"sqlite:///{tmp_path / 'instance' / 'demo.db'}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or demo.poll() is not None:
                    raise AssertionError(demo.stdout.read().decode() if demo.poll() is not None else "no answer")
                time.sleep(0.3)
        # the demo's new leads queue CRM's rules; with no worker started by hand they are done all the same
        assert query(url, "SELECT count(*) FROM core_job WHERE name = 'crm.new_lead'")[0][0] > 0
        while query(url, "SELECT count(*) FROM core_job WHERE state <> 'done'")[0][0]:
            assert time.monotonic() < deadline, query(url, "SELECT name, state, last_error FROM core_job")
            time.sleep(0.3)
        assert not (tmp_path / "instance" / "jobs.db").exists()  # the installation's default queue is not used
    finally:
        demo.terminate()
        demo.wait(timeout=20)


def test_serve_refuses_to_start_without_a_secret_key(tmp_path, initialized_url):
    result = CliRunner().invoke(cli, ["--config", str(write_config(tmp_path, initialized_url)), "serve"],
                                obj=Context(catalog=Catalog.discover()))
    assert result.exit_code == 2
    assert "[server] secret_key is empty" in result.stderr


def test_serve_refuses_a_per_process_rate_limit_store_with_several_workers(tmp_path, initialized_url):
    config = write_config(tmp_path, initialized_url)
    config.write_text(config.read_text() + '[server]\nsecret_key = "serve-test-secret-key-0123456789"\n'
                      'workers = 2\nratelimit_storage = "memory://"\n')
    result = CliRunner().invoke(cli, ["--config", str(config), "serve"], obj=Context(catalog=Catalog.discover()))
    assert result.exit_code == 2
    assert '[server] ratelimit_storage = "memory://" keeps login attempts per process' in result.stderr
    assert "2 workers would allow 2 times the limits" in result.stderr


@contextmanager
def serving(tmp_path, url, extra=""):
    """``bottega serve`` with two gunicorn workers on ``url``; yields its base URL."""
    port = free_port()
    config = tmp_path / "serve.toml"
    config.write_text(f'[database]\nurl = "{url}"\n[server]\nsecret_key = "serve-test-secret-key-0123456789"\n'
                      f'port = {port}\nworkers = 2\n{extra}')
    server = subprocess.Popen([sys.executable, "-m", "core.cli", "--config", str(config), "serve"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/health", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError(server.stdout.read().decode() if server.poll() is not None else "no answer")
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


class Browser:
    """A urllib opener with cookies that posts forms with the page's CSRF token."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        page = self.opener.open(base + "/login").read().decode()
        self.token = page.split('name="csrf-token" content="')[1].split('"')[0]

    def post(self, path, fields) -> int:
        data = urllib.parse.urlencode({**fields, "csrf_token": self.token}).encode()
        try:
            return self.opener.open(self.base + path, data=data).status
        except urllib.error.HTTPError as error:
            return error.code


def test_serve_runs_several_stateless_workers_that_share_logins(tmp_path, initialized_url):
    with serving(tmp_path, initialized_url) as base:
        browser = Browser(base)
        browser.post("/login", {"login": "admin", "password": ADMIN_PASSWORD})
        for _ in range(20):  # spread over both workers: each must accept the other's session
            home = browser.opener.open(base + "/")
            assert home.geturl() == base + "/"
        assert "Hello, Administrator" in home.read().decode()


def test_the_workers_share_one_login_budget_with_the_default_storage(tmp_path, initialized_url):
    """Two clients at once keep both workers busy (each verifies Argon2 hashes); in-process counters
    would let each worker take the whole budget."""
    budget = int(LoginPolicy().per_address.split()[0])
    with serving(tmp_path, initialized_url) as base:
        browsers = [Browser(base), Browser(base)]

        def guesses(index):
            return [browsers[index].post("/login", {"login": f"nobody-{index}-{n}", "password": "guess"})
                    for n in range(budget)]

        with ThreadPoolExecutor(2) as pool:
            codes = [code for result in pool.map(guesses, range(2)) for code in result]
    assert codes.count(401) == budget
    assert codes.count(429) == budget
