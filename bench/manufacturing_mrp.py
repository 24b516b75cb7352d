"""Requirements run (MRP) over 5-level bills at growing numbers of products, against raw SQL reading the same
demands, bill lines and stock.

For each size (products, default 1,000 / 2,500 / 5,000 / 10,000) a company of its own is filled: a fifth of
the products on each of 5 levels, every product above the last level made by a bill of 3 components from the
level below (the last level is bought), 5 open demands per product (forecasts over the next 90 days, on the
first two levels: 50,000 at 10,000 products) and stock on hand for a third of the products. Then
:func:`addons.manufacturing.planning.requirements.run_requirements` runs through the administrator's session (a
manufacturing manager: model access, record rules and companies apply; each run rolled back, so each starts from
the same data) against the baseline: three hand-written SELECTs reading the company's demands, bill lines and
stock straight from the driver. Prints per size the median times, their ratio, the proposals and statements,
and how the run's time grows per doubling of the products ((t2 / t1) ** (1 / log2(n2 / n1)): 2.0 is linear).

    python bench/manufacturing_mrp.py [--sizes 1000,2500,5000,10000] [--repeat 3] [--url postgresql+psycopg://...]
"""
from __future__ import annotations

import datetime as dt
import math
import random
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert, select, text  # noqa: E402

from addons.manufacturing.models import Bom, BomLine  # noqa: E402
from addons.manufacturing.planning.models import Forecast  # noqa: E402
from addons.manufacturing.planning.requirements import run_requirements  # noqa: E402
from addons.products.models import Product, Uom  # noqa: E402
from addons.stock.models import Quant  # noqa: E402
from addons.stock.services.setup import create_warehouse, set_up_company, warehouse_locations  # noqa: E402
from core.catalog import Catalog  # noqa: E402
from core.db import utcnow  # noqa: E402
from core.lifecycle import Lifecycle  # noqa: E402
from core.models import Company, User  # noqa: E402
from core.security import actor_session, load_actor  # noqa: E402
from core.sessions import make_session_factory  # noqa: E402
from core.testing import initialized_database  # noqa: E402
from timing import median_seconds, sized_arguments  # noqa: E402

LEVELS, COMPONENTS, DEMANDS_PER_PRODUCT, HORIZON = 5, 3, 5, 90
TODAY = dt.date(2027, 1, 4)
RAW = ("SELECT product_id, date, quantity FROM manufacturing_forecast WHERE company_id = :company AND date >= :today",
       "SELECT b.product_id, l.product_id, l.quantity, l.scrap_percent, b.quantity FROM manufacturing_bom b "
       "JOIN manufacturing_bom_line l ON l.bom_id = b.id WHERE b.company_id = :company AND b.active",
       "SELECT product_id, sum(quantity), sum(reserved) FROM stock_quant WHERE company_id = :company "
       "GROUP BY product_id")


def new_company(factory, registry, size: int) -> tuple[int, int]:
    """A company with its stock set up and a warehouse, the administrator working in it; (company, location)."""
    with actor_session(factory, registry, None) as system:
        company = Company(name=f"MRP {size}")
        system.add(company)
        system.flush()
        set_up_company(system, company.id)
        warehouse = create_warehouse(system, company.id, code="MRP", name="MRP")
        location = warehouse_locations(system, warehouse)[1].id
        admin = system.scalars(select(User).where(User.login == "admin")).one()
        admin.companies.append(company)
        system.commit()
        return company.id, location


