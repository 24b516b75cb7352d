"""Accessibility: axe-core finds no serious or critical violation on the demo's main pages, and the key
actions work from the keyboard alone.

axe-core comes from the npm registry (``.ci/run`` installs a pinned version outside the repository and sets
``BOTTEGA_AXE`` to its ``axe.min.js``). Without it the axe test is skipped with the reason, except in CI
(``BOTTEGA_E2E=1``), where a missing axe fails it. The page's Content-Security-Policy stays on: axe's source
is evaluated through the browser's debugging protocol, which the policy does not govern.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.demo import DEMO_PASSWORD

from .conftest import ARTIFACTS
from .test_browser import log_in

pytestmark = pytest.mark.skipif(bool(os.environ.get("BOTTEGA_TEST_DATABASE_URL")),
                                reason="the pages do not depend on the engine: checked on the SQLite pass (the demo)")

IMPACTS = ("serious", "critical")
#: the rules of WCAG 2.1 A and AA, and axe's best practices on landmarks and names
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}


def axe_source() -> str:
    path = os.environ.get("BOTTEGA_AXE", "")
    if path and Path(path).is_file():
        return Path(path).read_text()
    reason = (f"axe-core is not installed (BOTTEGA_AXE={path!r}): .ci/run installs it with "
              "`npm install --prefix DIR axe-core@4.11.0` and sets BOTTEGA_AXE to DIR/node_modules/axe-core/axe.min.js")
    if os.environ.get("BOTTEGA_E2E"):
        pytest.fail(reason)
    pytest.skip(reason)


def main_pages(page, base: str) -> list[str]:
    """Home, a list, a record, a form, the kanban, reports and dashboards, the addons' settings."""
    page.goto(base + "/contacts/partners/")
    record = page.locator("main tr[data-href]").first.get_attribute("data-href")
    return ["/", "/contacts/partners/", record, "/contacts/partners/new", "/crm/opportunities/kanban",
            "/crm/reports", "/accounting/invoices/", "/settings/addons", "/settings/users/", "/account"]


def violations(page, source: str) -> list[str]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    found = page.evaluate("options => axe.run(document, options).then(result => result.violations)", AXE_OPTIONS)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(str(n['target']) for n in v['nodes'][:4])}"
            for v in found if v["impact"] in IMPACTS]


def test_the_main_pages_have_no_serious_or_critical_accessibility_violations(demo, browser):
    source = axe_source()
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(demo + "/login")
    found = {"/login": violations(page, source)}
    log_in(page, {"url": demo}, "admin", DEMO_PASSWORD)
    for path in main_pages(page, demo):
        assert page.goto(demo + path).ok, path
        found[path] = violations(page, source)
    page.set_viewport_size({"width": 390, "height": 800})
    for path in ("/", "/contacts/partners/", "/crm/opportunities/kanban"):
        page.goto(demo + path)
        found[f"{path} at 390 px"] = violations(page, source)
    page.close()
    failing = {path: problems for path, problems in found.items() if problems}
    assert not failing, "\n".join(f"{path}:\n  " + "\n  ".join(problems) for path, problems in failing.items())


def tab_to(page, selector: str, limit: int = 300) -> None:
    """Press Tab until the element matching ``selector`` has the focus (it must be reachable by the keyboard)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("selector => document.activeElement?.matches(selector) || false", selector):
            return
    pytest.fail(f"{selector} is not reached with the Tab key")


def test_key_actions_work_from_the_keyboard(demo, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(page, {"url": demo}, "admin", DEMO_PASSWORD)

    # the apps menu: open it and follow an app with Enter
    tab_to(page, ".switcher > summary")
    page.keyboard.press("Enter")
    tab_to(page, ".apps-grid a[href^='/contacts']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/contacts/"))  # and its load event: the deferred palette.js listens for Ctrl+K

    # the command palette: Ctrl+K, type, arrows, Enter
    page.keyboard.press("Control+k")
    palette = page.locator("dialog.palette")
    expect(palette).to_be_visible()
    page.keyboard.type("partn")
    # the answer searches every list: on a loaded machine it may take a while
    expect(palette.locator("[role=option]").first).to_have_attribute("aria-selected", "true", timeout=60_000)
    page.keyboard.press("Escape")
    expect(palette).to_be_hidden()
    tab_to(page, "[data-palette-open]")
    page.keyboard.press("Enter")
    expect(palette).to_be_visible()
    page.keyboard.type("opportun")
    option = palette.locator("[role=option]", has_text="Opportunities")
    expect(option.first).to_be_visible(timeout=60_000)
    while palette.locator("[role=option][aria-selected=true]").inner_text() != option.first.inner_text():
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/crm/opportunities/"))

    # the kanban: a card moves to another column from its "move" list, without a mouse
    page.goto(demo + "/crm/opportunities/kanban")
    card = page.locator(".kanban-card").first
    title = card.locator("a").first.inner_text()
    target = page.locator(".kanban-column").nth(1)
    if card.evaluate("card => card.closest('.kanban-column') === document.querySelectorAll('.kanban-column')[1]"):
        target = page.locator(".kanban-column").nth(2)
    stage = target.get_attribute("data-stage")
    before = target.locator("h2 .count").inner_text()
    card_id = card.get_attribute("data-id")
    tab_to(page, f".kanban-card[data-id='{card_id}'] .kanban-move > summary")
    page.keyboard.press("Enter")
    tab_to(page, f".kanban-card[data-id='{card_id}'] .kanban-move button[data-stage='{stage}']")
    page.keyboard.press("Enter")
    expect(target.locator(".kanban-card", has_text=title)).to_be_visible()
    expect(target.locator("h2 .count")).to_have_text(str(int(before) + 1))
    page.reload()
    expect(page.locator(f".kanban-column[data-stage='{stage}'] .kanban-card", has_text=title)).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "kanban_keyboard_move.png"))
    page.close()
