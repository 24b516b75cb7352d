"""The generic list view over many partners, against the same queries in raw SQL.

Measures what a user waits for (a full request: security layer, query,
template) for the first page, a deep page, a search and a sort, and the
same count + page queries sent straight to the driver. Prints one line per
case with the median times and their ratio.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text  # noqa: E402

from addons.contacts.models import Partner  # noqa: E402
from core.catalog import Catalog  # noqa: E402
from core.config import load_config  # noqa: E402
from core.db import make_engine, utcnow  # noqa: E402
from core.lifecycle import Lifecycle  # noqa: E402
from core.sessions import make_session_factory  # noqa: E402
from core.testing import ADMIN_PASSWORD, WebClient, initialized_database  # noqa: E402
from core.web.app import WebState, build_app  # noqa: E402
from timing import median_seconds  # noqa: E402

CITIES = ("Madrid", "Milano", "Valencia", "Torino", "Sevilla", "Napoli", "Bilbao", "Firenze")


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--url", help="an empty database to use instead of a temporary SQLite file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{Path(folder) / 'bench.db'}"
        catalog = Catalog.discover()
        engine = initialized_database(url, catalog, ["contacts"])
        fill(engine, args.rows)
        config_path = Path(folder) / "bench.toml"
        config_path.write_text('[server]\nsecret_key = "bench-secret-bench-secret-bench"\n')
        app = build_app(WebState(load_config(config_path, environ={}), catalog, engine,
                                 Lifecycle(engine, catalog).registry(), make_session_factory(engine)))
        client = WebClient(app)
        client.login("admin", ADMIN_PASSWORD)
        middle = args.rows // 2 // 50
        cases = [
            ("first page", "/contacts/partners/", "", "name", 0),
            ("deep page", f"/contacts/partners/?page={middle}", "", "name", (middle - 1) * 50),
            ("search", "/contacts/partners/?q=0001", "AND (name {like} '%0001%' OR email {like} '%0001%' OR city {like} "
                                                     "'%0001%' OR vat {like} '%0001%')", "name", 0),
            ("sort by city, desc", "/contacts/partners/?sort=city&dir=desc", "", "city DESC", 0),
        ]
        print(f"list view over {args.rows:,} partners ({engine.dialect.name}), median of {args.repeat}")
        like = "ILIKE" if engine.dialect.name == "postgresql" else "LIKE"  # the view's case-insensitive match
        with engine.connect() as connection:
            for label, path, where, order, offset in cases:
                where = where.format(like=like)
                def raw():
                    connection.execute(text(f"SELECT count(id) FROM contacts_partner WHERE company_id IN (1) {where}"))
                    list(connection.execute(text(
                        f"SELECT * FROM contacts_partner WHERE company_id IN (1) {where} "
                        f"ORDER BY {order}, id LIMIT 50 OFFSET {offset}")))

                def page():
                    response = client.get(path)
                    assert response.status_code == 200, response.status_code

                view, baseline = median_seconds(page, args.repeat)[0], median_seconds(raw, args.repeat)[0]
                print(f"  {label:<20} view {view * 1000:8.1f} ms   raw SQL {baseline * 1000:8.1f} ms   "
                      f"ratio {view / baseline:5.1f}x")
        engine.dispose()


if __name__ == "__main__":
    main()
