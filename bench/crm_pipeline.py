"""The CRM pipeline report over many opportunities, against the same GROUP BY in raw SQL.

The report runs through a sales manager's session (model access and record
rules applied) and returns Decimal money; the baseline is one hand-written
query sent straight to the driver. Prints the median times and their ratio.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, text  # noqa: E402

from addons.crm.models import Lead, Stage  # noqa: E402
from addons.crm.reports import pipeline_by_stage  # noqa: E402
from core.catalog import Catalog  # noqa: E402
from core.db import utcnow  # noqa: E402
from core.lifecycle import Lifecycle  # noqa: E402
from core.models import User  # noqa: E402
from core.security import actor_session, load_actor  # noqa: E402
from core.sessions import make_session_factory  # noqa: E402
from core.testing import initialized_database  # noqa: E402
from timing import median_seconds  # noqa: E402

RAW = """
SELECT s.name, count(l.id), sum(l.expected_revenue), sum(l.expected_revenue * l.probability / 100)
FROM crm_stage s JOIN crm_lead l ON l.stage_id = s.id
WHERE l.company_id IN (1) AND l.kind = 'opportunity' AND l.state = 'open'
GROUP BY s.id, s.name, s.sequence ORDER BY s.sequence, s.id
"""


def fill(engine, rows: int) -> None:
    rng = random.Random(7)
    now = utcnow()
    with engine.begin() as connection:
        stages = []
        for number, (name, probability) in enumerate((("New", 10), ("Qualified", 30), ("Proposal", 60),
                                                       ("Negotiation", 80))):
            stages.append((connection.execute(insert(Stage.__table__).values(
                company_id=1, name=name, sequence=number, probability=Decimal(probability), is_won=False)
            ).inserted_primary_key[0], Decimal(probability)))
        batch = []
        for number in range(rows):
            stage_id, probability = stages[number % len(stages)]
            batch.append({"company_id": 1, "kind": "opportunity", "name": f"Deal {number}", "state":
                          rng.choice(("open", "open", "open", "won", "lost")), "stage_id": stage_id,
                          "probability": probability, "expected_revenue": Decimal(rng.randrange(100, 1_000_000)) / 100,
                          "source": "manual", "created_at": now, "updated_at": now})
            if len(batch) == 10_000:
                connection.execute(insert(Lead.__table__), batch)
                batch = []
        if batch:
            connection.execute(insert(Lead.__table__), batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--url", help="an empty database instead of a temporary SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{Path(folder) / 'bench.db'}"
        catalog = Catalog.discover()
        engine = initialized_database(url, catalog, ["crm"])
        fill(engine, args.rows)
        registry = Lifecycle(engine, catalog).registry()
        factory = make_session_factory(engine)
        with factory() as system:
            admin_id = system.scalars(select(User.id).where(User.login == "admin")).one()
            actor = load_actor(system, registry, admin_id)
        session = actor_session(factory, registry, actor)
        report_time, report = median_seconds(lambda: pipeline_by_stage(session), args.repeat)
        with engine.connect() as connection:
            raw_time, raw = median_seconds(lambda: connection.execute(text(RAW)).all(), args.repeat)
        assert [(r.stage, r.count) for r in report] == [(name, count) for name, count, _v, _w in raw]
        for row, (_name, _count, value, weighted) in zip(report, raw):
            assert row.value == Decimal(str(value)).quantize(Decimal("0.01")), (row, value)
        print(f"pipeline report over {args.rows:,} opportunities ({engine.dialect.name}), median of {args.repeat}")
        print(f"  report {report_time * 1000:8.1f} ms   raw SQL {raw_time * 1000:8.1f} ms   "
              f"ratio {report_time / raw_time:5.2f}x")
        session.close()
        engine.dispose()


if __name__ == "__main__":
    main()
