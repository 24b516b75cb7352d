"""The partner list over many rows, served as in production, against a minimal Flask + SQLAlchemy app.

Fills a database with N partners (then ANALYZE), starts ``bottega serve`` on it (gunicorn, one
worker) and, beside it, ``bench/list_page_baseline.py`` under gunicorn the same way, which sends the
same SQL (the page, the capped count, the search) with nothing around it. Logs in, then for each case
sends a bounded loop of requests, one after another over loopback, and prints p50 and p95 for both
and their ratios. The deep page is page 1,000 reached by the Next link (keyset), and typed as a page
number (offset).
"""
from __future__ import annotations

import argparse
import html
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402

from addons.contacts.models import Partner  # noqa: E402
from core.catalog import Catalog  # noqa: E402
from core.db import utcnow  # noqa: E402
from core.testing import ADMIN_PASSWORD, free_port, initialized_database  # noqa: E402

CITIES = ("Madrid", "Milano", "Valencia", "Torino", "Sevilla", "Napoli", "Bilbao", "Firenze")
SEARCH = "0001"
WARM_UP = 10


def fill(engine, rows: int) -> None:
    now = utcnow()
    batch = []
    with engine.begin() as connection:
        for number in range(rows):
            batch.append({"name": f"Partner {number:07d}", "is_company": number % 3 == 0, "active": True,
                          "city": CITIES[number % len(CITIES)], "email": f"p{number}@example.com",
                          "company_id": 1, "created_at": now, "updated_at": now})
            if len(batch) == 10_000:
                connection.execute(insert(Partner.__table__), batch)
                batch = []
        if batch:
            connection.execute(insert(Partner.__table__), batch)
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))  # as autovacuum (PostgreSQL) or a maintained SQLite file has


class Client:
    """Sequential HTTP requests to one local server, carrying its cookie; gunicorn's sync workers close
    each connection, so each request connects anew (the same for both servers)."""

    def __init__(self, port: int):
        self.port, self.cookie = port, None

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, dict]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, urlencode(body) if body is not None else None, headers)
        response = connection.getresponse()
        page = response.read().decode()
        found = response.getheader("Set-Cookie")
        if found:
            self.cookie = found.split(";", 1)[0]
        connection.close()
        return response.status, page, dict(response.getheaders())

    def get(self, path: str) -> str:
        status, page, _headers = self.request("GET", path)
        if status != 200:
            raise SystemExit(f"GET {path}: HTTP {status}")
        return page

    def login(self) -> None:
        form = self.get("/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        status, _page, headers = self.request("POST", "/login", {"login": "admin", "password": ADMIN_PASSWORD,
                                                                  "csrf_token": token})
        if status != 302 or "login" in headers.get("Location", "login"):
            raise SystemExit(f"could not log in (HTTP {status})")


def start(command: list[str], port: int, env: dict, log: Path) -> subprocess.Popen:
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=log.open("w"),
                              stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health")
            connection.getresponse().read()
            return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"{' '.join(command)} did not start: see {log}\n{log.read_text()[-2000:]}")


def timings(client: Client, path: str, requests: int) -> tuple[float, float]:
    """p50 and p95 in ms of ``requests`` GETs of ``path`` (after a warm-up)."""
    for _ in range(WARM_UP):
        client.get(path)
    times = []
    for _ in range(requests):
        begin = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - begin) * 1000)
    cuts = statistics.quantiles(times, n=100)
    return cuts[49], cuts[94]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per case and server")
    parser.add_argument("--url", help="an empty database made for the run (default: a temporary SQLite file)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        url = args.url or f"sqlite:///{folder / 'bench.db'}"
        engine = initialized_database(url, Catalog.discover(), ["contacts"])
        fill(engine, args.rows)
        dialect = engine.dialect.name
        engine.dispose()
        ours, theirs = free_port(), free_port()
        config = folder / "bench.toml"
        config.write_text(f'[database]\nurl = "{url}"\n[addons]\nenabled = ["contacts"]\n'
                          f'[server]\nsecret_key = "bench-secret-bench-secret-bench"\nport = {ours}\nworkers = 1\n'
                          f'[jobs]\nsqlite_path = "{folder / "jobs.db"}"\n')
        bottega = shutil.which("bottega", path=str(Path(sys.executable).parent)) or "bottega"
        servers = [start([bottega, "--config", str(config), "serve"], ours, {}, folder / "bottega.log"),
                   start([sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{theirs}",
                          "--chdir", str(ROOT / "bench"), "list_page_baseline:app"], theirs,
                         {"BENCH_DATABASE_URL": url}, folder / "baseline.log")]
        try:
            client, baseline = Client(ours), Client(theirs)
            client.login()
            deep = args.rows // 2 // 50
            before_deep = client.get(f"/contacts/partners/?page={deep - 1}")
            following = html.unescape(re.search(r'<a href="([^"]+)" rel="next"', before_deep).group(1))
            after = re.search(r"after=(\d+)", following).group(1)
            cases = [
                ("first page", "/contacts/partners/", "/partners"),
                (f"search {SEARCH!r}", f"/contacts/partners/?q={SEARCH}", f"/partners?q={SEARCH}"),
                (f"page {deep:,} by Next", following, f"/partners?after={after}"),
                (f"page {deep:,} typed", f"/contacts/partners/?page={deep}", f"/partners?page={deep}"),
            ]
            print(f"list page over {args.rows:,} partners ({dialect}), gunicorn with 1 worker each, "
                  f"{args.requests} requests per case; times in ms")
            print(f"  {'case':<20} {'Bottega p50':>11} {'p95':>6}   {'Flask+SQLAlchemy p50':>20} {'p95':>6}   "
                  f"{'ratio p50':>9} {'p95':>5}")
            for label, ours_path, theirs_path in cases:
                mine, base = timings(client, ours_path, args.requests), timings(baseline, theirs_path, args.requests)
                print(f"  {label:<20} {mine[0]:11.1f} {mine[1]:6.1f}   {base[0]:20.1f} {base[1]:6.1f}   "
                      f"{mine[0] / base[0]:8.1f}x {mine[1] / base[1]:4.1f}x")
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)


if __name__ == "__main__":
    main()
