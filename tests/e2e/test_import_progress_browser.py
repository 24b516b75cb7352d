"""An import in the browser: upload, preview, confirm, then the progress bar fills until the result page shows.

``bottega run`` serves the pages and ``bottega worker`` runs the import, two
processes sharing the job queue (a SQLite file) and the tasks' folder, as in
production. Screenshots of the progress and result pages at 1366 and 390 px.
"""
import os
import re
import subprocess
import sys

from playwright.sync_api import expect

from core.catalog import Catalog
from core.testing import ADMIN_PASSWORD, free_port, initialized_database
from tests.e2e.conftest import ROOT, server_process

ROWS = 20_000


def test_an_import_fills_its_progress_bar_then_shows_its_result(databases, browser, tmp_path, shot):
    url = databases.new()
    initialized_database(url, Catalog.discover(), ["contacts"]).dispose()
    config = tmp_path / "bottega.toml"
    config.write_text(f'[database]\nurl = "{url}"\n[addons]\nenabled = ["contacts"]\n'
                      '[server]\nsecret_key = "e2e-secret-key-e2e-secret-key"\n'
                      f'[jobs]\nsqlite_path = "{tmp_path / "jobs.db"}"\nfiles_path = "{tmp_path / "files"}"\n')
    data = tmp_path / "clientes.csv"
    data.write_text("Nombre;Ciudad\n" + "".join(f"Cliente {n:05d};Madrid\n" for n in range(ROWS)), encoding="utf-8")
    environment = {**os.environ, "BOTTEGA_CONFIG": str(config)}
    bottega = [sys.executable, "-c", "from core.cli import main; main()"]
    port = free_port()
    with server_process([*bottega, "run", "--host", "127.0.0.1", "--port", str(port)], port,
                        tmp_path / "server.log", env=environment) as base, \
            (tmp_path / "worker.log").open("wb") as worker_log:
        worker = subprocess.Popen([*bottega, "worker", "--workers", "1"], cwd=ROOT, env=environment,
                                  stdout=worker_log, stderr=subprocess.STDOUT)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        try:
            page.goto(base + "/login")
            page.fill("#login", "admin")
            page.fill("#password", ADMIN_PASSWORD)
            page.click("button[type=submit]")
            page.goto(base + "/contacts/partners/import")
            page.set_input_files("#file", str(data))
            page.click("text=Upload and check")
            expect(page.locator(".import-summary")).to_contain_text(f"{ROWS} lines read.", timeout=120_000)
            page.click(f"text=Import {ROWS} lines")
            expect(page).to_have_url(base + "/tasks/1")
            bar = page.locator("progress[data-task-bar]")
            expect(bar).to_be_visible()
            expect(page.locator("[data-task-text]")).not_to_have_text(re.compile(r"^0 of"), timeout=120_000)
            assert float(bar.get_attribute("value")) > 0  # the bar moved without a reload
            expect(page.locator("[data-task-label]")).to_have_text("Running")
            shot(page, "import-progress-1366")
            page.set_viewport_size({"width": 390, "height": 844})
            shot(page, "import-progress-390")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            page.set_viewport_size({"width": 1366, "height": 900})
            expect(page.locator(".task-result")).to_contain_text("Records created", timeout=300_000)
            expect(page.locator(".task-counts")).to_contain_text(f"{ROWS:,}")
            expect(page.locator(".task-result")).to_contain_text(f"Lines imported: 2–{ROWS + 1}")
            shot(page, "import-result-1366")
            page.set_viewport_size({"width": 390, "height": 844})
            shot(page, "import-result-390")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
        finally:
            page.close()  # no request of the page's poll left open while the server stops
            worker.terminate()
            worker.wait(timeout=30)
