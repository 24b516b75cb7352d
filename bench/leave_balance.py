"""Leave balances of a year for N employees (1,000 then 5,000 by default) through the service, against hand-written SQL.

Fills N employees of one company, each with an allocation of two leave types and three requests (approved, to
approve, refused: the refused one is not counted), then times :func:`addons.hr.leaves.balances` through the
administrator's session (an HR officer: model access, record rules and companies apply) against the same figures
from one hand-written SELECT sent straight to the driver. Both answers are checked equal. Prints the median times per size and their ratio.

    python bench/leave_balance.py [--sizes 1000,5000] [--url postgresql+psycopg://postgres@127.0.0.1:5432/bench_hr]
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, text  # noqa: E402

from addons.hr import leaves  # noqa: E402
from addons.hr.models import Employee, LeaveAllocation, LeaveRequest, LeaveType  # noqa: E402
from core.catalog import Catalog  # noqa: E402
from core.db import utcnow  # noqa: E402
from core.lifecycle import Lifecycle  # noqa: E402
from core.models import User  # noqa: E402
from core.security import actor_session, load_actor  # noqa: E402
from core.sessions import make_session_factory  # noqa: E402
from core.testing import initialized_database  # noqa: E402
from timing import median_seconds  # noqa: E402

YEAR = 2026
RAW = """
SELECT e.id, t.id, a.days, coalesce(h.days, 0)
FROM hr_leave_allocation a
JOIN hr_employee e ON e.id = a.employee_id
JOIN hr_leave_type t ON t.id = a.leave_type_id
LEFT JOIN (SELECT employee_id, leave_type_id, sum(days) AS days FROM hr_leave
           WHERE state IN ('submitted', 'approved') AND date_from BETWEEN '2026-01-01' AND '2026-12-31'
           GROUP BY employee_id, leave_type_id) h ON h.employee_id = a.employee_id AND h.leave_type_id = a.leave_type_id
WHERE a.year = 2026 AND a.company_id = 1
ORDER BY e.name, e.id, t.name
"""
BATCH = 5_000


class Filler:
    """Adds employees with their allocations and requests up to each size in turn."""

    def __init__(self, engine):
        self.engine, self.done = engine, 0
        now = utcnow()
        with engine.begin() as connection:
            self.types = [connection.execute(insert(LeaveType.__table__).values(
                company_id=1, name=name, needs_allocation=True, approver="manager", paid=True, active=True,
                created_at=now, updated_at=now)).inserted_primary_key[0] for name in ("Vacation", "Training")]

    def fill_to(self, size: int) -> None:
        now = utcnow()
        stamps = {"company_id": 1, "created_at": now, "updated_at": now}
        with self.engine.begin() as connection:
            for start in range(self.done, size, BATCH):
                numbers = range(start, min(start + BATCH, size))
                connection.execute(insert(Employee.__table__), [
                    {**stamps, "name": f"Employee {number:06d}", "active": True} for number in numbers])
                ids = connection.scalars(select(Employee.id).where(Employee.name.in_(
                    [f"Employee {number:06d}" for number in numbers]))).all()
                connection.execute(insert(LeaveAllocation.__table__), [
                    {**stamps, "employee_id": employee, "leave_type_id": kind, "year": YEAR, "days": Decimal(22),
                     "carried_over": Decimal(0)} for employee in ids for kind in self.types])
                connection.execute(insert(LeaveRequest.__table__), [
                    {**stamps, "employee_id": employee, "leave_type_id": self.types[n % 2],
                     "date_from": dt.date(YEAR, 2 + n * 3, 2), "date_to": dt.date(YEAR, 2 + n * 3, 4),
                     "days": Decimal(3), "state": state}
                    for employee in ids for n, state in enumerate(("approved", "submitted", "refused"))])
        with self.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        self.done = size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,5000", help="employees, comma separated, ascending")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--url", help="an empty database instead of a temporary SQLite file")
    args = parser.parse_args()
    args.sizes = [int(size) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{Path(folder) / 'bench.db'}"
        catalog = Catalog.discover()
        engine = initialized_database(url, catalog, ["hr"])
        registry = Lifecycle(engine, catalog).registry()
        factory = make_session_factory(engine)
        with actor_session(factory, registry, None) as system:
            actor = load_actor(system, registry, system.scalars(select(User.id).where(User.login == "admin")).one())
        filler = Filler(engine)

        def service():
            with actor_session(factory, registry, actor) as session:
                return [(balance.employee_id, balance.leave_type_id, balance.allocated, balance.taken)
                        for balance in leaves.balances(session, YEAR)]

        print(f"leave balances of {YEAR} ({engine.dialect.name}), median of {args.repeat}")
        print(f"  {'employees':>10} {'service ms':>11} {'raw SQL ms':>11} {'ratio':>7}")
        for size in args.sizes:
            filler.fill_to(size)
            service_time, rows = median_seconds(service, args.repeat)
            with engine.connect() as connection:
                raw_time, raw = median_seconds(lambda: connection.execute(text(RAW)).all(), args.repeat)
            if [(e, t, Decimal(a), Decimal(d)) for e, t, a, d in raw] != rows or len(rows) != 2 * size:
                raise SystemExit("the service and the raw SQL disagree")
            print(f"  {size:>10,} {service_time * 1000:11.1f} {raw_time * 1000:11.1f} {service_time / raw_time:6.2f}x")
        engine.dispose()


if __name__ == "__main__":
    main()
