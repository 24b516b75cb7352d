"""Create and post N customer invoices (3 lines, 21% VAT): against a raw SQL insert and the Tryton peer.

Bottega side: an accountant user's session calls ``services.invoices``
(``create_invoice`` then ``post_invoice``: totals, taxes, journal entry,
gapless number, guards, audit log), committing every --chunk invoices, with
the same quantities and prices as the Tryton harness (invoice_lines_spec)
and per-document tax rounding (as Tryton). Totals are checked against
an independent Decimal computation.

Raw SQL baseline: the very rows Bottega wrote (moves, move lines, invoices,
invoice lines, invoice taxes and the line-tax links) are read back and
inserted again through the driver with executemany, chunk by chunk: moves
and lines as drafts, then posted (entries, then their lines), as the
database's ledger guards require.

Tryton: ../shared/peers/tryton's bench_tryton.py --only c,d -n N in its
virtual environment (see its README; skipped with a note when missing).
Its scenario d (account balances + general ledger over those invoices) is
compared with Bottega's trial balance over the Bottega invoices.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select, text, update  # noqa: E402

from accounting_reports import COMPANY, accountant_session  # noqa: E402
from addons.accounting.models import (Account, FiscalYear, Invoice, InvoiceLine, InvoiceTax, Move,  # noqa: E402
                                      MoveLine, Settings, Tax, invoice_line_taxes)
from addons.accounting.reports import trial_balance  # noqa: E402
from addons.accounting.services.books import partner_accounts  # noqa: E402
from addons.accounting.services.invoice_batches import InvoiceInput, post_new_invoices  # noqa: E402
from addons.accounting.services.invoices import LineInput, create_invoice, post_invoice  # noqa: E402
from addons.contacts.models import Partner  # noqa: E402
from core.catalog import Catalog  # noqa: E402
from core.sessions import make_session_factory  # noqa: E402
from core.testing import initialized_database  # noqa: E402
from timing import median_seconds  # noqa: E402

TRYTON = ROOT.parent / "shared" / "peers" / "tryton" / "bench_tryton.py"
CENT = Decimal("0.01")
RATE = Decimal("21")
TABLES = (Move, MoveLine, Invoice, InvoiceLine, InvoiceTax)


def lines_spec(i: int) -> list[tuple[int, Decimal]]:
    """(quantity, unit price) of the 3 lines of invoice i, as the Tryton harness's invoice_lines_spec."""
    return [(1 + (i + j) % 4, Decimal(5 + (i * 7 + j * 13) % 50) + Decimal((i * 3 + j * 17) % 100) / 100)
            for j in range(3)]


