"""Quote -> order -> delivery -> invoice -> payment for K orders of 5 lines, against a raw SQL insert of the same
rows and the Tryton peer's sale flow (scenario f), in the same run.

Bottega side (SQLite in a temporary folder, or --url): sales, stock and
accounting installed (so sales_stock and stock_accounting too); 20 stockable
products received into the main warehouse beforehand, 100 customers, a
fiscal year. Per chunk of --chunk orders, each phase is one committed
transaction of the services a user's click calls, one order at a time:

1. quote: a salesperson's ``create_quote`` (5 lines priced from the list
   prices, the products' default sales taxes, costs from stock's valuation);
2. confirm: the salesperson's ``confirm_quote`` (credit check, number; the
   sales_stock bridge makes and confirms the delivery, which reserves);
3. deliver: a stock clerk's ``process_transfer`` of each order's delivery
   (quants, valuation, the order lines' delivered quantities);
4. invoice: a biller's (sales manager and accountant) ``invoice_orders``;
5. post: the biller's ``post_invoice``;
6. pay: the biller's ``register_payment`` of the invoice's total.

Printed: orders per second per phase and overall (wall clock, and the CPU time of this process, which
holds SQLite: the figure to read on a machine others load), SQL statements per order
per phase (an engine listener; an executemany is one). Checked at the end:
every order confirmed, delivered, invoiced and paid; every line's delivered
and invoiced quantity its ordered one; the customers' receivable balance
zero; the stock moved to customers per product equals the quantities sold.

Raw SQL baseline: every row the flow inserted (in every table, audit log
included) is read back and inserted into a twin database set up the same
way, chunk by chunk (the rows of a chunk's orders, one executemany per table,
one transaction), journal entries as drafts then posted, as the ledger
guards require. It leaves out the updates the flow makes to rows that were
there before (quants, number sequences): a floor, not an equivalent program.

Tryton: ../shared/peers/tryton/bench_tryton.py --only f -k K in its virtual
environment (--peer-python). Its scenario f creates K opportunities with one
line of a service, then opportunity -> convert (the sale quotation) -> quote ->
confirm (the opportunity won); its queued task then processes the sale, which
creates the draft invoice. It covers our phases 1-2 (and, with its tasks,
the draft invoice of phase 4); it has no delivery (a service), no posting and
no payment. The ratio is printed for what it covers, saying so. --services
makes our orders like its sales (one line of a service, 1 to 3 hours at 40):
the like-for-like ratio (it still creates an opportunity first, we do not).
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import MetaData, create_engine, event, func, insert, select, text, update  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from addons.accounting.models import Account, Invoice, MoveLine  # noqa: E402
from addons.accounting.models.invoicing import PAID as INVOICE_PAID  # noqa: E402
from addons.accounting.models.ledger import RECEIVABLE  # noqa: E402
from addons.accounting.services.invoices import post_invoice  # noqa: E402
from addons.accounting.services.payments import register_payment  # noqa: E402
from addons.contacts.services import create_partner  # noqa: E402
from addons.products.models import SERVICE  # noqa: E402
from addons.products.services import create_product  # noqa: E402
from addons.sales.models import CONFIRMED, INVOICED, PAID, SaleOrder, SaleOrderLine  # noqa: E402
from addons.sales.services.invoicing import invoice_orders, invoicing_of  # noqa: E402
from addons.sales.services.quotes import confirm_quote, create_quote  # noqa: E402
from addons.sales_stock.models import SaleDelivery  # noqa: E402
from addons.stock.models import StockMove, Transfer  # noqa: E402
from addons.stock.models.moves import DELIVERY, DONE, RECEIPT  # noqa: E402
from addons.stock.services.setup import default_warehouse, stock_settings  # noqa: E402
from addons.stock.services.transfers import create_transfer, process_transfer  # noqa: E402
from core.catalog import Catalog  # noqa: E402
from core.lifecycle import Lifecycle  # noqa: E402
from core.models import Company, User  # noqa: E402
from core.models.user import Group as GroupRow  # noqa: E402
from core.security import actor_session, load_actor  # noqa: E402
from core.sessions import make_session_factory  # noqa: E402
from core.testing import initialized_database  # noqa: E402
from tryton_peer import peer_figures  # noqa: E402

COMPANY = 1
PRODUCTS, CUSTOMERS, LINES = 20, 100, 5
PHASES = ("quote", "confirm", "deliver", "invoice", "post", "pay")
ROLES = {"seller": ["sales.group_salesperson"], "clerk": ["stock.group_user"],
         "biller": ["sales.group_manager", "accounting.group_accountant"]}


def order_lines(i: int, products: list[int]) -> list[dict]:
    """The 5 lines of order i: 5 different products, 1 to 7 units each."""
    return [{"product_id": products[(i * 3 + j * 4) % len(products)], "quantity": Decimal(1 + (i + j) % 7)}
            for j in range(LINES)]


class Shop:
    """A database with sales, stock and accounting installed, stock on hand, customers and the three users."""

    def __init__(self, url: str, catalog: Catalog, orders: int, *, services: bool = False):
        self.services = services
        self.engine = initialized_database(url, catalog, ["sales", "stock", "accounting"])
        self.registry = Lifecycle(self.engine, catalog).registry()
        self.factory = make_session_factory(self.engine)
        self.today = dt.date.today()
        with actor_session(self.factory, self.registry, None) as system:
            self.products = [create_product(system, COMPANY, code=f"FLOW{n:02d}", name=f"Flow product {n}",
                                            list_price=Decimal(10 + 7 * n) + Decimal("0.25"),
                                            cost=Decimal(5 + 3 * n)).id for n in range(PRODUCTS)]
            self.service = create_product(system, COMPANY, code="FLOWSVC", name="Flow service", kind=SERVICE,
                                          list_price=Decimal(40), cost=Decimal(25)).id
            self.customers = [create_partner(system, COMPANY, name=f"Flow customer {n:03d}", is_company=True).id
                              for n in range(CUSTOMERS)]
            warehouse = default_warehouse(system, COMPANY)
            needed = Counter()
            for i in range(orders):
                for line in self.lines(i):
                    needed[line["product_id"]] += line["quantity"]
            if not services:  # stock on hand for every order's goods
                receipt = create_transfer(system, COMPANY, kind=RECEIPT, warehouse_id=warehouse.id, lines=[
                    {"product_id": product, "quantity": needed[product] + 10, "unit_cost": Decimal(5 + 3 * n)}
                    for n, product in enumerate(self.products) if needed[product]])
                process_transfer(system, receipt)
            self.customer_location = stock_settings(system, COMPANY).customer_location_id
            self.actors = {}
            for login, groups in ROLES.items():
                user = User(login=f"flow-{login}", name=f"Flow {login}", company_id=COMPANY,
                            companies=[system.get(Company, COMPANY)],
                            groups=list(system.scalars(select(GroupRow).where(GroupRow.key.in_(groups)))))
                system.add(user)
                system.flush()
                self.actors[login] = user.id
            system.commit()
            self.actors = {login: load_actor(system, self.registry, user_id) for login, user_id in self.actors.items()}

    def lines(self, i: int) -> list[dict]:
        """Order i's lines: 5 of goods, or (``services``, as Tryton's scenario f) 1 to 3 hours of a service."""
        if self.services:
            return [{"product_id": self.service, "quantity": Decimal(1 + i % 3)}]
        return order_lines(i, self.products)

    def session(self, role: str):
        return actor_session(self.factory, self.registry, self.actors[role])


def _orders(session, ids):
    return session.scalars(select(SaleOrder).where(SaleOrder.id.in_(ids)).order_by(SaleOrder.id)).all()


def phase_quote(shop: Shop, numbers: range, state: dict) -> None:
    session = shop.session("seller")
    state["orders"] = [create_quote(session, COMPANY, partner_id=shop.customers[i % CUSTOMERS],
                                    lines=shop.lines(i)).id for i in numbers]
    session.commit()
    session.close()


def phase_confirm(shop: Shop, _numbers: range, state: dict) -> None:
    session = shop.session("seller")
    for order in _orders(session, state["orders"]):
        confirm_quote(session, order)
    session.commit()
    session.close()


def phase_deliver(shop: Shop, _numbers: range, state: dict) -> None:
    """The clerk opens each order's delivery (from the deliveries to do) and validates it."""
    session = shop.session("clerk")
    transfers = session.scalars(select(Transfer).join(SaleDelivery, SaleDelivery.transfer_id == Transfer.id)
                                .where(SaleDelivery.order_id.in_(state["orders"])).order_by(Transfer.id)).all()
    for transfer in transfers:
        process_transfer(session, transfer)
    session.commit()
    session.close()


