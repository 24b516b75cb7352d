"""No page is wider than the window, on a phone (390 px) or a laptop (1366 px).

The server is ``bottega demo`` itself (every addon, demonstration data), as a
newcomer starts it. The test walks every menu entry an administrator sees, the
first record of every list and every list's "New" form, and fails naming each
page whose ``scrollWidth`` exceeds the viewport; on the phone, every list with rows shows them as cards (link
and tick box on screen) and its search bar whole (:data:`PHONE_LIST_CHECK`). Each page is also saved to
``test-artifacts/widths/<width>/`` (the gallery to look at).

The layout does not depend on the database engine, so this runs on the SQLite
pass of the suite only (the demo is SQLite).
"""
from __future__ import annotations

import os
import re

import pytest

from core.demo import DEMO_PASSWORD
from .conftest import ARTIFACTS
from .test_browser import log_in

pytestmark = pytest.mark.skipif(bool(os.environ.get("BOTTEGA_TEST_DATABASE_URL")),
                                reason="layout only: checked once, on the SQLite pass (the demo is SQLite)")

WIDTHS = (390, 1366)
MENU_LINKS = "nav a[href^='/'], header a[href^='/'], aside a[href^='/']"


def pages_of(page, base: str) -> list[str]:
    """Every menu entry reachable from the home page, with the first record and the "New" form of each list."""
    seen, todo = set(), ["/"]
    while todo:
        page.goto(base + todo.pop())
        for href in page.eval_on_selector_all(MENU_LINKS, "links => links.map(a => a.getAttribute('href'))"):
            path = href.split("?")[0]
            if path not in seen and "logout" not in path and not re.search(r"\d", path):
                seen.add(path)
                todo.append(path)
    found = set(seen)
    for path in sorted(seen):
        page.goto(base + path)
        found.update(page.eval_on_selector_all(
            "main tr[data-href], main a.button.primary[href$='/new']",
            "els => els.slice(0, 2).map(e => e.getAttribute('data-href') || e.getAttribute('href'))"))
    return sorted(found)


def test_no_page_is_wider_than_a_phone_or_a_laptop(demo, browser):
    context = browser.new_context(viewport={"width": WIDTHS[-1], "height": 800})
    page = context.new_page()
    log_in(page, {"url": demo}, "admin", DEMO_PASSWORD)
    paths = pages_of(page, demo)
    assert len(paths) > 50, paths  # the walk reached the addons' pages, not the home page alone
    too_wide, lists_with_rows = [], 0
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        gallery = ARTIFACTS / "widths" / str(width)
        gallery.mkdir(parents=True, exist_ok=True)
        for path in paths:
            response = page.goto(demo + path)
            assert response.ok, f"{path}: HTTP {response.status}"
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                too_wide.append(f"{path} is {scroll_width} px wide at {width} px")
            if width == WIDTHS[0]:
                problems = page.evaluate(PHONE_LIST_CHECK)
                too_wide += [f"{path} at {width} px: {problem}" for problem in problems["problems"]]
                lists_with_rows += problems["rows"] > 0
            name = re.sub(r"\W+", "_", path).strip("_") or "home"
            page.screenshot(path=str(gallery / f"{name}.png"))
    context.close()
    assert lists_with_rows > 20, lists_with_rows  # the lists of the demo's data were seen as cards
    assert not too_wide, "\n".join(too_wide)


#: On a phone, a list's rows are cards (its header row hidden), each with its link and its tick box on screen,
#: and nothing of the search bar (chips, filters, button) is cut off at the window's edge.
PHONE_LIST_CHECK = """() => {
  const problems = [];
  const inside = (element) => { const box = element.getBoundingClientRect();
    return box.width > 0 && box.left >= 0 && box.right <= window.innerWidth; };
  const rows = [...document.querySelectorAll("table.phone-cards tbody tr")];
  rows.slice(0, 5).forEach((row, index) => {
    if (getComputedStyle(row).display !== "grid") problems.push(`row ${index + 1} is not a card`);
    const link = row.querySelector("a");
    if (link && !inside(link)) problems.push(`the link of row ${index + 1} is off screen`);
    const tick = row.querySelector("input[type=checkbox]");
    if (tick && !inside(tick)) problems.push(`the tick box of row ${index + 1} is off screen`);
  });
  document.querySelectorAll("table.phone-cards thead th:not(.select)").forEach((th) => {
    if (th.getBoundingClientRect().width > 0) problems.push(`the column heading "${th.textContent.trim()}" shows`);
  });
  document.querySelectorAll(".searchbar > *:not([type=hidden])").forEach((part) => {
    if (!inside(part)) problems.push(`the search bar's "${(part.textContent || part.name || "").trim()}" is cut off`);
  });
  return { rows: rows.length, problems };
}"""
