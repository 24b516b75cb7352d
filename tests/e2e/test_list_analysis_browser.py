"""A user builds a filter, groups the list, then opens the pivot and the graph, in a real browser at laptop and
phone widths (the alpha test addon's items: a name, a stage, an owner)."""
import pytest
from playwright.sync_api import expect

from tests.lifecycle_helpers import execute

from .test_browser import log_in

ITEMS = (("Paint the shop", "new"), ("Paint the door", "doing"), ("Fix the roof", "doing"), ("Paint the gate", "done"))


@pytest.fixture(scope="module")
def items(server):
    for name, stage in ITEMS:
        execute(server["database"], "INSERT INTO alpha_item (name, company_id, stage, user_id) "
                                    "VALUES (:name, 1, :stage, 1)", name=name, stage=stage)
    return server


@pytest.mark.parametrize("width", (1366, 390))
def test_build_a_filter_group_and_open_the_pivot_and_the_graph(items, browser, shot, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    log_in(page, items)
    page.goto(items["url"] + "/alpha/items/")

    page.click(".filter-builder summary")
    page.select_option("[data-filter-field]", "name")
    expect(page.locator("[data-filter-operator] option[value=lt]")).to_be_hidden()  # not for text
    page.select_option("[data-filter-operator]", "contains")
    page.fill("[data-filter-value]", "Paint")
    page.click(".filter-form button[type=submit]")
    expect(page.locator(".filter-chip")).to_have_text("Name contains Paint ×")
    expect(page.locator("table.records tbody tr")).to_have_count(3)

    page.select_option(".group-form select[name=group]", "stage")
    groups = page.locator("table.groups tbody tr")
    expect(groups).to_have_count(3)
    expect(groups.nth(1)).to_contain_text("Doing")
    expect(groups.nth(1).locator("td.number")).to_have_text("1")  # "Fix the roof" is filtered out
    shot(page, f"analysis-grouped-{width}")
    groups.nth(1).locator("a").click()
    expect(page.locator("table.records tbody tr")).to_have_count(1)
    expect(page.locator("table.records tbody")).to_contain_text("Paint the door")

    page.go_back()
    page.click(".view-switcher a:has-text('Pivot')")
    expect(page.locator("table.pivot tfoot")).to_contain_text("3")
    expect(page.locator(".filter-chip")).to_have_count(1)  # the same search
    shot(page, f"analysis-pivot-{width}")

    page.click(".view-switcher a:has-text('Graph')")
    expect(page.locator("figure.graph svg rect")).to_have_count(3)
    page.select_option(".measure-form select[name=chart]", "pie")
    expect(page.locator("figure.graph svg path")).to_have_count(3)
    expect(page.locator(".graph-legend li")).to_have_count(3)
    shot(page, f"analysis-graph-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.close()