def phase_invoice(shop: Shop, _numbers: range, state: dict) -> None:
    session = shop.session("biller")
    state["invoices"] = [invoice_orders(session, [order]).id for order in _orders(session, state["orders"])]
    session.commit()
    session.close()


def phase_post(shop: Shop, _numbers: range, state: dict) -> None:
    session = shop.session("biller")
    for invoice in session.scalars(select(Invoice).where(Invoice.id.in_(state["invoices"])).order_by(Invoice.id)):
        post_invoice(session, invoice)
    session.commit()
    session.close()


def phase_pay(shop: Shop, _numbers: range, state: dict) -> None:
    session = shop.session("biller")
    for invoice in session.scalars(select(Invoice).where(Invoice.id.in_(state["invoices"])).order_by(Invoice.id)):
        register_payment(session, invoice, amount=invoice.residual, date=shop.today)
    session.commit()
    session.close()


STEPS = {"quote": phase_quote, "confirm": phase_confirm, "deliver": phase_deliver, "invoice": phase_invoice,
         "post": phase_post, "pay": phase_pay}


class Tables:
    """Every table of the database with an integer ``id``, and the link tables hanging on one of them: the rows
    a chunk inserted are those above each table's largest id before it."""

    def __init__(self, engine):
        self.metadata = MetaData()
        self.metadata.reflect(engine)
        self.with_id = {table.name: table for table in self.metadata.sorted_tables if "id" in table.c
                        and table.c.id.primary_key}
        self.links = {}
        for table in self.metadata.sorted_tables:
            if table.name in self.with_id:
                continue
            for column in table.c:
                target = next((fk.column.table.name for fk in column.foreign_keys
                               if fk.column.table.name in self.with_id and fk.column.name == "id"), None)
                if target is not None:
                    self.links[table.name] = (column.name, target)
                    break

    def top_ids(self, connection) -> dict[str, int]:
        return {name: connection.scalar(select(func.coalesce(func.max(table.c.id), 0)))
                for name, table in self.with_id.items()}


