"""Stock valuation: M receipts then M deliveries of one product, FIFO and moving average, against a raw SQL insert
of the same move rows and the Tryton peer's scenario e, in the same run; then a back-dated receipt.

Bottega side (SQLite in a temporary folder, stock installed alone): the
administrator's session works per chunk of --chunk moves, one committed
transaction each, as scenario e does: ``create_moves`` then ``done`` (which
reserves, moves the quants and values the batch: FIFO layers or the average).
Receipts come at the varying unit costs of scenario e (1 to 5 units at 10.00 to
32.99), deliveries take 1 to 4 units, each chunk dated a minute after the
previous one. Printed per method: moves per second over the 2M moves, the
time per move of the first and last tenth of each phase, wall clock and CPU of
this process (flat: no re-reading of the layers or the history; the CPU time
is the one to read on a machine others load), the share of it spent valuing, and the cost of
goods sold against an independent computation.

Baseline: the same 2M rows (done, dated, with their unit cost) inserted
into ``stock_move`` with one executemany per chunk and a commit, no checks.

Back-dated: a receipt dated before the last --later moves of the FIFO and
average runs (100,000 when M is 100,000; all of them below), done as usual:
the time to re-value everything after it.

Tryton: ../shared/peers/tryton/bench_tryton.py --only e with the same M,
chunk and methods, right after Bottega's runs at that M, when its virtual
environment exists (--tryton-max bounds the M it is run at, as it slows down
with the history; its install and setup are not counted). Printed: its moves
per second, the ratio, its ms per move in its first and last chunk.

--methods runs one method alone (the M = 100,000 runs take hours: one process
each).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

import addons.stock.services.moves as move_services  # noqa: E402
from addons.products.models import Product  # noqa: E402
from addons.products.services import create_product  # noqa: E402
from addons.stock.models import ProductStock, StockMove, ValuationEntry  # noqa: E402
from addons.stock.models.moves import DONE  # noqa: E402
from addons.stock.services.setup import create_warehouse, stock_settings, warehouse_locations  # noqa: E402
from core.catalog import Catalog  # noqa: E402
from core.lifecycle import Lifecycle  # noqa: E402
from core.models import User  # noqa: E402
from core.security import actor_session, load_actor  # noqa: E402
from core.sessions import make_session_factory  # noqa: E402
from core.testing import initialized_database  # noqa: E402

TRYTON = next((folder / "shared" / "peers" / "tryton" / "bench_tryton.py" for folder in ROOT.parents
               if (folder / "shared" / "peers" / "tryton" / "bench_tryton.py").exists()), None)
START = dt.datetime(2026, 1, 1)


def receipt_spec(i: int) -> tuple[Decimal, Decimal]:
    """Scenario e's receipts: quantity and unit cost of the i-th."""
    return Decimal(1 + i % 5), Decimal(10 + (i * 37) % 23) + Decimal((i * 11) % 100) / 100


def shipment_quantity(j: int) -> Decimal:
    return Decimal(1 + j % 4)


def expected_cogs(m: int, method: str) -> Decimal:
    """The cost of the M deliveries, computed here from the specs alone (exact decimals)."""
    receipts = [receipt_spec(i) for i in range(m)]
    if method == "fifo":
        queue, cogs = deque([quantity, cost] for quantity, cost in receipts), Decimal(0)
        for j in range(m):
            wanted = shipment_quantity(j)
            while wanted:
                layer = queue[0]
                taken = min(wanted, layer[0])
                cogs += taken * layer[1]
                layer[0] -= taken
                wanted -= taken
                if not layer[0]:
                    queue.popleft()
        return cogs
    quantity = sum(q for q, _c in receipts)
    value = sum(q * c for q, c in receipts)
    delivered = sum(shipment_quantity(j) for j in range(m))
    return value / quantity * delivered


@dataclass
class Run:
    method: str
    m: int
    seconds: float = 0.0
    valuing: float = 0.0
    per_move: dict = field(default_factory=dict)
    cogs: Decimal = Decimal(0)
    backdated: tuple = ()


class Shop:
    def __init__(self, folder: Path, name: str):
        url = f"sqlite:///{folder / f'{name}.db'}"
        catalog = Catalog.discover()
        self.engine = initialized_database(url, catalog, ["stock"])
        self.registry = Lifecycle(self.engine, catalog).registry()
        self.factory = make_session_factory(self.engine)
        with actor_session(self.factory, self.registry, None) as system:
            warehouse = create_warehouse(system, 1, code="WH", name="Warehouse")
            self.stock = warehouse_locations(system, warehouse)[1].id
            settings = stock_settings(system, 1)
            self.supplier, self.customer = settings.supplier_location_id, settings.customer_location_id
            admin = system.scalars(select(User.id).where(User.login == "admin")).one()
            self.actor = load_actor(system, self.registry, admin)
            system.commit()

    def product(self, method: str, code: str) -> int:
        with actor_session(self.factory, self.registry, None) as system:
            product = create_product(system, 1, code=code, name=f"Valued by {method}")
            system.add(ProductStock(product_id=product.id, valuation_method=method))
            system.commit()
            return product.id

    def session(self):
        return actor_session(self.factory, self.registry, self.actor)


