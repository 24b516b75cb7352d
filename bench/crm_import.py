"""Importing N leads (or, with ``--kind contacts``, partners) from a CSV file, against a raw SQL bulk insert of
the same rows.

The import is what a user runs (`bottega import leads`, or the web page):
the file is streamed and every line checked (the same cleaning as the lead
form), then each chunk of leads is created set-wise through the CRM service,
audited, with a "Lead created" message and the new-lead rules queued as jobs,
all in one transaction. Partners the same way, through the contacts service
(checked as the partner form, audited, matched by email and name). The
baseline sends the same rows to the database with one executemany, twice:
as the import stores them, with each line's hash (indexed: what makes a
re-run create nothing twice), and without it (the baseline of the first
runs). Prints rows per second and the ratios, then what the
issue asks to try: the same file again (nothing created), the file with one
bad line at the end (refused whole, nothing stored), and the peak memory
of importing 20,000 and N rows, which should stay flat: each in a process of
its own, the peak resident size during the import (Linux: the peak is reset
just before it through /proc/self/clear_refs, then read as VmHWM).
"""
from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from huey import SqliteHuey  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from addons.contacts.importing import PartnerImport  # noqa: E402
from addons.contacts.models import Partner  # noqa: E402
from addons.crm.importing import LeadImport  # noqa: E402
from addons.crm.models import Lead  # noqa: E402
from core.catalog import Catalog  # noqa: E402
from core.db import utcnow  # noqa: E402
from core.imports import read_file, run_import  # noqa: E402
from core.imports.engine import CHUNK  # noqa: E402
from core.jobs import JobQueue, use_queue  # noqa: E402
from core.lifecycle import Lifecycle  # noqa: E402
from core.models import User  # noqa: E402
from core.security import actor_session, load_actor  # noqa: E402
from core.sessions import make_session_factory  # noqa: E402
from core.testing import initialized_database  # noqa: E402

MEMORY_SIZES = (20_000, 100_000)


def csv_file(rows: int, bad_last: bool = False, kind: str = "leads") -> bytes:
    if kind == "leads":
        lines = ["Subject,Name,Company,Email,Country,Revenue"]
        lines += [f"Request {n},Customer {n},Company {n} S.L.,customer{n}@example.es,ES,{n % 9000}.50"
                  for n in range(rows)]
    else:
        lines = ["Name,Email,Phone,Street,City,Country"]
        lines += [f"Customer {n},customer{n}@example.es,+34 600 {n:06d},Calle Mayor {n % 300},Madrid,ES"
                  for n in range(rows)]
    if bad_last:
        lines[-1] = lines[-1].replace("@example.es", "(at)example.es")
    return "\n".join(lines).encode()


def raw_rows(rows: int, kind: str, hashed: bool) -> list[dict]:
    """The rows the import of ``csv_file(rows, kind=kind)`` stores, as the baseline inserts them: with ``hashed``,
    each with a line hash as the import stores it (the index that makes a re-run create nothing twice)."""
    now = utcnow()
    if kind == "leads":
        found = [{"company_id": 1, "kind": "lead", "state": "open", "name": f"Request {n}",
                  "contact_name": f"Customer {n}", "partner_name": f"Company {n} S.L.",
                  "email": f"customer{n}@example.es", "country_code": "ES", "expected_revenue": f"{n % 9000}.50",
                  "probability": 10, "source": "import", "created_at": now, "updated_at": now}
                 for n in range(rows)]
    else:
        found = [{"company_id": 1, "name": f"Customer {n}", "email": f"customer{n}@example.es",
                  "phone": f"+34 600 {n:06d}", "street": f"Calle Mayor {n % 300}", "city": "Madrid",
                  "country_code": "ES", "is_company": False, "active": True, "created_at": now, "updated_at": now}
                 for n in range(rows)]
    if hashed:
        for n, row in enumerate(found):
            row["import_hash"] = hashlib.sha256(f"{kind} {n}".encode()).hexdigest()
    return found


#: what each kind imports: the addon to install, the import, the model
KINDS = {"leads": ("crm", LeadImport, Lead), "contacts": ("contacts", PartnerImport, Partner)}


class Clock:
    """Wall and CPU seconds of a block: on a machine shared with other work the CPU time (SQLite runs in the
    process) is the steadier figure."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:6.1f} s, CPU {self.cpu:6.1f} s"


class Installation:
    """A fresh SQLite database with the addon of ``kind``, and an administrator's session on it."""

    def __init__(self, folder: Path, name: str, catalog: Catalog, kind: str = "leads"):
        addon, self.spec, self.model = KINDS[kind]
        self.engine = initialized_database(f"sqlite:///{folder / name}.db", catalog, [addon])
        self.registry = Lifecycle(self.engine, catalog).registry()
        self.factory = make_session_factory(self.engine)
        with self.factory() as system:
            admin = system.scalars(select(User.id).where(User.login == "admin")).one()
            self.actor = load_actor(system, self.registry, admin)

    def run(self, data: bytes):
        """Import ``data``; commit when it is accepted. Returns the seconds taken and the report."""
        session = actor_session(self.factory, self.registry, self.actor)
        with session, Clock() as clock:
            report = run_import(session, self.spec(session, 1), read_file(data, "import.csv"))
            if report.committed:
                session.commit()
            else:
                session.rollback()
        return clock, report

    def count(self) -> int:
        with self.factory() as system:
            return system.scalar(select(func.count(self.model.id)))