def run(shop: Shop, count: int, chunk: int) -> tuple[dict, dict, dict, tuple]:
    """Time the six phases over K orders; returns (seconds per phase, CPU seconds of this process per phase,
    statements per phase, the tables and their largest ids after each chunk for the raw baseline)."""
    seconds, cpu, statements, current = Counter(), Counter(), {phase: Counter() for phase in PHASES}, [None]
    tables = Tables(shop.engine)

    def counted(_connection, _cursor, statement, _parameters, _context, _executemany):
        if current[0] is not None:
            statements[current[0]][statement.lstrip().split(None, 1)[0].upper()] += 1

    with shop.engine.connect() as connection:
        tops = [tables.top_ids(connection)]
    event.listen(shop.engine, "before_cursor_execute", counted)
    try:
        for first in range(0, count, chunk):
            numbers, state = range(first, min(first + chunk, count)), {}
            for phase in PHASES:
                current[0] = phase
                start, start_cpu = time.perf_counter(), time.process_time()
                STEPS[phase](shop, numbers, state)
                seconds[phase] += time.perf_counter() - start
                cpu[phase] += time.process_time() - start_cpu
                current[0] = None
            with shop.engine.connect() as connection:
                tops.append(tables.top_ids(connection))
    finally:
        event.remove(shop.engine, "before_cursor_execute", counted)
    return seconds, cpu, statements, (tables, tops)


