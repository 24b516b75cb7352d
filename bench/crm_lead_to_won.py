"""Lead -> opportunity -> won for K leads, against the Tryton peer's scenario f in the same run.

Bottega side: a sales manager's session creates each lead (the rules for new
leads are queued as jobs, as in production), qualifies it and marks it won,
committing every --chunk leads. Tryton side: ../shared/peers/tryton's
bench_tryton.py --only f (lead -> opportunity -> sale quotation -> confirmed,
which marks the opportunity won), when its virtual environment exists.
Tryton's flow also creates a sale; ours has no sales addon yet, so the ratio
compares the CRM steps a salesperson takes, not identical work.

Also printed, per lead: the SQL statements the timed loop sent (counted by
an engine ``before_cursor_execute`` listener, so an executemany is one
statement), by kind, and the ``core_audit_log`` rows it wrote.
"""
from __future__ import annotations

import argparse
import json
import subprocess
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
from core.jobs import JobQueue, use_queue  # noqa: E402
from core.lifecycle import Lifecycle  # noqa: E402
from core.models import User  # noqa: E402
from core.models.audit import AuditLog  # noqa: E402
from core.security import actor_session, load_actor  # noqa: E402
from core.sessions import make_session_factory  # noqa: E402
from core.testing import initialized_database  # noqa: E402

# ../shared from the main checkout, ../../shared from a worktree under ../wt
TRYTON = next((folder / "shared" / "peers" / "tryton" / "bench_tryton.py" for folder in ROOT.parents
               if (folder / "shared" / "peers" / "tryton" / "bench_tryton.py").exists()), None)


@dataclass
class Result:
    per_s: float
    count: int
    statements: Counter = field(default_factory=Counter)
    audit_rows: int = 0

    def per_lead(self, value: int) -> float:
        return value / self.count


def bottega(count: int, chunk: int, folder: Path) -> Result:
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
    with use_queue(JobQueue(SqliteHuey("bench", filename=str(folder / "jobs.db"), results=False))):
        start = time.perf_counter()
        for first in range(0, count, chunk):
            session = actor_session(factory, registry, actor)
            for number in range(first, min(first + chunk, count)):
                lead = services.create_lead(session, 1, name=f"Opportunity {number}",
                                            email=f"c{number}@example.com", expected_revenue=Decimal("1000"),
                                            user_id=admin)
                services.qualify(session, lead)
                services.mark_won(session, lead)
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
    if TRYTON is None or not Path(python).exists():
        return None
    result = subprocess.run([python, str(TRYTON), "--only", "f", "-k", str(count), "--chunk", str(chunk)],
                            capture_output=True, text=True, cwd=TRYTON.parent, timeout=3600)
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            data = json.loads(line)
            if data.get("scenario") in ("f.crm", "crm") and data.get("ok", True):
                return data.get("opportunities_per_s")
    print("  Tryton run gave no scenario f figure:", result.stdout[-500:], result.stderr[-500:])
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-k", "--count", type=int, default=1000)
    parser.add_argument("--chunk", type=int, default=100)
    parser.add_argument("--tryton-python", default="/tmp/tryton-venv/bin/python")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        result = bottega(args.count, args.chunk, Path(folder))
    ours = result.per_s
    kinds = ", ".join(f"{kind} {result.per_lead(number):.1f}" for kind, number in result.statements.most_common())
    print(f"lead -> opportunity -> won, K={args.count}, chunks of {args.chunk} (SQLite)")
    print(f"  Bottega {ours:8.1f} per s")
    print(f"  per lead: {result.per_lead(sum(result.statements.values())):.1f} SQL statements ({kinds}); "
          f"{result.per_lead(result.audit_rows):.1f} audit rows")
    theirs = tryton(args.tryton_python, args.count, args.chunk)
    if theirs is None:
        print(f"  Tryton  not run (no {args.tryton_python} or no ../shared/peers/tryton/bench_tryton.py; "
              "see ../shared/peers/tryton/README.md)")
    else:
        print(f"  Tryton  {theirs:8.1f} per s   ratio {ours / theirs:5.1f}x (Bottega / Tryton)")


if __name__ == "__main__":
    main()