def expected_total(i: int) -> Decimal:
    untaxed = sum((Decimal(q) * p).quantize(CENT) for q, p in lines_spec(i))
    return untaxed + (untaxed * RATE / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def prepare(engine) -> tuple[int, list[int]]:
    """A 21% sales tax, per-document tax rounding, and up to 100 customers (as the peer's scenario c)."""
    with make_session_factory(engine)() as system:
        template = system.scalars(select(Tax).where(Tax.company_id == COMPANY, Tax.use == "sale")
                                  .order_by(Tax.percent.desc())).first()
        tax = Tax(company_id=COMPANY, code="BENCH21", name="VAT 21%", use="sale", percent=RATE,
                  account_id=template.account_id)
        system.add(tax)
        system.scalars(select(Settings).where(Settings.company_id == COMPANY)).one().tax_rounding = "global"
        customers = []
        for n in range(100):
            partner = Partner(company_id=COMPANY, name=f"InvCustomer {n:03d}", is_company=True)
            system.add(partner)
            system.flush()
            partner_accounts(system, partner)
            customers.append(partner.id)
        system.commit()
        return tax.id, customers


def bottega(engine, catalog, count: int, chunk: int, tax_id: int, customers: list[int],
            one_by_one: bool = False) -> tuple[float, object]:
    session, _factory = accountant_session(engine, catalog)
    income = session.scalar(select(Account.id).where(Account.company_id == COMPANY, Account.type == "income")
                            .order_by(Account.code).limit(1))

    def invoice(i: int) -> InvoiceInput:
        return InvoiceInput(partner_id=customers[i % len(customers)], date=dt.date.today(),
                            lines=[LineInput(f"Line {i}.{j}", quantity=q, unit_price=p, tax_ids=[tax_id],
                                             account_id=income)
                                   for j, (q, p) in enumerate(lines_spec(i))])

    start = time.perf_counter()
    for first in range(0, count, chunk):
        batch = [invoice(i) for i in range(first, min(first + chunk, count))]
        if one_by_one:
            for data in batch:
                post_invoice(session, create_invoice(session, **vars(data)))
        else:
            post_new_invoices(session, batch)
        session.commit()
    elapsed = time.perf_counter() - start
    totals = session.execute(select(Invoice.id, Invoice.amount_total, Invoice.state).order_by(Invoice.id)).all()
    assert len(totals) == count and all(state == "posted" for _id, _total, state in totals)
    mismatches = [i for i, (_id, total, _state) in enumerate(totals) if total != expected_total(i)]
    assert not mismatches, f"invoice totals differ from the Decimal computation for {mismatches[:5]}"
    return elapsed, session


def raw_insert(engine, chunk: int) -> float:
    """Insert again every row Bottega wrote, ids and numbers shifted, with executemany per chunk."""
    with engine.connect() as connection:
        rows = {model: [dict(row._mapping) for row in connection.execute(select(model.__table__)
                                                                         .order_by(model.id))]
                for model in TABLES}
        links = [dict(row._mapping) for row in connection.execute(select(invoice_line_taxes))]
        shift = {model: connection.scalar(select(func.max(model.id))) for model in TABLES}
    invoices = rows[Invoice]
    by_invoice = {model: {} for model in (InvoiceLine, InvoiceTax)}
    for model, children in by_invoice.items():
        for row in rows[model]:
            children.setdefault(row["invoice_id"], []).append(row)
    lines_of = {}
    for row in rows[MoveLine]:
        lines_of.setdefault(row["move_id"], []).append(row)
    links_of = {}
    for row in links:
        links_of.setdefault(row["line_id"], []).append(row)
    moves = {row["id"]: row for row in rows[Move]}
    sequence_shift = len(moves) + 1
    start = time.perf_counter()
    for first in range(0, len(invoices), chunk):
        batch = invoices[first:first + chunk]
        move_rows = [{**moves[inv["move_id"]], "id": inv["move_id"] + shift[Move], "state": "draft",
                      "number": "RAW/" + moves[inv["move_id"]]["number"],
                      "sequence_number": moves[inv["move_id"]]["sequence_number"] + sequence_shift}
                     for inv in batch]
        line_rows = [{**line, "id": line["id"] + shift[MoveLine], "move_id": line["move_id"] + shift[Move],
                      "posted": False}
                     for inv in batch for line in lines_of[inv["move_id"]]]
        invoice_rows = [{**inv, "id": inv["id"] + shift[Invoice], "move_id": inv["move_id"] + shift[Move],
                         "number": "RAW/" + inv["number"]} for inv in batch]
        item_rows = [{**item, "id": item["id"] + shift[InvoiceLine], "invoice_id": item["invoice_id"] + shift[Invoice]}
                     for inv in batch for item in by_invoice[InvoiceLine].get(inv["id"], [])]
        tax_rows = [{**item, "id": item["id"] + shift[InvoiceTax], "invoice_id": item["invoice_id"] + shift[Invoice]}
                    for inv in batch for item in by_invoice[InvoiceTax].get(inv["id"], [])]
        link_rows = [{**link, "line_id": link["line_id"] + shift[InvoiceLine]}
                     for inv in batch for item in by_invoice[InvoiceLine].get(inv["id"], [])
                     for link in links_of.get(item["id"], [])]
        with engine.begin() as connection:
            for model, values in ((Move, move_rows), (MoveLine, line_rows), (Invoice, invoice_rows),
                                  (InvoiceLine, item_rows), (InvoiceTax, tax_rows)):
                connection.execute(insert(model.__table__), values)
            connection.execute(insert(invoice_line_taxes), link_rows)
            move_ids = [row["id"] for row in move_rows]
            connection.execute(update(Move.__table__).where(Move.id.in_(move_ids)).values(state="posted"))
            connection.execute(update(MoveLine.__table__).where(MoveLine.move_id.in_(move_ids)).values(posted=True))
    return time.perf_counter() - start


def tryton(python: str, count: int, chunk: int) -> dict | None:
    if not Path(python).exists():
        return None
    result = subprocess.run([python, str(TRYTON), "--only", "c,d", "-n", str(count), "--chunk", str(chunk),
                             "--no-tasks"], capture_output=True, text=True, cwd=TRYTON.parent, timeout=7200)
    found = {}
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            data = json.loads(line)
            found[data.get("scenario")] = data
    if "c.invoices" not in found:
        print("  Tryton run gave no scenario c figure:", result.stdout[-500:], result.stderr[-500:])
        return None
    return found


def one_by_one(args) -> float:
    """The same invoices through create_invoice + post_invoice, one by one, on a SQLite database of their own."""
    with tempfile.TemporaryDirectory() as folder:
        engine = initialized_database(f"sqlite:///{Path(folder) / 'single.db'}", Catalog.discover(), ["accounting"])
        tax_id, customers = prepare(engine)
        elapsed, session = bottega(engine, Catalog.discover(), args.count, args.chunk, tax_id, customers,
                                   one_by_one=True)
        session.close()
        engine.dispose()
        return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", "--count", type=int, default=200)
    parser.add_argument("--chunk", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5, help="runs of the trial balance (median)")
    parser.add_argument("--url", help="an empty database instead of a temporary SQLite file")
    parser.add_argument("--tryton-python", default="/tmp/tryton-venv/bin/python")
    parser.add_argument("--one-by-one", action="store_true",
                        help="also time create_invoice + post_invoice per invoice (on a second database)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{Path(folder) / 'bench.db'}"
        catalog = Catalog.discover()
        engine = initialized_database(url, catalog, ["accounting"])
        tax_id, customers = prepare(engine)
        ours, session = bottega(engine, catalog, args.count, args.chunk, tax_id, customers)
        year = session.execute(select(FiscalYear.date_start, FiscalYear.date_end)
                               .where(FiscalYear.company_id == COMPANY)).first()
        tb_time, report = median_seconds(lambda: trial_balance(session, COMPANY, *year), args.repeat)
        session.close()
        raw = raw_insert(engine, args.chunk)
        with engine.connect() as connection:
            unbalanced = connection.scalar(text(
                "SELECT COUNT(*) FROM (SELECT move_id FROM accounting_move_line GROUP BY move_id "
                "HAVING ROUND(SUM(debit) - SUM(credit), 2) <> 0) x"))
            copied = connection.scalar(select(func.count(Invoice.id)).where(Invoice.number.like("RAW/%")))
        assert unbalanced == 0 and copied == args.count
        engine.dispose()
    rate = args.count / ours
    print(f"create + post {args.count} customer invoices (3 lines, 21% VAT), chunks of {args.chunk} "
          f"({engine.dialect.name})")
    print(f"  Bottega  {rate:8.1f} invoices/s ({ours:.2f} s, totals checked; post_new_invoices per chunk)")
    if args.one_by_one and args.url:
        print("  (--one-by-one runs on SQLite only: it needs a second database)")
    elif args.one_by_one:
        single = one_by_one(args)
        print(f"  Bottega  {args.count / single:8.1f} invoices/s one by one (create_invoice + post_invoice), "
              f"{single / ours:5.1f}x the batch's time")
    print(f"  raw SQL  {args.count / raw:8.1f} invoices/s ({raw:.3f} s for the same rows)   "
          f"Bottega takes {ours / raw:5.1f}x the raw insert's time")
    print(f"  trial balance over them ({len(report.rows)} accounts, accountant session): {tb_time * 1000:.1f} ms")
    peer = tryton(args.tryton_python, args.count, args.chunk)
    if peer is None:
        print(f"  Tryton   not run (no {args.tryton_python}; see ../shared/peers/tryton/README.md)")
        return
    invoices, trial = peer["c.invoices"], peer.get("d.trial", {})
    theirs = invoices.get("invoices_per_s")
    print(f"  Tryton   {theirs:8.1f} invoices/s (with lock retries; "
          f"{invoices.get('invoices_per_s_excl_lock_retries')} without), ok={invoices.get('ok')}   "
          f"ratio {rate / theirs:5.1f}x (Bottega / Tryton)")
    if trial.get("seconds"):
        print(f"  Tryton scenario d (balances of all {trial.get('n_accounts')} accounts of its chart tree + general "
              f"ledger): {trial['seconds'] * 1000:.1f} ms, ok={trial.get('ok')}   Tryton / Bottega trial balance "
              f"time {trial['seconds'] / tb_time:5.1f}x (not identical work: Bottega lists only accounts with lines)")


if __name__ == "__main__":
    main()
