"""A sales manager in a real browser ticks leads on the list, qualifies them, then wins them from the opportunities
list with "tick every row".

The server is ``bottega run`` on a database of its own with the CRM installed.
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.catalog import Catalog
from core.sessions import make_session_factory
from core.testing import initialized_database
from tests.lifecycle_helpers import query

from .conftest import bottega_run
from .test_browser import log_in


@pytest.fixture(scope="module")
def crm_server(databases, tmp_path_factory):
    """``url``: the server's base URL; ``database``: its database URL."""
    from addons.crm.models import Lead, Stage
    from core.models import Company

    url = databases.new()
    engine = initialized_database(url, Catalog.discover(), ["crm"])
    with make_session_factory(engine)() as session:
        company = session.scalars(select(Company).order_by(Company.id)).first().id
        session.add_all([Stage(company_id=company, name=name, sequence=number, probability=Decimal(probability),
                               is_won=name == "Won") for number, (name, probability) in enumerate((("New", 10),
                                                                                                    ("Won", 100)))])
        session.add_all([Lead(company_id=company, name=name, email=f"{name.lower()}@example.com")
                         for name in ("Alba", "Bruno", "Carla")])
        session.commit()
    engine.dispose()
    with bottega_run(url, ["contacts", "crm"], tmp_path_factory.mktemp("e2e-crm")) as base:
        yield {"url": base, "database": url}


def test_ticked_leads_are_qualified_then_all_won_from_the_lists(crm_server, browser):
    base = crm_server["url"]
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(page, crm_server)

    page.goto(base + "/crm/leads/")
    for name in ("Alba", "Carla"):
        page.locator("table.records tbody tr", has_text=name).locator("td.select").click()  # the cell, not a link
    expect(page).to_have_url(base + "/crm/leads/")  # ticking a row does not open it
    page.click("button:has-text('Qualify as opportunity')")
    expect(page.locator(".flash-success")).to_have_text("2 leads qualified as opportunities.")
    expect(page.locator("table.records tbody tr")).to_have_count(1)  # Bruno is still a lead

    page.goto(base + "/crm/opportunities/")
    page.check("input[data-select-all]")
    expect(page.locator("input[name=ids]:checked")).to_have_count(2)
    page.click("button:has-text('Won')")
    expect(page.locator(".flash-success")).to_have_text("2 marked as won.")
    assert query(crm_server["database"], "SELECT name, kind, state FROM crm_lead ORDER BY name") == [
        ("Alba", "opportunity", "won"), ("Bruno", "lead", "open"), ("Carla", "opportunity", "won")]
    page.close()