def resident(field: str) -> float:
    """A size of this process from /proc/self/status, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def measure_memory(rows: int, kind: str) -> None:
    """In a process of its own: print the resident MB before importing ``rows`` lines and the peak during it."""
    with tempfile.TemporaryDirectory() as folder:
        catalog = Catalog.discover()
        queue = JobQueue(SqliteHuey("bench", filename=str(Path(folder) / "queue.db"), results=False))
        with use_queue(queue):
            installation = Installation(Path(folder), "memory", catalog, kind)
            data = csv_file(rows, kind=kind)
            Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from here
            before = resident("VmRSS")
            _seconds, report = installation.run(data)
            assert report.created == rows, [str(i) for i in report.errors[:5]]
            print(f"{before:.1f} {resident('VmHWM'):.1f}")


def peak_memory(rows: int, kind: str) -> tuple[float, float]:
    output = subprocess.run([sys.executable, __file__, "--memory-of", str(rows), "--kind", kind], check=True,
                            capture_output=True, text=True).stdout.split()
    return float(output[0]), float(output[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--kind", choices=sorted(KINDS), default="leads", help="what to import (default: leads)")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory runs")
    parser.add_argument("--memory-of", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_of:
        return measure_memory(args.memory_of, args.kind)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        catalog = Catalog.discover()
        queue = JobQueue(SqliteHuey("bench", filename=str(folder / "queue.db"), results=False))
        with use_queue(queue):
            kind = args.kind
            warm = Installation(folder, "warm-up", catalog, kind)  # the first import's one-off costs (imports, caches)
            warm.run(csv_file(CHUNK, kind=kind))
            warm.engine.dispose()
            main_db = Installation(folder, "import", catalog, kind)
            data = csv_file(args.rows, kind=kind)
            imported, report = main_db.run(data)
            assert report.committed and report.created == args.rows, [str(i) for i in report.errors[:5]]
            again, rerun = main_db.run(data)
            assert rerun.committed and rerun.created == 0 and rerun.existing == args.rows
            assert main_db.count() == args.rows
            bad_db = Installation(folder, "bad", catalog, kind)
            refused, bad = bad_db.run(csv_file(args.rows, bad_last=True, kind=kind))
            assert not bad.ok and bad.errors[0].line == args.rows + 1 and bad_db.count() == 0
            for each in (main_db, bad_db):
                each.engine.dispose()

        raws = {}
        for hashed in (True, False):  # the rows as the import stores them (with each line's hash), and without it
            raw_engine = initialized_database(f"sqlite:///{folder / f'raw-{hashed}.db'}", catalog, [KINDS[kind][0]])
            rows = raw_rows(args.rows, kind, hashed)
            table = KINDS[kind][2].__table__
            with Clock() as raws[hashed], raw_engine.begin() as connection:
                connection.execute(insert(table), rows)
            with raw_engine.connect() as connection:
                assert connection.scalar(select(func.count()).select_from(table)) == args.rows
            raw_engine.dispose()
    peaks = {} if args.no_memory else {rows: peak_memory(rows, kind) for rows in sorted({*MEMORY_SIZES, args.rows})}
    print(f"import {args.rows:,} {kind} from CSV (SQLite)")
    print(f"  import  {args.rows / imported.wall:10,.0f} rows/s ({imported})")
    for hashed, label in ((True, "the rows as stored, with the line hash"), (False, "without the line hash")):
        raw = raws[hashed]
        print(f"  raw SQL {args.rows / raw.wall:10,.0f} rows/s ({raw}), {label}: import "
              f"{imported.wall / raw.wall:5.1f}x slower (CPU time: {imported.cpu / raw.cpu:5.1f}x)")
    print(f"  the same file again: {again}, {rerun.existing:,} lines already there, 0 created")
    print(f"  one bad line at the end (line {bad.errors[0].line:,}): refused whole in {refused}, nothing stored")
    for size, (before, after) in peaks.items():
        print(f"  importing {size:>7,} rows: peak resident {after:6.1f} MB, {after - before:5.1f} MB above "
              f"the {before:.1f} MB before it (the file's own bytes included)")


if __name__ == "__main__":
    main()
