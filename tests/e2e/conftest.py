"""A real Bottega server in a thread and a real headless Chromium driven by Playwright."""
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from core.config import load_config
from core.testing import initialized_database
from core.web.app import Dispatcher
from tests.lifecycle_helpers import fixture_catalog

CHROMIUM = os.environ.get("BOTTEGA_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
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
    engine = initialized_database(url, catalog, ["contacts", "alpha"])
    config_path = tmp_path_factory.mktemp("e2e") / "bottega.toml"
    config_path.write_text(f'[database]\nurl = "{url}"\n[addons]\nenabled = ["contacts", "alpha"]\n'
                           '[server]\nsecret_key = "e2e-secret-key-e2e-secret-key"\n')
    dispatcher = Dispatcher(load_config(config_path, environ={}), catalog, engine)
    http = make_server("127.0.0.1", 0, dispatcher, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{http.port}", "database": url}
    http.shutdown()
    engine.dispose()


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
