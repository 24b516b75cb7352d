"""Importing N leads from a CSV file, against a raw SQL bulk insert of the same rows.

The import is what a user runs (`bottega import leads`, or the web page):
the file is read and every line checked (the same cleaning as the lead form),
then every lead is created through the CRM service, audited, with its
new-lead rules queued as a job, all in one transaction. The baseline sends
the same rows to the database with one executemany. Prints rows per second
and the ratio.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from huey import SqliteHuey  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from addons.crm.importing import LeadImport  # noqa: E402
from addons.crm.models import Lead  # noqa: E402
from core.catalog import Catalog  # noqa: E402
from core.db import utcnow  # noqa: E402
from core.imports import read_file, run_import  # noqa: E402
from core.jobs import JobQueue, use_queue  # noqa: E402
from core.lifecycle import Lifecycle  # noqa: E402
from core.models import User  # noqa: E402
from core.security import actor_session, load_actor  # noqa: E402
from core.sessions import make_session_factory  # noqa: E402
from core.testing import initialized_database  # noqa: E402


def csv_file(rows: int) -> bytes:
    lines = ["Subject,Name,Company,Email,Country,Revenue"]
    lines += [f"Request {n},Customer {n},Company {n} S.L.,customer{n}@example.es,ES,{n % 9000}.50"
              for n in range(rows)]
    return "\n".join(lines).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        catalog = Catalog.discover()
        engine = initialized_database(f"sqlite:///{Path(folder) / 'import.db'}", catalog, ["crm"])
        registry = Lifecycle(engine, catalog).registry()
        factory = make_session_factory(engine)
        data = csv_file(args.rows)
        queue = JobQueue(SqliteHuey("bench", filename=str(Path(folder) / "queue.db"), results=False))
        with use_queue(queue), factory() as system:
            admin = system.scalars(select(User.id).where(User.login == "admin")).one()
            actor = load_actor(system, registry, admin)
            session = actor_session(factory, registry, actor)
            start = time.perf_counter()
            report = run_import(session, LeadImport(session, 1), read_file(data, "leads.csv"))
            session.commit()
            imported = time.perf_counter() - start
            assert report.ok and report.created == args.rows, [str(i) for i in report.errors[:5]]
            session.close()

        raw_engine = initialized_database(f"sqlite:///{Path(folder) / 'raw2.db'}", catalog, ["crm"])
        now = utcnow()
        rows = [{"company_id": 1, "kind": "lead", "state": "open", "name": f"Request {n}",
                 "contact_name": f"Customer {n}", "partner_name": f"Company {n} S.L.",
                 "email": f"customer{n}@example.es", "country_code": "ES", "expected_revenue": f"{n % 9000}.50",
                 "probability": 10, "source": "import", "created_at": now, "updated_at": now}
                for n in range(args.rows)]
        start = time.perf_counter()
        with raw_engine.begin() as connection:
            connection.execute(insert(Lead.__table__), rows)
        raw = time.perf_counter() - start
        with raw_engine.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(Lead.__table__)) == args.rows
        for each in (engine, raw_engine):
            each.dispose()
    print(f"import {args.rows:,} leads from CSV (SQLite)")
    print(f"  import  {args.rows / imported:10,.0f} rows/s ({imported:6.1f} s)")
    print(f"  raw SQL {args.rows / raw:10,.0f} rows/s ({raw:6.1f} s)   ratio {imported / raw:5.1f}x slower")


if __name__ == "__main__":
    main()