def fill(engine, company_id: int, location_id: int, size: int) -> int:
    """The products, bills, demands and stock of one size; returns the number of demands."""
    rng, now = random.Random(size), utcnow()
    stamps = {"company_id": company_id, "created_at": now, "updated_at": now}
    with engine.begin() as connection:
        unit = connection.scalar(select(Uom.id).where(Uom.code == "unit"))
        codes = [f"C{company_id}-{n:06d}" for n in range(size)]
        connection.execute(insert(Product.__table__), [
            {**stamps, "code": code, "name": code, "kind": "goods", "uom_id": unit, "list_price": Decimal(0),
             "cost": Decimal(1), "active": True} for code in codes])
        ids = connection.scalars(select(Product.id).where(Product.company_id == company_id).order_by(Product.code)).all()
        per_level = size // LEVELS
        levels = [ids[n * per_level:(n + 1) * per_level] for n in range(LEVELS)]
        made = [product for level in levels[:-1] for product in level]
        boms = dict(connection.execute(
            insert(Bom.__table__).returning(Bom.__table__.c.product_id, Bom.__table__.c.id),
            [{**stamps, "product_id": product, "kind": "normal", "quantity": Decimal(1), "uom_id": unit, "version": 1,
              "active": True} for product in made]).all())
        connection.execute(insert(BomLine.__table__), [
            {"company_id": company_id, "bom_id": boms[product], "sequence": 10 * n, "product_id": component,
             "quantity": Decimal(rng.randint(1, 4)), "uom_id": unit, "scrap_percent": Decimal(0)}
            for depth, level in enumerate(levels[:-1]) for product in level
            for n, component in enumerate(rng.sample(levels[depth + 1], COMPONENTS))])
        wanted = levels[0] + levels[1]
        demands = size * DEMANDS_PER_PRODUCT
        connection.execute(insert(Forecast.__table__), [
            {**stamps, "product_id": rng.choice(wanted), "date": TODAY + dt.timedelta(days=rng.randint(0, HORIZON)),
             "quantity": Decimal(rng.randint(1, 20))} for _ in range(demands)])
        connection.execute(insert(Quant.__table__), [
            {"company_id": company_id, "product_id": product, "location_id": location_id, "lot_id": None, "lot_key": 0,
             "quantity": Decimal(rng.randint(0, 50)), "reserved": Decimal(0)} for product in ids[::3]])
    return demands


def main() -> None:
    args = sized_arguments(__doc__, "numbers of products", sizes="1000,2500,5000,10000")
    args.repeat = args.repeat if "--repeat" in sys.argv else 3
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{Path(folder) / 'bench.db'}"
        catalog = Catalog.discover()
        engine = initialized_database(url, catalog, ["manufacturing"])
        registry = Lifecycle(engine, catalog).registry()
        factory = make_session_factory(engine)
        companies = {size: new_company(factory, registry, size) for size in args.sizes}
        demands = {size: fill(engine, *companies[size], size) for size in args.sizes}
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        with actor_session(factory, registry, None) as system:
            admin_id = system.scalars(select(User.id).where(User.login == "admin")).one()
        statements = []
        event.listen(engine, "before_cursor_execute", lambda *args: statements.append(1))
        print(f"requirements run over {LEVELS}-level bills, {DEMANDS_PER_PRODUCT} demands per product "
              f"({engine.dialect.name}), median of {args.repeat}")
        print(f"  {'products':>8} {'demands':>8} {'proposals':>9} {'run ms':>9} {'raw SQL ms':>10} {'ratio':>7} "
              f"{'statements':>10} {'growth per doubling':>20}")
        previous = None
        for size in args.sizes:
            company_id = companies[size][0]
            with actor_session(factory, registry, None) as system:
                actor = load_actor(system, registry, admin_id, [company_id])

            def run():
                statements.clear()
                with actor_session(factory, registry, actor) as session:
                    summary = run_requirements(session, company_id, today=TODAY)
                    session.rollback()
                    return summary, len(statements)

            run_time, (summary, count) = median_seconds(run, args.repeat)
            if summary.demands != demands[size]:
                raise SystemExit(f"the run read {summary.demands} demands, {demands[size]} were made")

            def raw():
                with engine.connect() as connection:
                    return [connection.execute(text(sql), {"company": company_id, "today": TODAY}).all()
                            for sql in RAW]

            raw_time, rows = median_seconds(raw, args.repeat)
            if len(rows[0]) != demands[size]:
                raise SystemExit("the raw SQL read another number of demands")
            growth = "" if previous is None else \
                f"{(run_time / previous[1]) ** (1 / math.log2(size / previous[0])):.2f}x"
            print(f"  {size:8,} {summary.demands:8,} {summary.proposals:9,} {run_time * 1000:9.0f} "
                  f"{raw_time * 1000:10.1f} {run_time / raw_time:6.1f}x {count:10} {growth:>20}")
            previous = (size, run_time)
        engine.dispose()


if __name__ == "__main__":
    main()
