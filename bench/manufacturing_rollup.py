"""Cost roll-up of a 5-level bill of materials with 1,000 components, through the service, against raw SQL.

Fills one tree of bills: the top product's bill has 4 sub-assemblies, each of theirs 4 more, down to level 4
(4 + 16 + 64 + 256 component lines); each of the 256 level-4 assemblies has 2 or 3 bought parts (660 lines):
1,000 component lines on 5 levels, 2 of each per bill, 10% scrap on the bought parts, one operation per bill
at one of two work centres. Then times :func:`addons.manufacturing.services.costing.rollup_cost` (which
explodes the bill level by level: bills valid on the day, their lines with their units, their operations)
through the administrator's session (a manufacturing manager: model access, record rules and companies apply)
against one hand-written recursive CTE computing the same two sums (materials, operations), sent straight to
the driver (it ignores units, which are all the same here, and validity dates, which are all open). Both
answers are checked equal to the cent. Prints the median times, their ratio and the service's statement count.

    python bench/manufacturing_rollup.py [--repeat 5] [--url postgresql+psycopg://postgres@127.0.0.1:5432/bench_mfg]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert, select, text  # noqa: E402

from addons.manufacturing.models import Bom, BomLine, BomOperation, WorkCentre  # noqa: E402
from addons.manufacturing.services.costing import rollup_cost  # noqa: E402
from addons.products.models import Product, Uom  # noqa: E402
from core.catalog import Catalog  # noqa: E402
from core.db import utcnow  # noqa: E402
from core.lifecycle import Lifecycle  # noqa: E402
from core.models import User  # noqa: E402
from core.security import actor_session, load_actor  # noqa: E402
from core.sessions import make_session_factory  # noqa: E402
from core.testing import initialized_database  # noqa: E402
from timing import median_seconds  # noqa: E402

LEVELS, BRANCHING, COMPONENTS = 5, 4, 1_000
QUANTITY = Decimal(3)
RAW = """
WITH RECURSIVE tree(product_id, qty) AS (
    SELECT CAST(:top AS INTEGER), CAST(:quantity AS NUMERIC)
    UNION ALL
    SELECT l.product_id, tree.qty * l.quantity * (100.0 + l.scrap_percent) / 100.0 / b.quantity
    FROM tree JOIN manufacturing_bom b ON b.product_id = tree.product_id AND b.active
    JOIN manufacturing_bom_line l ON l.bom_id = b.id
),
materials AS (
    SELECT sum(t.qty * p.cost) AS total FROM tree t JOIN products_product p ON p.id = t.product_id
    WHERE NOT EXISTS (SELECT 1 FROM manufacturing_bom b WHERE b.product_id = t.product_id AND b.active)
),
operations AS (
    SELECT sum((t.qty * o.minutes / b.quantity + w.setup_minutes) * w.hourly_cost / 60.0) AS total
    FROM tree t JOIN manufacturing_bom b ON b.product_id = t.product_id AND b.active
    JOIN manufacturing_bom_operation o ON o.bom_id = b.id
    JOIN manufacturing_workcentre w ON w.id = o.workcentre_id
)
SELECT materials.total, operations.total FROM materials, operations
"""


def fill(engine) -> int:
    """The tree of bills; returns the top product's id."""
    now = utcnow()
    stamps = {"company_id": 1, "created_at": now, "updated_at": now}
    with engine.begin() as connection:
        unit = connection.scalar(select(Uom.id).where(Uom.code == "unit"))
        centres = [connection.execute(insert(WorkCentre.__table__).values(
            **stamps, code=code, name=code, capacity_hours=Decimal(8), hourly_cost=cost, setup_minutes=Decimal(10),
            active=True)).inserted_primary_key[0] for code, cost in (("LATHE", Decimal(42)), ("BENCH", Decimal(30)))]
        counter = iter(range(10**6))

        def products(count: int, cost: Decimal) -> list[int]:
            codes = [f"P{next(counter):06d}" for _ in range(count)]
            connection.execute(insert(Product.__table__), [
                {**stamps, "code": code, "name": code, "kind": "goods", "uom_id": unit, "list_price": Decimal(0),
                 "cost": cost, "active": True} for code in codes])
            return connection.scalars(select(Product.id).where(Product.code.in_(codes)).order_by(Product.code)).all()

        top = products(1, Decimal(0))[0]
        level, lines = [top], []
        for depth in range(1, LEVELS + 1):
            if depth < LEVELS:
                children = products(len(level) * BRANCHING, Decimal(0))
                parts = {parent: children[i * BRANCHING:(i + 1) * BRANCHING] for i, parent in enumerate(level)}
            else:
                extra = COMPONENTS - len(lines) - 2 * len(level)
                counts = [3 if i < extra else 2 for i in range(len(level))]
                children = products(sum(counts), Decimal("1.25"))
                spans = [sum(counts[:i]) for i in range(len(level) + 1)]
                parts = {parent: children[spans[i]:spans[i + 1]] for i, parent in enumerate(level)}
            bills = Bom.__table__
            bom_ids = connection.execute(insert(bills).returning(bills.c.id, bills.c.product_id),
                                         [{**stamps, "product_id": parent, "kind": "normal", "quantity": Decimal(1),
                                           "uom_id": unit, "version": 1, "active": True} for parent in level]).all()
            boms = {product_id: bom_id for bom_id, product_id in bom_ids}
            scrap = Decimal(10) if depth == LEVELS else Decimal(0)
            lines += [{"company_id": 1, "bom_id": boms[parent], "sequence": 10, "product_id": child,
                       "quantity": Decimal(2), "uom_id": unit, "scrap_percent": scrap}
                      for parent in level for child in parts[parent]]
            connection.execute(insert(BomOperation.__table__), [
                {"company_id": 1, "bom_id": boms[parent], "sequence": 10, "name": "Assemble",
                 "workcentre_id": centres[depth % 2], "minutes": Decimal(12)} for parent in level])
            level = children
        connection.execute(insert(BomLine.__table__), lines)
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    return top


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--url", help="an empty database instead of a temporary SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{Path(folder) / 'bench.db'}"
        catalog = Catalog.discover()
        engine = initialized_database(url, catalog, ["manufacturing"])
        registry = Lifecycle(engine, catalog).registry()
        factory = make_session_factory(engine)
        with actor_session(factory, registry, None) as system:
            actor = load_actor(system, registry, system.scalars(select(User.id).where(User.login == "admin")).one())
        top = fill(engine)
        statements = []
        event.listen(engine, "before_cursor_execute", lambda *args: statements.append(1))

        def service():
            statements.clear()
            with actor_session(factory, registry, actor) as session:
                rollup = rollup_cost(session, session.get(Product, top), QUANTITY)
                return rollup.materials, rollup.operations, len(statements)

        service_time, (materials, operations, count) = median_seconds(service, args.repeat)
        with engine.connect() as connection:
            raw_time, raw = median_seconds(
                lambda: connection.execute(text(RAW), {"top": top, "quantity": str(QUANTITY)}).one(), args.repeat)
        cent = Decimal("0.01")
        if (Decimal(str(raw[0])).quantize(cent), Decimal(str(raw[1])).quantize(cent)) != (
                materials.quantize(cent), operations.quantize(cent)):
            raise SystemExit(f"the service and the raw SQL disagree: {materials}, {operations} against {raw}")
        print(f"cost roll-up of a {LEVELS}-level bill with {COMPONENTS:,} components ({engine.dialect.name}), "
              f"median of {args.repeat}")
        print(f"  materials {materials:.2f}, operations {operations:.2f} (both ways)")
        print(f"  {'service ms':>11} {'raw SQL ms':>11} {'ratio':>7} {'statements':>11}")
        print(f"  {service_time * 1000:11.1f} {raw_time * 1000:11.1f} {service_time / raw_time:6.2f}x {count:>11}")
        engine.dispose()


if __name__ == "__main__":
    main()
