"""A user in a real browser logs a note and schedules an activity from a partner's chatter, then marks it done;
the page fits a phone's width and a desktop's."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.catalog import Catalog
from core.sessions import make_session_factory
from core.testing import initialized_database

from .conftest import bottega_run
from .test_browser import log_in


@pytest.fixture(scope="module")
def contacts_server(databases, tmp_path_factory):
    from addons.contacts.models import Partner
    from core.models import Company

    url = databases.new()
    engine = initialized_database(url, Catalog.discover(), ["contacts"])
    with make_session_factory(engine)() as session:
        company = session.scalars(select(Company).order_by(Company.id)).first().id
        partner = Partner(company_id=company, name="Rossi Ceramiche", email="info@rossi.example.it")
        session.add(partner)
        session.commit()
        partner_id = partner.id
    engine.dispose()
    with bottega_run(url, ["contacts"], tmp_path_factory.mktemp("e2e-chatter")) as base:
        yield {"url": base, "database": url, "partner": partner_id}


def test_a_note_and_an_activity_from_the_chatter(contacts_server, browser, shot):
    base = contacts_server["url"]
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(page, contacts_server)
    record = f"{base}/contacts/partners/{contacts_server['partner']}"
    page.goto(record)
    chatter = page.locator("aside.chatter")
    chatter.locator("#chatter-body").fill("Asked for <b>samples</b> <script>document.title='hacked'</script>")
    chatter.locator("#chatter-note button[type=submit]").click()
    expect(page.locator(".flash-success")).to_have_text("Note logged.")
    expect(chatter.locator(".timeline li.kind-note b")).to_have_text("samples")
    assert page.title() != "hacked"

    chatter.get_by_role("tab", name="Schedule activity").click()
    expect(chatter.locator("#chatter-activity")).to_be_visible()
    expect(chatter.locator("#chatter-note")).to_be_hidden()
    chatter.locator("#activity-kind").select_option("call")
    chatter.locator("#activity-summary").fill("Call about the samples")
    chatter.locator("#activity-due").fill("2020-01-15")
    chatter.locator("#chatter-activity button[type=submit]").click()
    expect(page.locator(".flash-success")).to_have_text("Activity scheduled.")
    planned = chatter.locator("ul.activities li", has_text="Call about the samples")
    expect(planned.locator(".badge")).to_have_text("Late")
    shot(page, "chatter-partner-1366")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(record)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "chatter-partner-390")

    planned.get_by_role("button", name="Mark done").click()
    expect(page.locator(".flash-success")).to_have_text("Activity done.")
    expect(chatter.locator("ul.activities")).to_have_count(0)
    expect(chatter.locator(".timeline li.activity-closed")).to_contain_text("Call about the samples")