def check(shop: Shop, count: int) -> None:
    """Every order delivered, invoiced and paid; receivables settled; the stock moved is the stock sold."""
    with shop.factory() as session:
        orders = session.scalars(select(SaleOrder)).all()
        assert len(orders) == count and all(order.state == CONFIRMED for order in orders), "every order confirmed"
        lines = session.execute(select(SaleOrderLine.quantity, SaleOrderLine.qty_delivered,
                                       SaleOrderLine.qty_invoiced)).all()
        assert len(lines) == sum(len(shop.lines(i)) for i in range(count)), "every line written"
        assert all(q == i and (d == q or shop.services) for q, d, i in lines), \
            "every line delivered (goods) and invoiced in full"
        statuses = invoicing_of(session, orders)
        assert all((found.invoice_status, found.payment_status) == (INVOICED, PAID) for found in statuses.values()), \
            "every order invoiced and paid"
        unpaid = session.scalar(select(func.count()).select_from(Invoice).where(Invoice.payment_state != INVOICE_PAID))
        assert unpaid == 0, f"{unpaid} invoices not paid"
        balance = session.scalar(select(func.coalesce(func.sum(MoveLine.debit - MoveLine.credit), 0))
                                 .join(Account, Account.id == MoveLine.account_id)
                                 .where(Account.type == RECEIVABLE, MoveLine.partner_id.is_not(None)))
        assert balance == 0, f"the receivables add up to {balance}, not zero"
        sold = Counter()
        for i in range(count):
            for line in shop.lines(i) if not shop.services else ():
                sold[line["product_id"]] += line["quantity"]
        moved = dict(session.execute(select(StockMove.product_id, func.sum(StockMove.product_quantity))
                                     .join(Transfer, Transfer.id == StockMove.transfer_id)
                                     .where(Transfer.kind == DELIVERY, StockMove.state == DONE,
                                            StockMove.dest_location_id == shop.customer_location)
                                     .group_by(StockMove.product_id)).all())
        assert {product: Decimal(quantity) for product, quantity in moved.items()} == dict(sold), \
            "the stock delivered differs from the quantities sold"


def raw_insert(source, twin, tables: Tables, tops: list[dict]) -> tuple[float, int]:
    """Insert the rows each chunk of the flow inserted into ``twin``, a chunk a transaction; (seconds, rows)."""
    chunks = []
    with source.connect() as connection:
        for before, after in zip(tops, tops[1:]):
            rows = {}
            for table in tables.metadata.sorted_tables:
                if table.name in tables.with_id:
                    where = table.c.id > before[table.name], table.c.id <= after[table.name]
                elif table.name in tables.links:
                    column, target = tables.links[table.name]
                    where = table.c[column] > before[target], table.c[column] <= after[target]
                else:
                    continue
                found = [dict(row._mapping) for row in connection.execute(select(table).where(*where))]
                if found:
                    rows[table.name] = found
            chunks.append(rows)
    moves, lines = tables.metadata.tables["accounting_move"], tables.metadata.tables["accounting_move_line"]
    total = sum(len(found) for rows in chunks for found in rows.values())
    start = time.perf_counter()
    for rows in chunks:
        with twin.begin() as connection:
            posted = [row["id"] for row in rows.get(moves.name, ()) if row["state"] == "posted"]
            for table in tables.metadata.sorted_tables:
                found = rows.get(table.name)
                if not found:
                    continue
                if table is moves:
                    found = [{**row, "state": "draft"} if row["state"] == "posted" else row for row in found]
                elif table is lines:
                    found = [{**row, "posted": False} for row in found]
                connection.execute(insert(table), found)
            if posted:
                connection.execute(update(moves).where(moves.c.id.in_(posted)).values(state="posted"))
                connection.execute(update(lines).where(lines.c.move_id.in_(posted)).values(posted=True))
    return time.perf_counter() - start, total