def timed_valuation(totals: list) -> None:
    """Count the time ``done`` spends valuing."""
    original = move_services.value_done_moves

    def timed(session, moves):
        start = time.perf_counter()
        try:
            return original(session, moves)
        finally:
            totals[0] += time.perf_counter() - start

    move_services.value_done_moves = timed


def bottega(shop: Shop, method: str, m: int, chunk: int, later: int, valuing: list) -> Run:
    product_id, run = shop.product(method, method.upper()), Run(method, m)
    chunks = [range(first, min(first + chunk, m)) for first in range(0, m, chunk)]
    stamp = START
    for phase, source, dest in (("receive", shop.supplier, shop.stock), ("ship", shop.stock, shop.customer)):
        times, cpu = [], []
        valuing[0] = 0.0
        for numbers in chunks:
            lines = [{"product_id": product_id, "source_location_id": source, "dest_location_id": dest,
                      **({"quantity": receipt_spec(i)[0], "unit_cost": receipt_spec(i)[1]} if phase == "receive"
                         else {"quantity": shipment_quantity(i)})} for i in numbers]
            stamp += dt.timedelta(minutes=1)
            start, start_cpu = time.perf_counter(), time.process_time()
            session = shop.session()
            ids = move_services.create_moves(session, 1, lines)
            move_services.done(session, session.scalars(select(StockMove).where(StockMove.id.in_(ids))).all(),
                               date=stamp)
            session.commit()
            session.close()
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        tenth = max(1, len(times) // 10)
        run.per_move[phase] = tuple(sum(spent[part]) / sum(map(len, chunks[part])) * 1e3 for spent in (times, cpu)
                                    for part in (slice(None, tenth), slice(-tenth, None)))
        run.seconds += sum(times)
        run.valuing += valuing[0]
    with shop.factory() as check:
        run.cogs = -check.scalar(select(func.sum(ValuationEntry.value)).where(
            ValuationEntry.product_id == product_id, ValuationEntry.kind == "out"))
        dates = check.scalars(select(StockMove.date).where(StockMove.product_id == product_id)
                              .order_by(StockMove.date.desc(), StockMove.id.desc()).limit(later)).all()
    before = dates[-1] - dt.timedelta(seconds=1)
    session = shop.session()
    start = time.perf_counter()
    (receipt,) = move_services.create_moves(session, 1, [{
        "product_id": product_id, "quantity": Decimal(3), "unit_cost": Decimal("1.00"),
        "source_location_id": shop.supplier, "dest_location_id": shop.stock}])
    move_services.done(session, [session.get(StockMove, receipt)], date=before)
    session.commit()
    run.backdated = (len(dates), time.perf_counter() - start)
    session.close()
    return run


def raw_insert(shop: Shop, m: int, chunk: int) -> float:
    """The same 2M move rows inserted with one executemany per chunk, committed per chunk: moves per second."""
    product_id, table = shop.product("fifo", "RAW"), StockMove.__table__
    with shop.factory() as system:
        unit = system.get(Product, product_id).uom_id
    stamp, now = START, dt.datetime(2026, 1, 1)
    start = time.perf_counter()
    for phase, source, dest in (("receive", shop.supplier, shop.stock), ("ship", shop.stock, shop.customer)):
        for first in range(0, m, chunk):
            stamp += dt.timedelta(minutes=1)
            rows = []
            for i in range(first, min(first + chunk, m)):
                quantity, cost = receipt_spec(i) if phase == "receive" else (shipment_quantity(i), Decimal(0))
                rows.append({"company_id": 1, "product_id": product_id, "uom_id": unit, "quantity": quantity,
                             "product_quantity": quantity, "quantity_done": quantity, "reserved": 0,
                             "source_location_id": source, "dest_location_id": dest, "state": DONE, "date": stamp,
                             "unit_cost": cost, "created_at": now, "updated_at": now})
            with shop.engine.begin() as connection:
                connection.execute(insert(table), rows)
    return 2 * m / (time.perf_counter() - start)


def tryton(python: str, m: int, chunk: int, methods: list[str], timeout: float) -> dict:
    """method -> scenario e's figures (moves per s over its 2M moves, seconds of its first and last chunk per
    phase) at M = ``m``, from one run of the Tryton harness (its install and setup are not counted)."""
    if TRYTON is None or not Path(python).exists():
        return {}
    try:
        result = subprocess.run([python, str(TRYTON), "--only", "e", "-m", str(m), "--chunk", str(chunk),
                                 "--cost-methods", ",".join(methods)],
                                check=False, capture_output=True, text=True, cwd=TRYTON.parent, timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"  Tryton run at M={m:,} stopped after {timeout:,.0f} s (--tryton-timeout) without a figure")
        return {}
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            data = json.loads(line)
            if data.get("scenario") == "e.stock" and "methods" in data:
                return {method: figures for method, figures in data["methods"].items() if figures.get("moves_per_s")}
    print("  Tryton run gave no scenario e figure:", result.stdout[-500:], result.stderr[-500:])
    return {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-m", "--moves", type=int, nargs="+", default=[1000, 100000])
    parser.add_argument("--chunk", type=int, default=100)
    parser.add_argument("--later", type=int, default=100000,
                        help="the moves a back-dated receipt is dated before (at most the run's 2M)")
    parser.add_argument("--tryton-python", default="/tmp/tryton-venv/bin/python")
    parser.add_argument("--tryton-max", type=int, default=1000, help="the largest M Tryton is run at")
    parser.add_argument("--tryton-timeout", type=float, default=6 * 3600, help="seconds a Tryton run may take")
    parser.add_argument("--methods", default="fifo,average", help="the costing methods run, comma separated")
    args = parser.parse_args()
    methods = [method.strip() for method in args.methods.split(",") if method.strip()]
    unknown = set(methods) - {"fifo", "average"}
    if unknown or not methods:
        parser.error(f"--methods: choose among fifo and average, not {', '.join(sorted(unknown)) or 'nothing'}")
    valuing = [0.0]
    timed_valuation(valuing)
    for m in args.moves:
        print(f"M={m:,} receipts then M deliveries, one product, chunks of {args.chunk} (SQLite)", flush=True)
        with tempfile.TemporaryDirectory() as folder:
            shop = Shop(Path(folder), "bench")
            raw = raw_insert(shop, m, args.chunk)
            print(f"  raw SQL insert of the same rows: {raw:,.0f} moves per s", flush=True)
            runs = []
            for method in methods:
                runs.append(bottega(shop, method, m, args.chunk, args.later, valuing))
                show(runs[-1], raw)
            shop.engine.dispose()
        theirs = (tryton(args.tryton_python, m, args.chunk, methods, args.tryton_timeout)
                  if m <= args.tryton_max else {})
        for run in runs:
            if run.method in theirs:
                show_tryton(run, theirs[run.method], args.chunk)
        if not theirs:
            print(f"  Tryton not run at M={m:,} (above --tryton-max {args.tryton_max}, or no {args.tryton_python})")


def show_tryton(run: Run, figures: dict, chunk: int) -> None:
    """Tryton's rate at the same M and chunk, the ratio, and its ms per move in its first and last chunk (given
    when there are two chunks or more)."""
    rate = figures["moves_per_s"]
    print(f"  {run.method:8} Tryton  {rate:8,.1f} moves per s; Bottega / Tryton {2 * run.m / run.seconds / rate:.1f}x"
          f" (Tryton's figures {'match' if figures.get('matches_expected') else 'DO NOT match'} its own check; "
          f"{sum(figures[phase].get('lock_retries', 0) for phase in ('receive', 'ship'))} chunks run again "
          f"for a lock, counted in its time as its dispatcher would)", flush=True)
    if "first_chunk_s" in figures["receive"]:
        last = run.m % chunk or chunk
        ms = {phase: (figures[phase]["first_chunk_s"] / chunk * 1e3, figures[phase]["last_chunk_s"] / last * 1e3)
              for phase in ("receive", "ship")}
        print(f"           Tryton ms per move, first -> last chunk: receipts {ms['receive'][0]:.0f} -> "
              f"{ms['receive'][1]:.0f}, deliveries {ms['ship'][0]:.0f} -> {ms['ship'][1]:.0f}", flush=True)


def show(run: Run, raw: float) -> None:
    rate = 2 * run.m / run.seconds
    (r_first, r_last, r_cpu_first, r_cpu_last), (s_first, s_last, s_cpu_first, s_cpu_last) = (
        run.per_move["receive"], run.per_move["ship"])
    expected = expected_cogs(run.m, run.method)
    later, seconds = run.backdated
    print(f"  {run.method:8} Bottega {rate:8,.0f} moves per s ({run.valuing / run.seconds:.0%} of it valuing); "
          f"raw SQL / Bottega {raw / rate:5.1f}x\n"
          f"           ms per move, first -> last tenth: receipts {r_first:.2f} -> {r_last:.2f}, "
          f"deliveries {s_first:.2f} -> {s_last:.2f}\n"
          f"           CPU ms per move (this process; SQLite runs in it), first -> last tenth: receipts "
          f"{r_cpu_first:.2f} -> {r_cpu_last:.2f}, deliveries {s_cpu_first:.2f} -> {s_cpu_last:.2f}\n"
          f"           cost of goods sold {run.cogs:,.6f}, computed apart {expected:,.6f} "
          f"(difference {run.cogs - expected:+.6f})\n"
          f"           back-dated receipt before {later:,} later moves: re-valued in {seconds:.2f} s", flush=True)

if __name__ == "__main__":
    main()
