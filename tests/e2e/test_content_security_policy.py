"""Every main page of the core and the addons works under the Content-Security-Policy: Chromium reports no violation.

The server runs the demo database (every addon, demonstration data). The
test walks the app switcher and every sidebar, plus record, form, 2FA and
embeddable-form pages, and fails on any CSP violation Chromium reports in
the console. A control first checks that a violation is indeed reported.
"""
from __future__ import annotations

import os
import sys

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.catalog import Catalog
from core.db import make_engine
from core.demo import DEMO_PASSWORD, create_demo_database
from core.sessions import make_session_factory
from core.testing import free_port

from .conftest import server_process

CSP_WORDS = "Content Security Policy"


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e-csp")
    catalog = Catalog.discover()
    url = create_demo_database(folder / "demo.db", catalog)
    config = folder / "bottega.toml"
    enabled = ", ".join(f'"{name}"' for name in sorted(catalog))
    config.write_text(f'[database]\nurl = "{url}"\n[addons]\nenabled = [{enabled}]\n'
                      '[server]\nsecret_key = "e2e-secret-key-e2e-secret-key"\n')
    port = free_port()
    command = [sys.executable, "-c", "from core.cli import main; main()", "run", "--host", "127.0.0.1",
               "--port", str(port)]
    with server_process(command, port, folder / "server.log", env={**os.environ, "BOTTEGA_CONFIG": str(config)}) as base:
        yield {"url": base, "database": url}


def capture_key(database_url: str) -> str:
    from addons.crm.models import Team

    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            return session.scalars(select(Team.capture_key).order_by(Team.id)).first()
    finally:
        engine.dispose()


class Violations:
    """CSP violations Chromium reports in the console of one page, with the URL being shown."""

    def __init__(self, page):
        self.page = page
        self.found: list[str] = []
        page.on("console", self._noted)

    def _noted(self, message):
        if CSP_WORDS in message.text:
            self.found.append(f"{self.page.url}: {message.text}")


def visit(page, url):
    """Show ``url`` (whatever its status: error pages run under the policy too)."""
    response = page.goto(url)
    assert response is not None and "content-security-policy" in response.headers, url
    page.wait_for_load_state("load")


def test_a_violation_would_be_reported(demo_server, browser):
    page = browser.new_page()
    violations = Violations(page)
    visit(page, demo_server["url"] + "/login")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';
                             document.body.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert violations.found, "an inline script must be refused and reported"
    page.close()


def test_the_main_pages_run_under_the_policy_without_violations(demo_server, browser):
    base = demo_server["url"]
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    violations = Violations(page)
    visit(page, base + "/login")
    page.fill("#login", "admin")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1.welcome")).to_be_visible()

    apps = page.eval_on_selector_all(".apps-grid a", "links => links.map(a => a.getAttribute('href'))")
    assert len(apps) >= 4
    pages = []
    for app in apps:
        visit(page, base + app)
        pages += page.eval_on_selector_all("nav.sidebar a", "links => links.map(a => a.getAttribute('href'))")
    pages += ["/", "/account", "/account/2fa", "/account/sessions", "/settings/users/1", "/settings/users/1/edit",
              "/contacts/partners/new", "/settings/security-log/?kind=login_succeeded"]
    seen = set()
    for path in pages:
        if path in seen:
            continue
        seen.add(path)
        visit(page, base + path)
        first_record = page.query_selector("table.records tbody tr td a")
        if first_record is not None and path.endswith("/"):
            record = first_record.get_attribute("href")
            if record not in seen:
                seen.add(record)
                visit(page, base + record)
    assert len(seen) >= 30
    page.click(".usermenu summary")
    page.click("text=Log out")
    expect(page).to_have_url(base + "/login")

    visit(page, f"{base}/crm/capture/{capture_key(demo_server['database'])}")
    page.close()
    assert violations.found == []
