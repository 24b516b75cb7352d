"""`bottega demo` and `bottega serve`: what a newcomer and an operator start."""
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

from click.testing import CliRunner
from sqlalchemy import select

from addons.contacts.models import Partner
from core.testing import free_port
from core.catalog import Catalog
from core.cli import Context, cli
from core.db import make_engine
from core.demo import DEMO_PASSWORD, create_demo_database
from core.security import credentials
from core.sessions import make_session_factory

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


def test_demo_command_without_serving_prints_the_logins(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["--config", str(write_config(tmp_path, "sqlite:///unused.db")), "demo",
                                      "--no-serve"], obj=Context(catalog=Catalog.discover()))
    assert result.exit_code == 0, result.output
    assert f"Log in as admin / {DEMO_PASSWORD}" in result.output
    assert (tmp_path / "instance" / "demo.db").exists()


def test_serve_refuses_to_start_without_a_secret_key(tmp_path, initialized_url):
    result = CliRunner().invoke(cli, ["--config", str(write_config(tmp_path, initialized_url)), "serve"],
                                obj=Context(catalog=Catalog.discover()))
    assert result.exit_code == 2
    assert "[server] secret_key is empty" in result.stderr


def test_serve_runs_several_stateless_workers_that_share_logins(tmp_path, initialized_url):
    port = free_port()
    config = tmp_path / "serve.toml"
    config.write_text(f'[database]\nurl = "{initialized_url}"\n[server]\nsecret_key = "serve-test-secret-key-0123456789"\n'
                      f'port = {port}\nworkers = 2\n')
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
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(base + "/login").read().decode()
        token = page.split('name="csrf-token" content="')[1].split('"')[0]
        data = urllib.parse.urlencode({"login": "admin", "password": "admin-password", "csrf_token": token}).encode()
        opener.open(base + "/login", data=data)
        for _ in range(20):  # spread over both workers: each must accept the other's session
            home = opener.open(base + "/")
            assert home.geturl() == base + "/"
        assert "Hello, Administrator" in home.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=10)
