"""The JSON API's list endpoint over many rows, served as in production, against a minimal Flask + SQLAlchemy app.

Fills a database with N partners (then ANALYZE), starts ``bottega serve`` on it (gunicorn, one worker)
and, beside it, ``bench/api_list_baseline.py`` under gunicorn the same way, which sends the same keyset
page query and answers JSON with nothing around it. With an API key (read scope) of the administrator,
sends for each case a bounded loop of requests, one after another over loopback: the first page, and a
page deep in the list reached by following ``next_cursor``. Prints requests per second and p50/p95 for
both and their ratios.
"""
from __future__ import annotations

import argparse
import http.client
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from list_view import fill, start  # noqa: E402

from core.catalog import Catalog  # noqa: E402
from core.db import make_engine  # noqa: E402
from core.sessions import make_session_factory  # noqa: E402
from core.testing import free_port, initialized_database  # noqa: E402

WARM_UP = 10
PAGE = 50


def api_keys(url: str, count: int) -> list[str]:
    """``count`` read keys of the administrator, made by the API's own service (each case uses its own: the API
    limits each key to its rate, 600 requests a minute by default)."""
    from sqlalchemy import select

    from core.api.keys import create_key
    from core.lifecycle import Lifecycle
    from core.models import User
    from core.security import actor_session, load_actor

    engine = make_engine(url)
    registry = Lifecycle(engine, Catalog.discover()).registry()
    factory = make_session_factory(engine)
    with factory() as lookup:
        admin = lookup.scalars(select(User).where(User.login == "admin")).one()
        actor = load_actor(lookup, registry, admin.id)
    with actor_session(factory, registry, actor) as session:
        keys = [create_key(session, session.get(User, admin.id), name=f"bench {number}", scopes=["read"])[1]
                for number in range(count)]
        session.commit()
    engine.dispose()
    return keys


def get(port: int, path: str, headers: dict) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 200:
        raise SystemExit(f"GET {path}: HTTP {response.status}: {body[:300]!r}")
    return json.loads(body)


def measure(port: int, path: str, headers: dict, requests: int) -> tuple[float, float, float]:
    """Requests per second, p50 and p95 in ms of ``requests`` sequential GETs of ``path`` (after a warm-up)."""
    for _ in range(WARM_UP):
        get(port, path, headers)
    times = []
    begin = time.perf_counter()
    for _ in range(requests):
        start_one = time.perf_counter()
        page = get(port, path, headers)
        times.append((time.perf_counter() - start_one) * 1000)
    elapsed = time.perf_counter() - begin
    if len(page["data"]) != PAGE:
        raise SystemExit(f"GET {path}: {len(page['data'])} rows, {PAGE} expected")
    cuts = statistics.quantiles(times, n=100)
    return requests / elapsed, cuts[49], cuts[94]


def deep_cursor(port: int, path: str, headers: dict, pages: int, from_cursor) -> str:
    """The cursor ``pages`` pages into the list, by following ``next_cursor`` (as a client would)."""
    cursor = None
    for _ in range(pages):
        found = get(port, path + (f"?cursor={quote(str(cursor))}" if cursor is not None else ""), headers)
        cursor = found["next_cursor"]
    return from_cursor(cursor)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300,
                        help="requests per case and server (at most 580: a key's rate limit is 600 a minute)")
    parser.add_argument("--deep", type=int, default=20, help="pages followed by next_cursor for the deep case")
    parser.add_argument("--url", help="an empty database made for the run (default: a temporary SQLite file)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        url = args.url or f"sqlite:///{folder / 'bench.db'}"
        engine = initialized_database(url, Catalog.discover(), ["contacts"])
        fill(engine, args.rows)
        dialect = engine.dialect.name
        engine.dispose()
        keys = api_keys(url, 3)
        ours, theirs = free_port(), free_port()
        config = folder / "bench.toml"
        config.write_text(f'[database]\nurl = "{url}"\n[addons]\nenabled = ["contacts"]\n'
                          f'[server]\nsecret_key = "bench-secret-bench-secret-bench"\nport = {ours}\nworkers = 1\n'
                          f'[jobs]\nsqlite_path = "{folder / "jobs.db"}"\n')
        bottega = shutil.which("bottega", path=str(Path(sys.executable).parent)) or "bottega"
        servers = [start([bottega, "--config", str(config), "serve"], ours, {}, folder / "bottega.log"),
                   start([sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{theirs}",
                          "--chdir", str(ROOT / "bench"), "api_list_baseline:app"], theirs,
                         {"BENCH_DATABASE_URL": url}, folder / "baseline.log")]
        try:
            auth = [{"Authorization": f"Bearer {key}", "Accept": "application/json"} for key in keys]
            api = "/api/v1/contacts/partners"
            ours_deep = deep_cursor(ours, api, auth[2], args.deep, lambda cursor: f"{api}?cursor={quote(cursor)}")
            theirs_deep = deep_cursor(theirs, "/partners", {}, args.deep, lambda cursor: f"/partners?cursor={cursor}")
            cases = [("first page", api, "/partners"), (f"page {args.deep + 1} by cursor", ours_deep, theirs_deep)]
            print(f"API list over {args.rows:,} partners ({dialect}), pages of {PAGE} by keyset, gunicorn with 1 "
                  f"worker each, {args.requests} sequential requests per case; times in ms")
            print(f"  {'case':<20} {'Bottega req/s':>13} {'p50':>6} {'p95':>6}   {'Flask+SQLAlchemy req/s':>22} "
                  f"{'p50':>6} {'p95':>6}   {'req/s ratio':>11} {'p95 ratio':>9}")
            for (label, ours_path, theirs_path), headers in zip(cases, auth):
                mine = measure(ours, ours_path, headers, args.requests)
                base = measure(theirs, theirs_path, {}, args.requests)
                print(f"  {label:<20} {mine[0]:13.1f} {mine[1]:6.1f} {mine[2]:6.1f}   {base[0]:22.1f} {base[1]:6.1f} "
                      f"{base[2]:6.1f}   {mine[0] / base[0]:10.2f}x {mine[2] / base[2]:8.2f}x")
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)


if __name__ == "__main__":
    main()
