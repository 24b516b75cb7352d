"""Lead -> opportunity -> won for K leads, against the Tryton peer's scenario f in the same run.

Bottega side: a sales manager's session creates each lead (the rules for new
leads are queued as jobs, as in production), qualifies it and marks it won,
committing every --chunk leads. Tryton side: ../shared/peers/tryton's
bench_tryton.py --only f (lead -> opportunity -> sale quotation -> confirmed,
which marks the opportunity won), when its virtual environment exists.
Tryton's flow also creates a sale; ours has no sales addon yet, so the ratio
compares the CRM steps a salesperson takes, not identical work.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from addons.crm import services  # noqa: E402
from addons.crm.models import WON, Lead, Stage  # noqa: E402
from core.catalog import Catalog  # noqa: E402
from core.lifecycle import Lifecycle  # noqa: E402
from core.models import User  # noqa: E402
from core.security import actor_session, load_actor  # noqa: E402
from core.sessions import make_session_factory  # noqa: E402
from core.testing import initialized_database  # noqa: E402

TRYTON = ROOT.parent / "shared" / "peers" / "tryton" / "bench_tryton.py"


def bottega(count: int, chunk: int, folder: Path) -> float:
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
    start = time.perf_counter()
    for first in range(0, count, chunk):
        session = actor_session(factory, registry, actor)
        for number in range(first, min(first + chunk, count)):
            lead = services.create_lead(session, 1, name=f"Opportunity {number}", email=f"c{number}@example.com",
                                        expected_revenue=Decimal("1000"), user_id=admin)
            services.qualify(session, lead)
            services.mark_won(session, lead)
        session.commit()
        session.close()
    elapsed = time.perf_counter() - start
    with factory() as check:
        won = check.scalar(select(Lead.id).where(Lead.state != WON).limit(1))
        assert won is None, "every opportunity must end won"
    engine.dispose()
    return count / elapsed


def tryton(python: str, count: int, chunk: int) -> float | None:
    if not Path(python).exists():
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
        ours = bottega(args.count, args.chunk, Path(folder))
    print(f"lead -> opportunity -> won, K={args.count}, chunks of {args.chunk} (SQLite)")
    print(f"  Bottega {ours:8.1f} per s")
    theirs = tryton(args.tryton_python, args.count, args.chunk)
    if theirs is None:
        print(f"  Tryton  not run (no {args.tryton_python}; see ../shared/peers/tryton/README.md)")
    else:
        print(f"  Tryton  {theirs:8.1f} per s   ratio {ours / theirs:5.1f}x (Bottega / Tryton)")


if __name__ == "__main__":
    main()
