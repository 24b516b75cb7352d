"""Stock on hand and valuation at a date over 10k, 100k and 1,000,000 done moves, against hand-written SQL.

The moves are written with set-based INSERT ... SELECT statements on a
system connection (no ORM): 500 products, two warehouses with a stock
location and two shelves each, a year of moves. Of every four moves two
are receipts from the supplier into one of the six held locations, one a
delivery from one of them to the customer, one an internal move between
two of them (across warehouses too). Receipts and deliveries get their
value-ledger entry (``stock_valuation_entry``, what the valuation writes),
and the quants are rebuilt from the moves, as the done path keeps them;
then ANALYZE, as after any bulk load.

Three reports then run through the Bottega services, as a stock user's
session (access, company and warehouse rules applied, Decimal quantities):

- stock on hand now, per product and location (from the quants);
- the company's valuation at a date: quantity from the moves up to it, value
  from the ledger;
- one warehouse's valuation at a date: quantity and value from its moves.

Each is also computed by one hand-written query sent straight to the
driver; the script checks that both agree, then prints the median times,
their ratio, and how each grows from one size to the next. Sizes are
reached by adding moves to the same database.
"""
from __future__ import annotations

import datetime as dt
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, text  # noqa: E402

from addons.products.models import Product, Uom  # noqa: E402
from addons.products.services import create_product  # noqa: E402
from addons.stock.models import Location  # noqa: E402
from addons.stock.reports import Scope, stock_on_hand, valuation_at  # noqa: E402
from addons.stock.security import USER  # noqa: E402
from addons.stock.services.setup import create_warehouse, stock_settings, warehouse_locations  # noqa: E402
from core.catalog import Catalog  # noqa: E402
from core.db import utcnow  # noqa: E402
from core.lifecycle import Lifecycle  # noqa: E402
from core.models import User  # noqa: E402
from core.models.company import Company  # noqa: E402
from core.models.user import Group as GroupRow  # noqa: E402
from core.security import actor_session, load_actor  # noqa: E402
from core.sessions import make_session_factory  # noqa: E402
from core.testing import initialized_database  # noqa: E402
from timing import median_seconds, sized_arguments  # noqa: E402

COMPANY = 1
PRODUCTS = 500
DAYS = 365
START = dt.date(2026, 1, 1)
HELD = "('internal', 'transit')"
CENT = Decimal("0.01")

ON_HAND_SQL = """
SELECT q.product_id, q.location_id, SUM(q.quantity), SUM(q.reserved)
FROM stock_quant q JOIN stock_location l ON l.id = q.location_id
WHERE q.company_id = :company AND l.kind IN ('internal', 'transit')
GROUP BY q.product_id, q.location_id
HAVING SUM(q.quantity) <> 0 OR SUM(q.reserved) <> 0
"""

COMPANY_VALUATION_SQL = f"""
SELECT p.id, p.code, SUM(x.quantity), SUM(x.value)
FROM (SELECT m.product_id,
             CASE WHEN d.kind IN {HELD} AND s.kind NOT IN {HELD} THEN m.product_quantity
                  WHEN s.kind IN {HELD} AND d.kind NOT IN {HELD} THEN -m.product_quantity ELSE 0 END AS quantity,
             0 AS value
      FROM stock_move m
      JOIN stock_location s ON s.id = m.source_location_id JOIN stock_location d ON d.id = m.dest_location_id
      WHERE m.company_id = :company AND m.state = 'done' AND m.date < :end
      UNION ALL
      SELECT product_id, 0, value FROM stock_valuation_entry WHERE company_id = :company AND date < :end) x
JOIN products_product p ON p.id = x.product_id
GROUP BY p.id, p.code
"""

WAREHOUSE_VALUATION_SQL = """
SELECT p.id, p.code, SUM(x.quantity), SUM(x.quantity * x.unit_cost)
FROM (SELECT m.product_id, m.unit_cost,
             CASE WHEN d.id IS NOT NULL AND s.id IS NULL THEN m.product_quantity
                  WHEN s.id IS NOT NULL AND d.id IS NULL THEN -m.product_quantity ELSE 0 END AS quantity
      FROM stock_move m
      LEFT JOIN stock_location s ON s.id = m.source_location_id AND s.warehouse_id = :warehouse
                                    AND s.kind IN ('internal', 'transit')
      LEFT JOIN stock_location d ON d.id = m.dest_location_id AND d.warehouse_id = :warehouse
                                    AND d.kind IN ('internal', 'transit')
      WHERE m.company_id = :company AND m.state = 'done' AND m.date < :end
        AND (s.id IS NOT NULL OR d.id IS NOT NULL)) x
JOIN products_product p ON p.id = x.product_id
GROUP BY p.id, p.code
"""


