"""A real Bottega server in a thread and a real headless Chromium driven by Playwright."""
import json
import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from core.testing import free_port, initialized_database
from tests.lifecycle_helpers import fixture_catalog

ROOT = Path(__file__).resolve().parents[2]

CHROMIUM = os.environ.get("BOTTEGA_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(items):
    if Path(CHROMIUM).exists() or os.environ.get("BOTTEGA_E2E"):
        return
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (CI installs it and sets BOTTEGA_E2E=1)")
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="module")
def server(databases, tmp_path_factory):
    catalog = fixture_catalog("alpha")
    url = databases.new()
    initialized_database(url, catalog, ["contacts", "alpha"]).dispose()
    config_path = tmp_path_factory.mktemp("e2e") / "bottega.toml"
    config_path.write_text(f'[database]\nurl = "{url}"\n[addons]\nenabled = ["contacts", "alpha"]\n'
                           '[server]\nsecret_key = "e2e-secret-key-e2e-secret-key"\n')
    port = free_port()
    command = [sys.executable, "-m", "tests.e2e.server", str(config_path), str(port)]
    with server_process(command, port, config_path.with_suffix(".log")) as base:
        yield {"url": base, "database": url}


@contextmanager
def server_process(command, port, log: Path, env=None, timeout=60, cwd=ROOT):
    """Run a server ``command`` listening on ``port``; yield its base URL once ``/health`` answers."""
    with log.open("wb") as output:  # a file, not a pipe nobody reads: the server's log never blocks it
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                urllib.request.urlopen(base + "/health", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the test server did not start: " + log.read_text(errors="replace")[-3000:])
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a demo whose worker is in a job: the pages were what was tested
            process.kill()
            process.wait(timeout=10)


def spanish_database(databases, company_name: str, addons: list[str]):
    """A new database whose first company is Spanish (installing accounting sets up its books from the PGC),
    with ``addons`` installed; its URL, engine and registry."""
    from sqlalchemy import select

    from core.catalog import Catalog
    from core.lifecycle import Lifecycle
    from core.models import Company
    from core.sessions import make_session_factory

    url = databases.new()
    catalog = Catalog.discover()
    engine = initialized_database(url, catalog)
    with make_session_factory(engine)() as session:
        company = session.scalars(select(Company).order_by(Company.id)).first()
        company.name, company.country_code, company.currency_code = company_name, "ES", "EUR"
        session.commit()
    lifecycle = Lifecycle(engine, catalog)
    lifecycle.run(lifecycle.plan_install(addons))
    return url, engine, Lifecycle(engine, catalog).registry()


@contextmanager
def bottega_run(url: str, addons: list[str], folder: Path):
    """``bottega run`` on the database ``url`` with ``addons`` enabled (config and log in ``folder``); yields its
    base URL once it answers."""
    config, log = folder / "bottega.toml", folder / "server.log"
    config.write_text(f'[database]\nurl = "{url}"\n[addons]\nenabled = {json.dumps(addons)}\n'
                      '[server]\nsecret_key = "e2e-secret-key-e2e-secret-key"\n')
    port = free_port()
    command = [sys.executable, "-c", "from core.cli import main; main()", "run", "--host", "127.0.0.1",
               "--port", str(port)]
    with server_process(command, port, log, env={**os.environ, "BOTTEGA_CONFIG": str(config)}) as base:
        yield base


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """``bottega demo`` itself (every addon, demonstration data), as a newcomer starts it; its base URL. It runs
    in a folder of its own (the demo writes ``instance/`` where it is started): each pytest-xdist worker has its
    own session, so two demos may start at once, and they must not share a database and its key."""
    folder = tmp_path_factory.mktemp("demo")
    port = free_port()
    command = [sys.executable, "-c", "from core.cli import main; main()", "demo", "--port", str(port)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    with server_process(command, port, folder / "demo.log", env=env, timeout=300, cwd=folder) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def shot():
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take
