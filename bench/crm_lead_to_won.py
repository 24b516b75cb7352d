"""Lead -> opportunity -> won for K leads, against the Tryton peer's scenario f in the same run.

Bottega side: a sales manager's session works per chunk of --chunk leads,
one committed transaction each, as Tryton's scenario f does: the batch
services create the chunk's leads (the rules for new leads are queued as
jobs, as in production), qualify them and mark them won, with the access
checks, record rules and audit log of the one-lead services. With
--one-by-one, a second line times the one-lead services (create_lead,
qualify, mark_won) on each lead, committing per chunk as well. Tryton side:
../shared/peers/tryton's bench_tryton.py --only f (Opportunity.create on a
list, then opportunity -> convert -> sale quote -> confirm, which marks the
opportunities won), when its virtual environment exists. Tryton's flow also
creates a sale; ours has no sales addon yet, so the ratio compares the CRM
steps a salesperson takes, not identical work.

Also printed, per lead: the SQL statements the timed loop sent (counted by
an engine ``before_cursor_execute`` listener, so an executemany is one
statement), by kind, and the ``core_audit_log`` rows it wrote.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from huey import SqliteHuey  # noqa: E402
from sqlalchemy import event, func, select  # noqa: E402

from addons.crm import services  # noqa: E402
from addons.crm.models import WON, Lead, Stage  # noqa: E402
from core.catalog import Catalog  # noqa: E402
from core.fields.cleaning import related_remembered  # noqa: E402
from core.jobs import JobQueue, use_queue  # noqa: E402
from core.lifecycle import Lifecycle  # noqa: E402
from core.models import User  # noqa: E402
from core.models.audit import AuditLog  # noqa: E402
from core.security import actor_session, load_actor  # noqa: E402
from core.sessions import make_session_factory  # noqa: E402
from core.testing import initialized_database  # noqa: E402
from tryton_peer import peer_figures  # noqa: E402



@dataclass
class Result:
    per_s: float
    count: int
    statements: Counter = field(default_factory=Counter)
    audit_rows: int = 0

    def per_lead(self, value: int) -> float:
        return value / self.count


def values(number: int, user_id: int) -> dict:
    return {"name": f"Opportunity {number}", "email": f"c{number}@example.com",
            "expected_revenue": Decimal("1000"), "user_id": user_id}


def batch_chunk(session, user_id: int, numbers: range) -> None:
    """The chunk's leads created, qualified and won by the batch services, as Tryton's list calls."""
    with related_remembered(session):  # the salesperson's id looked up once, as the import does
        rows = [services.clean_lead_values(session, values(number, user_id)) for number in numbers]
    ids = services.create_leads(session, 1, rows, source="manual")
    leads = session.scalars(select(Lead).where(Lead.id.in_(ids))).all()
    services.qualify_leads(session, leads)
    services.mark_won_leads(session, leads)


def one_by_one_chunk(session, user_id: int, numbers: range) -> None:
    for number in numbers:
        lead = services.create_lead(session, 1, **values(number, user_id))
        services.qualify(session, lead)
        services.mark_won(session, lead)


def bottega(count: int, chunk: int, folder: Path, *, one_by_one: bool = False) -> Result:
    folder = Path(tempfile.mkdtemp(dir=folder))
    url = f"sqlite:///{folder / 'bench.db'}"
    catalog = Catalog.discover()
    engine = initialized_database(url, catalog, ["crm"])
    registry = Lifecycle(engine, catalog).registry()
    factory = make_session_factory(engine)
    with factory() as system:
        for number, (name, probability) in enumerate((("New", 10), ("Proposal", 60), ("Won", 100))):
            system.add(Stage(company_id=1, name=name, sequence=number, probability=Decimal(probability),
                             is_won=name == "Won"))
        system.commit()
        admin = system.scalars(select(User.id).where(User.login == "admin")).one()
        actor = load_actor(system, registry, admin)
        audit_before = system.scalar(select(func.count()).select_from(AuditLog))
    statements: Counter = Counter()

    def counted(_connection, _cursor, statement, _parameters, _context, _executemany):
        statements[statement.lstrip().split(None, 1)[0].upper()] += 1

    event.listen(engine, "before_cursor_execute", counted)
    chunk_of = one_by_one_chunk if one_by_one else batch_chunk
    with use_queue(JobQueue(SqliteHuey("bench", filename=str(folder / "jobs.db"), results=False))):
        start = time.perf_counter()
        for first in range(0, count, chunk):
            session = actor_session(factory, registry, actor)
            chunk_of(session, admin, range(first, min(first + chunk, count)))
            session.commit()
            session.close()
        elapsed = time.perf_counter() - start
    event.remove(engine, "before_cursor_execute", counted)
    with factory() as check:
        won = check.scalar(select(Lead.id).where(Lead.state != WON).limit(1))
        assert won is None, "every opportunity must end won"
        audit_rows = check.scalar(select(func.count()).select_from(AuditLog)) - audit_before
    engine.dispose()
    return Result(count / elapsed, count, statements, audit_rows)


def tryton(python: str, count: int, chunk: int) -> float | None:
    data = peer_figures(python, ["--only", "f", "-k", str(count), "--chunk", str(chunk)], "f.crm", timeout=3600)
    return data.get("opportunities_per_s") if data is not None and data.get("ok", True) else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-k", "--count", type=int, default=1000)
    parser.add_argument("--chunk", type=int, default=100)
    parser.add_argument("--one-by-one", action="store_true",
                        help="also time the one-lead services on each lead (a second line)")
    parser.add_argument("--tryton-python", default="/tmp/tryton-venv/bin/python")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        results = {"batch services": bottega(args.count, args.chunk, Path(folder))}
        if args.one_by_one:
            results["one by one"] = bottega(args.count, args.chunk, Path(folder), one_by_one=True)
    print(f"lead -> opportunity -> won, K={args.count}, chunks of {args.chunk} (SQLite)")
    for label, result in results.items():
        kinds = ", ".join(f"{kind} {result.per_lead(number):.2f}" for kind, number in result.statements.most_common())
        print(f"  Bottega {result.per_s:8.1f} per s   ({label})")
        print(f"    per lead: {result.per_lead(sum(result.statements.values())):.2f} SQL statements ({kinds}); "
              f"{result.per_lead(result.audit_rows):.1f} audit rows")
    theirs = tryton(args.tryton_python, args.count, args.chunk)
    if theirs is None:
        print(f"  Tryton  not run (no {args.tryton_python} or no ../shared/peers/tryton/bench_tryton.py; "
              "see ../shared/peers/tryton/README.md)")
    else:
        print(f"  Tryton  {theirs:8.1f} per s")
        for label, result in results.items():
            print(f"  ratio   {result.per_s / theirs:8.1f}x  Bottega ({label}) / Tryton")


if __name__ == "__main__":
    main()
