"""No page is wider than the window, on a phone (390 px) or a laptop (1366 px).

The server is ``bottega demo`` itself (every addon, demonstration data), as a
newcomer starts it. The test walks every menu entry an administrator sees, the
first record of every list and every list's "New" form, and fails naming each
page whose ``scrollWidth`` exceeds the viewport. Each page is also saved to
``test-artifacts/widths/<width>/`` (the gallery to look at).

The layout does not depend on the database engine, so this runs on the SQLite
pass of the suite only (the demo is SQLite).
"""
from __future__ import annotations

import os
import re
import sys

import pytest

from core.demo import DEMO_PASSWORD
from core.testing import free_port

from .conftest import ARTIFACTS, server_process
from .test_browser import log_in

pytestmark = pytest.mark.skipif(bool(os.environ.get("BOTTEGA_TEST_DATABASE_URL")),
                                reason="layout only: checked once, on the SQLite pass (the demo is SQLite)")

WIDTHS = (390, 1366)
MENU_LINKS = "nav a[href^='/'], header a[href^='/'], aside a[href^='/']"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    port = free_port()
    command = [sys.executable, "-c", "from core.cli import main; main()", "demo", "--port", str(port)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    with server_process(command, port, folder / "demo.log", env=env, timeout=300) as base:
        yield base


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
    too_wide = []
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
            name = re.sub(r"\W+", "_", path).strip("_") or "home"
            page.screenshot(path=str(gallery / f"{name}.png"))
    context.close()
    assert not too_wide, "\n".join(too_wide)
