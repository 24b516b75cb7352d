"""An HR officer opens the org chart and their own profile, on a laptop and on a phone, and keeps their
emergency contact up to date. The server is ``bottega run`` on a database with hr (and contacts) and the HR demo
people: the administrator is Lucía, who runs the company."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.catalog import Catalog
from core.lifecycle import Lifecycle
from core.security import actor_session
from core.sessions import make_session_factory
from core.testing import initialized_database

from .conftest import bottega_run
from .test_browser import log_in

SIZES = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def hr_server(databases, tmp_path_factory):
    from addons.hr import demo
    from core.models import Company

    url = databases.new()
    engine = initialized_database(url, Catalog.discover(), ["hr"])
    registry = Lifecycle(engine, Catalog.discover()).registry()
    with actor_session(make_session_factory(engine), registry, None) as session:
        demo.load(session, session.scalars(select(Company).order_by(Company.id)).first())
        session.commit()
    engine.dispose()
    with bottega_run(url, ["contacts", "hr"], tmp_path_factory.mktemp("e2e-hr")) as base:
        yield {"url": base, "database": url}


@pytest.mark.parametrize("size", SIZES)
def test_the_org_chart_and_my_profile(hr_server, browser, shot, size):
    base = hr_server["url"]
    page = browser.new_page(viewport=SIZES[size])
    log_in(page, hr_server)
    page.goto(f"{base}/hr/org-chart")
    expect(page.locator("h1")).to_have_text("Org chart")
    expect(page.locator(".org-unit h2").first).to_have_text("Dirección")
    expect(page.locator(".org-manager").first).to_contain_text("Lucía Fernández")
    if size == "phone":
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    shot(page, f"hr-org-chart-{size}")
    page.locator(".org-person", has_text="Carmen Ruiz").click()
    expect(page.locator("h1")).to_contain_text("Carmen Ruiz")
    page.goto(f"{base}/hr/me")
    expect(page.locator("#me-work")).to_have_text("Lucía Fernández")
    page.fill("#emergency_contact", f"Pablo Fernández ({size})")
    page.locator(".hr-me button[type=submit]").click()
    expect(page.locator(".flash-success")).to_contain_text("Your contact data is saved.")
    expect(page.locator("#emergency_contact")).to_have_value(f"Pablo Fernández ({size})")
    if size == "phone":
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    shot(page, f"hr-my-profile-{size}")
    page.locator("#me-work ~ p a", has_text="My team").click()
    expect(page.locator("table.records")).to_contain_text("Carmen Ruiz")  # in Ventas, under Lucía's Dirección
    shot(page, f"hr-my-team-{size}")
    page.close()


def test_the_absence_report_draws_its_chart(hr_server, browser, shot):
    page = browser.new_page(viewport=SIZES["laptop"])
    log_in(page, hr_server)
    page.goto(f"{hr_server['url']}/hr/reports?report=absence")
    expect(page.locator("figure.graph svg")).to_be_visible()
    expect(page.locator("table.report")).to_contain_text("Ventas")
    shot(page, "hr-reports-absence-laptop")
    page.close()
