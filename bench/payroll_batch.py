"""Compute a monthly payroll batch of N employees (the Spanish example structure plus one rule: 15 rules) and
compare it with a raw SQL insert of the same rows.

Bottega side: a payroll manager's session calls ``compute_batch`` (contracts read with their wages decrypted,
the rules' formulas evaluated over Decimal, the payslips and their lines written with core.bulk: access checks,
bounds, the flush guards and the audit log of the payslips), then commits.

Raw SQL baseline: the very payslip and payslip line rows Bottega wrote are read back and inserted again, with
new ids, with one executemany INSERT per table in one transaction (rolled back).
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from addons.hr.models import RUNNING, Contract, Employee  # noqa: E402
from addons.hr.payroll.batches import compute_batch, create_batch  # noqa: E402
from addons.hr.payroll.compute import rules_of  # noqa: E402
from addons.hr.payroll.examples import load_example  # noqa: E402
from addons.hr.payroll.models import Payslip, PayslipLine, PayrollRate  # noqa: E402
from addons.hr.payroll.rules import create_rule  # noqa: E402
from core.bulk import insert_rows  # noqa: E402
from core.catalog import Catalog  # noqa: E402
from core.lifecycle import Lifecycle  # noqa: E402
from core.models import Company, User  # noqa: E402
from core.models.user import Group as GroupRow  # noqa: E402
from core.security import actor_session, load_actor  # noqa: E402
from core.sessions import make_session_factory  # noqa: E402
from core.testing import initialized_database  # noqa: E402

COMPANY = 1
MONTH = dt.date(2026, 3, 1)


def prepare(engine, catalog, count: int):
    """``count`` employees with running contracts, the example structure with a 15th rule, a payroll manager's
    session."""
    registry = Lifecycle(engine, catalog).registry()
    factory = make_session_factory(engine)
    with factory() as system:
        ids = insert_rows(system, Employee, [{"company_id": COMPANY, "name": f"Employee {n:05d}"}
                                             for n in range(count)])
        insert_rows(system, Contract, [
            {"company_id": COMPANY, "name": f"C-{n:05d}", "employee_id": employee_id, "state": RUNNING,
             "date_start": dt.date(2025, 1, 1) if n % 10 else dt.date(2026, 3, 10),
             "wage": Decimal(1500 + (n * 37) % 3000)} for n, employee_id in enumerate(ids)])
        user = User(login="bench-payroll", name="Bench Payroll", company_id=COMPANY,
                    companies=[system.get(Company, COMPANY)],
                    groups=list(system.scalars(select(GroupRow).where(GroupRow.key == "hr.group_payroll"))))
        system.add(user)
        system.commit()
        actor = load_actor(system, registry, user.id)
    session = actor_session(factory, registry, actor)
    structure = load_example(session, COMPANY, country="ES", year=MONTH.year)
    session.add(PayrollRate(company_id=COMPANY, country_code="ES", year=MONTH.year, code="BENCH_TRANSPORT",
                            name="Transport allowance", value=Decimal("60")))
    create_rule(session, COMPANY, structure_id=structure.id, sequence=25, code="TRANSPORT",
                name="Transport allowance", category="supplement", formula='rate("BENCH_TRANSPORT") * worked_ratio')
    session.commit()
    return session, structure


def bottega(session, structure) -> tuple[float, int]:
    batch = create_batch(session, COMPANY, month=MONTH, structure_id=structure.id)
    session.commit()
    start = time.perf_counter()
    written = compute_batch(session, batch)
    session.commit()
    return time.perf_counter() - start, written


def raw_insert(engine) -> float:
    """Insert again the payslips and lines Bottega wrote (new ids), through the driver, in one transaction."""
    with engine.connect() as connection:
        tables = [model.__table__ for model in (Payslip, PayslipLine)]
        rows = {table: [dict(row._mapping) for row in connection.execute(select(table).order_by(table.c.id))]
                for table in tables}
        shift = connection.execute(select(func.max(Payslip.id))).scalar()
        line_shift = connection.execute(select(func.max(PayslipLine.id))).scalar()
        payslips = [{**row, "id": row["id"] + shift} for row in rows[tables[0]]]
        lines = [{**row, "id": row["id"] + line_shift, "payslip_id": row["payslip_id"] + shift}
                 for row in rows[tables[1]]]
        connection.rollback()
        transaction = connection.begin()
        start = time.perf_counter()
        for table, batch in ((tables[0], payslips), (tables[1], lines)):
            connection.execute(insert(table), batch)
        elapsed = time.perf_counter() - start
        transaction.rollback()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=5000, help="employees")
    parser.add_argument("--url", help="an empty database instead of a temporary SQLite file")
    args = parser.parse_args()
    catalog = Catalog.discover()
    with tempfile.TemporaryDirectory() as folder:
        engine = initialized_database(args.url or f"sqlite:///{Path(folder) / 'payroll.db'}", catalog, ["hr"])
        session, structure = prepare(engine, catalog, args.n)
        rules = len(rules_of(session, structure))
        seconds, written = bottega(session, structure)
        lines = session.scalar(select(func.count()).select_from(PayslipLine))
        assert written == args.n and lines == args.n * rules, (written, lines)
        raw = raw_insert(engine)
        print(f"{engine.dialect.name}: {written} payslips x {rules} rules ({lines} lines)")
        print(f"  bottega compute_batch: {seconds:.2f} s, {written / seconds:,.0f} payslips/s")
        print(f"  raw SQL insert of the same rows: {raw:.2f} s, {written / raw:,.0f} payslips/s")
        print(f"  ratio bottega / raw: {seconds / raw:.1f}x")
        session.close()
        engine.dispose()


if __name__ == "__main__":
    main()