def stock_user_session(engine, catalog):
    """A session acting as a new stock user of company 1 (every warehouse)."""
    registry = Lifecycle(engine, catalog).registry()
    factory = make_session_factory(engine)
    with factory() as system:
        user = User(login="bench-stock", name="Bench Stock", company_id=COMPANY,
                    companies=[system.get(Company, COMPANY)],
                    groups=list(system.scalars(select(GroupRow).where(GroupRow.key == USER))))
        system.add(user)
        system.commit()
        actor = load_actor(system, registry, user.id)
    return actor_session(factory, registry, actor), factory, registry


class Filler:
    """Products, two warehouses with shelves, then moves ``[first, last)`` written set-wise."""

    def __init__(self, engine, factory, registry):
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"
        with actor_session(factory, registry, None) as system:
            for n in range(PRODUCTS):
                create_product(system, COMPANY, code=f"P{n:04d}", name=f"Product {n:04d}")
            self.held, self.warehouses = [], []
            for code, name in (("MAD", "Madrid"), ("BCN", "Barcelona")):
                warehouse = create_warehouse(system, COMPANY, code=code, name=name)
                stock = warehouse_locations(system, warehouse)[1]
                shelves = [Location(company_id=COMPANY, name=f"Shelf {n}", kind="internal", parent_id=stock.id,
                                    warehouse_id=warehouse.id) for n in (1, 2)]
                system.add_all(shelves)
                system.flush()
                self.held += [stock.id, *(shelf.id for shelf in shelves)]
                self.warehouses.append(warehouse.id)
            settings = stock_settings(system, COMPANY)
            self.supplier, self.customer = settings.supplier_location_id, settings.customer_location_id
            self.product0 = system.scalar(select(func.min(Product.id)).where(Product.code == "P0000"))
            self.uom = system.scalar(select(Uom.id).where(Uom.code == "unit"))
            system.commit()
        with engine.connect() as connection:
            self.move0 = connection.scalar(text("SELECT COALESCE(MAX(id), 0) FROM stock_move")) + 1
            self.entry0 = connection.scalar(text("SELECT COALESCE(MAX(id), 0) FROM stock_valuation_entry")) + 1
        self.now = utcnow()

    def _numbers(self):
        if self.postgres:
            return "WITH n(i) AS (SELECT generate_series(CAST(:first AS integer), CAST(:last AS integer) - 1))"
        return "WITH RECURSIVE n(i) AS (SELECT :first UNION ALL SELECT i + 1 FROM n WHERE i + 1 < :last)"

    def _date(self):
        if self.postgres:
            return (f"(CAST(:start AS timestamp) + (i % {DAYS}) * INTERVAL '1 day'"
                    " + (i % 86400) * INTERVAL '1 second')")
        return f"datetime(:start, '+' || (i % {DAYS}) || ' days', '+' || (i % 86400) || ' seconds')"

    def _held(self, index: str) -> str:
        return "CASE " + " ".join(f"WHEN ({index}) % 6 = {n} THEN {location}"
                                  for n, location in enumerate(self.held)) + " END"

    def _decimal(self, expression: str) -> str:
        return f"CAST({expression} AS numeric)" if self.postgres else f"({expression}) * 1.0"

    def fill(self, first: int, last: int) -> None:
        kind = "(i % 4)"  # 0, 1: receipt; 2: delivery; 3: internal
        quantity = self._decimal(f"CASE {kind} WHEN 2 THEN i % 3 + 1 WHEN 3 THEN 1 ELSE i % 9 + 2 END")
        cost = self._decimal(f"CASE WHEN {kind} IN (0, 1) THEN (i % 50) + 1.25 ELSE 10 END")
        source = f"CASE WHEN {kind} IN (0, 1) THEN :supplier ELSE {self._held('i / 4')} END"
        dest = f"CASE {kind} WHEN 2 THEN :customer WHEN 3 THEN {self._held('i / 4 + 1')} ELSE {self._held('i')} END"
        p = dict(first=first, last=last, start=START, company=COMPANY, now=self.now, product0=self.product0,
                 uom=self.uom, supplier=self.supplier, customer=self.customer, move0=self.move0, entry0=self.entry0)
        held = ", ".join(str(location) for location in self.held)
        statements = [
            f"""INSERT INTO stock_move (id, company_id, product_id, quantity, uom_id, product_quantity, quantity_done,
                    reserved, source_location_id, dest_location_id, state, date, unit_cost, created_at, updated_at)
                {self._numbers()}
                SELECT :move0 + i, :company, :product0 + i % {PRODUCTS}, {quantity}, :uom, {quantity}, {quantity},
                       0, {source}, {dest}, 'done', {self._date()}, {cost}, :now, :now FROM n""",
            f"""INSERT INTO stock_valuation_entry (id, company_id, product_id, move_id, date, kind, quantity,
                    unit_cost, value, created_at)
                {self._numbers()}
                SELECT :entry0 + i, :company, :product0 + i % {PRODUCTS}, :move0 + i, {self._date()},
                       CASE WHEN {kind} = 2 THEN 'out' ELSE 'in' END,
                       CASE WHEN {kind} = 2 THEN -{quantity} ELSE {quantity} END, {cost},
                       CASE WHEN {kind} = 2 THEN -{quantity} * {cost} ELSE {quantity} * {cost} END, :now
                FROM n WHERE {kind} <> 3""",
            "DELETE FROM stock_quant",
            f"""INSERT INTO stock_quant (product_id, location_id, lot_key, quantity, reserved, company_id)
                SELECT product_id, location_id, 0, SUM(quantity), 0, :company
                FROM (SELECT product_id, dest_location_id AS location_id, product_quantity AS quantity
                      FROM stock_move WHERE state = 'done' AND dest_location_id IN ({held})
                      UNION ALL
                      SELECT product_id, source_location_id, -product_quantity
                      FROM stock_move WHERE state = 'done' AND source_location_id IN ({held})) x
                GROUP BY product_id, location_id""",
        ]
        with self.engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement), p)
            if self.postgres:
                for table in ("stock_move", "stock_valuation_entry", "stock_quant"):
                    connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                            f"(SELECT MAX(id) FROM {table}))"))
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))