def twin_url(url: str | None, folder: Path) -> str:
    """The raw baseline's database: a SQLite file beside the run's, or ``<name>_raw`` on the same server
    (created here; refused if it exists)."""
    if url is None:
        return f"sqlite:///{folder / 'raw.db'}"
    given = make_url(url)
    name = f"{given.database}_raw"
    server = create_engine(given.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    return given.set(database=name).render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-k", "--orders", type=int, default=1000)
    parser.add_argument("--chunk", type=int, default=100)
    parser.add_argument("--url", help="an empty PostgreSQL database instead of a temporary SQLite file (the raw "
                                      "baseline creates <name>_raw beside it)")
    parser.add_argument("--no-raw", action="store_true", help="skip the raw SQL baseline")
    parser.add_argument("--services", action="store_true",
                        help="orders of one line of a service (1 to 3 hours), as Tryton's scenario f: nothing to deliver")
    parser.add_argument("--peer-python", default="/tmp/tryton-venv/bin/python",
                        help="the Python of the Tryton peer's virtual environment")
    parser.add_argument("--no-peer", action="store_true", help="skip the Tryton peer")
    args = parser.parse_args()
    catalog = Catalog.discover()
    with tempfile.TemporaryDirectory() as folder:
        shop = Shop(args.url or f"sqlite:///{Path(folder) / 'bench.db'}", catalog, args.orders,
                    services=args.services)
        seconds, cpu, statements, (tables, tops) = run(shop, args.orders, args.chunk)
        check(shop, args.orders)
        raw = None
        if not args.no_raw:
            twin = Shop(twin_url(args.url, Path(folder)), catalog, args.orders, services=args.services)
            raw = raw_insert(shop.engine, twin.engine, tables, tops)
            twin.engine.dispose()
        shop.engine.dispose()
    total = sum(seconds.values())
    k = args.orders
    what = "1 line of a service (nothing to deliver)" if args.services else f"{LINES} lines of goods"
    print(f"quote -> order -> delivery -> invoice -> payment, K={k:,} orders of {what}, chunks of "
          f"{args.chunk} ({shop.engine.dialect.name}); checked: every order "
          + ("invoiced and paid, receivables zero" if args.services
             else "delivered, invoiced and paid, receivables zero, stock moved = sold"))
    for phase in PHASES:
        kinds = statements[phase]
        detail = ", ".join(f"{kind} {number / k:.1f}" for kind, number in kinds.most_common(4))
        print(f"  {phase:<8} {k / seconds[phase]:8.1f} orders/s  ({seconds[phase]:6.2f} s, CPU {cpu[phase]:6.2f} s; "
              f"{sum(kinds.values()) / k:5.1f} statements an order: {detail})")
    print(f"  overall  {k / total:8.1f} orders/s  ({total:6.2f} s, CPU of this process {sum(cpu.values()):.2f} s: "
          f"{k / sum(cpu.values()):.1f} orders per CPU second)")
    if raw is not None:
        raw_seconds, rows = raw
        print(f"  raw SQL  {k / raw_seconds:8.1f} orders/s  ({raw_seconds:.2f} s: the {rows / k:.1f} rows an order "
              f"the flow inserted, audit included, inserted again)   Bottega takes {total / raw_seconds:5.1f}x")
    if args.no_peer:
        return
    peer = peer_figures(args.peer_python, ["--only", "f", "-k", str(k), "--chunk", str(args.chunk)], "f.crm",
                        timeout=7200)
    if peer is None or not peer.get("opportunities_per_s"):
        print(f"  Tryton   not run (no {args.peer_python} or no ../shared/peers/tryton/bench_tryton.py; "
              "see ../shared/peers/tryton/README.md)")
        return
    ours = k / (seconds["quote"] + seconds["confirm"])
    with_invoice = k / (seconds["quote"] + seconds["confirm"] + seconds["invoice"])
    theirs, theirs_tasks = peer["opportunities_per_s"], peer["opportunities_per_s_incl_tasks"]
    print(f"  Tryton scenario f (ok={peer.get('ok')}): lead -> opportunity -> sale quotation -> quote -> confirm, "
          f"1 line of a service an order")
    print(f"    quote -> confirmed order: Bottega {ours:8.1f} orders/s, Tryton {theirs:8.1f} /s: "
          f"{ours / theirs:5.1f}x")
    print(f"    + the draft invoice (Tryton's queued sale processing): Bottega {with_invoice:8.1f} orders/s, "
          f"Tryton {theirs_tasks:8.1f} /s: {with_invoice / theirs_tasks:5.1f}x")
    print("    not covered by Tryton's harness: the delivery (its line is a service), posting the invoice, the "
          "payment" + ("" if args.services else "; Tryton's orders have 1 line of a service, ours 5 of goods "
                       "(costed from stock, reserved and given a delivery at confirmation): see --services"))


if __name__ == "__main__":
    main()
