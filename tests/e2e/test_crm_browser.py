"""A sales manager in a real browser ticks leads on the list, qualifies them, then wins them from the opportunities
list with "tick every row".

The server is ``bottega run`` on a database of its own with the CRM installed.
"""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, select

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


def _pipeline(database, names_revenues):
    """Five stages (the fixture's two and three more) and opportunities in the first, for the kanban tests."""
    from addons.crm.models import OPPORTUNITY, Lead, Stage

    engine = create_engine(database)
    with make_session_factory(engine)() as session:
        stages = session.scalars(select(Stage).order_by(Stage.sequence, Stage.id)).all()
        company = stages[0].company_id
        if len(stages) < 5:
            session.add_all([Stage(company_id=company, name=name, sequence=10 + number, probability=Decimal(50))
                             for number, name in enumerate(("Qualified", "Proposal", "Negotiation"))])
        session.add_all([Lead(company_id=company, name=name, kind=OPPORTUNITY, stage_id=stages[0].id,
                              expected_revenue=Decimal(revenue)) for name, revenue in names_revenues])
        session.commit()
        stage_ids = session.scalars(select(Stage.id).order_by(Stage.sequence, Stage.id)).all()
    engine.dispose()
    return stage_ids


def test_a_drop_updates_both_columns_totals_at_once_and_five_stages_fit_1366_px(crm_server, browser):
    base = crm_server["url"]
    new, *others = _pipeline(crm_server["database"], (("Kanban desk", "1200.10"), ("Kanban lamp", "45.05")))
    won = others[0]  # the fixture's second stage
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    log_in(page, crm_server)
    page.goto(base + "/crm/opportunities/kanban?q=Kanban")
    column = page.locator(f'.kanban-column[data-stage="{new}"]')
    target = page.locator(f'.kanban-column[data-stage="{won}"]')
    expect(column.locator("h2 .sum")).to_have_text("€1,245.15")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate("[...document.querySelectorAll('.kanban')].every(b => b.scrollWidth <= b.clientWidth)")

    page.locator(".kanban-card", has_text="Kanban desk").drag_to(target.locator(".kanban-cards"))
    expect(target.locator("h2 .sum")).to_have_text("€1,200.10")  # the server's totals for the searched board
    expect(target.locator("h2 .count")).to_have_text("1")
    expect(column.locator("h2 .sum")).to_have_text("€45.05")
    expect(column.locator("h2 .count")).to_have_text("1")
    page.close()


def test_the_pipeline_searches_like_the_list_and_a_folded_column_stays_folded(crm_server, browser):
    base = crm_server["url"]
    new, won, *_others = _pipeline(crm_server["database"], (("Folding chair", "80"), ("Folding table", "120")))
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    log_in(page, crm_server)
    page.goto(base + "/crm/opportunities/kanban")
    page.fill(".searchbar input[name=q]", "Folding")
    page.press(".searchbar input[name=q]", "Enter")
    expect(page).to_have_url(re.compile(re.escape(base + "/crm/opportunities/kanban?q=Folding&")))
    expect(page.locator(".kanban-card")).to_have_count(2)
    expect(page.locator(f'.kanban-column[data-stage="{new}"] h2 .sum')).to_have_text("€200.00")

    column = page.locator(f'.kanban-column[data-stage="{won}"]')
    column.locator(".kanban-fold").click()
    expect(column).to_have_class("kanban-column folded")
    expect(column.locator(".kanban-fold")).to_have_attribute("aria-expanded", "false")
    page.reload()
    expect(column).to_have_class("kanban-column folded")  # remembered in this browser
    expect(page.locator(f'.kanban-column[data-stage="{new}"]')).to_have_class("kanban-column")
    column.locator(".kanban-fold").click()
    page.reload()
    expect(column).to_have_class("kanban-column")
    page.close()


def test_quick_create_in_a_column_adds_the_card_and_its_totals_at_once(crm_server, browser):
    base = crm_server["url"]
    new, *_others = _pipeline(crm_server["database"], ())
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    log_in(page, crm_server)
    page.goto(base + "/crm/opportunities/kanban?q=Quick")
    column = page.locator(f'.kanban-column[data-stage="{new}"]')
    expect(column.locator("h2 .count")).to_have_text("0")
    column.locator(".kanban-quick input[name=title]").fill("Quick lamp")
    column.locator(".kanban-quick input[name=title]").press("Enter")
    expect(column.locator(".kanban-card", has_text="Quick lamp")).to_be_visible()
    expect(column.locator("h2 .count")).to_have_text("1")
    column.locator(".kanban-quick input[name=title]").fill(" ")
    column.locator(".kanban-quick button").click()
    expect(column.locator(".kanban-quick-error")).to_have_text("Type a title for the new card.")
    assert query(crm_server["database"], "SELECT kind FROM crm_lead WHERE name = 'Quick lamp'") == [("opportunity",)]
    page.close()