def _quantity(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.0001"))


def _money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def check_on_hand(report, raw) -> None:
    ours = {(row.product_id, row.location_id): (row.quantity, row.reserved) for row in report.rows}
    theirs = {(product, location): (_quantity(quantity), _quantity(reserved))
              for product, location, quantity, reserved in raw}
    assert ours == theirs, "stock on hand differs from the hand-written SQL"


def check_valuation(report, raw) -> None:
    ours = {row.product_id: (row.quantity, row.value) for row in report.rows}
    theirs = {product: (_quantity(quantity), _money(value)) for product, _code, quantity, value in raw
              if _quantity(quantity) or _money(value)}
    assert ours == theirs, "the valuation differs from the hand-written SQL"


def main() -> None:
    args = sized_arguments(__doc__, "done moves")
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{Path(folder) / 'bench.db'}"
        catalog = Catalog.discover()
        engine = initialized_database(url, catalog, ["stock"])
        session, factory, registry = stock_user_session(engine, catalog)
        filler = Filler(engine, factory, registry)
        at = START + dt.timedelta(days=300)
        end = dt.datetime.combine(at + dt.timedelta(days=1), dt.time())
        madrid = filler.warehouses[0]
        reports = (
            ("on hand", lambda: stock_on_hand(session, Scope(COMPANY), by_lot=False), ON_HAND_SQL, {},
             check_on_hand),
            ("valuation", lambda: valuation_at(session, Scope(COMPANY), at=at), COMPANY_VALUATION_SQL,
             {"end": end}, check_valuation),
            ("warehouse valuation", lambda: valuation_at(session, Scope(COMPANY, warehouse_id=madrid), at=at),
             WAREHOUSE_VALUATION_SQL, {"end": end, "warehouse": madrid}, check_valuation),
        )
        print(f"stock on hand and valuation at {at} ({engine.dialect.name}), median of {args.repeat}")
        results, done = [], 0
        for size in args.sizes:
            filler.fill(done, size)
            done = size
            with engine.connect() as connection:
                moves = connection.scalar(text("SELECT COUNT(*) FROM stock_move"))
            timings = []
            for name, service, sql, params, check in reports:
                ours, report = median_seconds(service, args.repeat)
                session.rollback()
                with engine.connect() as connection:
                    raw_time, raw = median_seconds(lambda sql=sql, params=params: connection.execute(
                        text(sql), {"company": COMPANY, **params}).all(), args.repeat)
                check(report, raw)
                timings.append((ours, raw_time))
                print(f"  {moves:>9,} moves  {name:<19} {ours * 1000:9.1f} ms  raw SQL {raw_time * 1000:9.1f} ms"
                      f"  ratio {ours / raw_time:5.2f}x  ({len(report.rows)} rows, figures agree)")
            results.append((moves, timings))
        for (before, old), (after, new) in zip(results, results[1:]):
            growth = ", ".join(f"{name} x{n[0] / o[0]:.1f} (raw x{n[1] / o[1]:.1f})"
                               for (name, *_rest), o, n in zip(reports, old, new))
            print(f"  {before:,} -> {after:,} moves (x{after / before:.0f}): {growth}")
        session.close()
        engine.dispose()


if __name__ == "__main__":
    main()
