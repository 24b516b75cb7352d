"""Trial balance and aged receivables over 10k, 100k and 1,000,000 move lines, against hand-written SQL.

The ledger is filled with set-based INSERT ... SELECT statements on a system
connection (no ORM): half a year of sales, purchases and payments on a few
hundred partners, one entry in twenty left as a draft, and each payment
reconciled with half of an earlier invoice; then ANALYZE, as after any bulk
load (without it PostgreSQL plans the 1M-line queries for empty tables).
Each report then runs through
the Bottega service, as an accountant user's session (access and company
rules applied, Decimal money), and the same figures are computed by one
hand-written query sent straight to the driver. The script checks that both
agree, then prints the median times, their ratio, and how each grows from
one size to the next. Sizes are reached by adding lines to the same
database, so the 1M figure is measured on exactly 1,000,000 lines.
"""
from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select, text  # noqa: E402

from addons.accounting.models import Account, FiscalYear, Journal, Move  # noqa: E402
from addons.accounting.reports import aged_receivables, trial_balance  # noqa: E402
from addons.accounting.services.currency import sql_money  # noqa: E402
from addons.accounting.security import ACCOUNTANT  # noqa: E402
from addons.contacts.models import Partner  # noqa: E402
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
PARTNERS = 500
DAYS = 181  # entries spread over the first half of the fiscal year

TRIAL_BALANCE_SQL = """
SELECT a.code, s.opening, s.debit, s.credit
FROM accounting_account a JOIN (
    SELECT account_id,
           SUM(CASE WHEN date < :start THEN debit - credit ELSE 0 END) AS opening,
           SUM(CASE WHEN date >= :start THEN debit ELSE 0 END) AS debit,
           SUM(CASE WHEN date >= :start THEN credit ELSE 0 END) AS credit
    FROM accounting_move_line
    WHERE company_id = :company AND posted = :yes AND date <= :end
    GROUP BY account_id) s ON s.account_id = a.id
ORDER BY a.code
"""

AGED_SQL = """
SELECT partner_id,
       SUM(CASE WHEN due >= :at THEN residual ELSE 0 END),
       SUM(CASE WHEN due < :at AND due >= :d30 THEN residual ELSE 0 END),
       SUM(CASE WHEN due < :d30 AND due >= :d60 THEN residual ELSE 0 END),
       SUM(CASE WHEN due < :d60 AND due >= :d90 THEN residual ELSE 0 END),
       SUM(CASE WHEN due < :d90 THEN residual ELSE 0 END)
FROM (
    SELECT l.partner_id, COALESCE(l.date_maturity, l.date) AS due,
           l.debit - l.credit - COALESCE(m.amount, 0) AS residual
    FROM accounting_move_line l
    JOIN accounting_account a ON a.id = l.account_id AND a.type = 'receivable'
    LEFT JOIN (SELECT line_id, SUM(amount) AS amount FROM (
                   SELECT debit_line_id AS line_id, amount FROM accounting_reconciliation WHERE date <= :at
                   UNION ALL
                   SELECT credit_line_id, -amount FROM accounting_reconciliation WHERE date <= :at) s
               GROUP BY line_id) m ON m.line_id = l.id
    WHERE l.company_id = :company AND l.posted = :yes AND l.date <= :at) x
GROUP BY partner_id
"""


def accountant_session(engine, catalog, login="bench-accountant"):
    """A session acting as a new user of company 1 in the accountant group (also used by accounting_invoices)."""
    registry = Lifecycle(engine, catalog).registry()
    factory = make_session_factory(engine)
    with factory() as system:
        user = User(login=login, name="Bench Accountant", company_id=COMPANY,
                    companies=[system.get(Company, COMPANY)],
                    groups=list(system.scalars(select(GroupRow).where(GroupRow.key == ACCOUNTANT))))
        system.add(user)
        system.commit()
        actor = load_actor(system, registry, user.id)
    return actor_session(factory, registry, actor), factory


class Filler:
    """Set-based inserts of moves ``[first, last)``: 2 lines each, so 2 x moves lines."""

    def __init__(self, engine):
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"
        now = utcnow()
        with engine.begin() as connection:
            def one(model, **where):
                return connection.scalar(select(model.id).where(
                    model.company_id == COMPANY, *(getattr(model, k) == v for k, v in where.items()))
                    .order_by(model.id).limit(1))

            self.ids = {
                "receivable": one(Account, type="receivable"), "payable": one(Account, type="payable"),
                "bank": one(Account, type="bank"), "income": one(Account, type="income"),
                "expense": one(Account, type="expense"),
                "sale": one(Journal, kind="sale"), "purchase": one(Journal, kind="purchase"),
                "bankj": one(Journal, kind="bank"),
            }
            year = connection.execute(select(FiscalYear.id, FiscalYear.date_start, FiscalYear.date_end)
                                      .where(FiscalYear.company_id == COMPANY)).first()
            self.year_id, self.start, self.end = year
            connection.execute(insert(Partner.__table__), [
                {"company_id": COMPANY, "name": f"Customer {n:04d}", "is_company": True, "active": True,
                 "created_at": now, "updated_at": now} for n in range(PARTNERS)])
            self.partner0 = connection.scalar(select(func.min(Partner.id)).where(Partner.name == "Customer 0000"))
            self.move0 = connection.scalar(select(func.coalesce(func.max(Move.id), 0))) + 1
            self.line0 = connection.scalar(text("SELECT COALESCE(MAX(id), 0) FROM accounting_move_line")) + 1
            self.rec0 = connection.scalar(text("SELECT COALESCE(MAX(id), 0) FROM accounting_reconciliation")) + 1
        self.now = now

    def _numbers(self):
        if self.postgres:
            return "WITH n(i) AS (SELECT generate_series(CAST(:first AS integer), CAST(:last AS integer) - 1))"
        return "WITH RECURSIVE n(i) AS (SELECT :first UNION ALL SELECT i + 1 FROM n WHERE i + 1 < :last)"

    def _date(self, shift=""):
        if self.postgres:
            return f"(CAST(:start AS date) + (i % {DAYS}){shift})"
        return f"date(:start, '+' || ((i % {DAYS}){shift}) || ' days')"

    def fill(self, first: int, last: int) -> None:
        cents = "(((i % 100000) * 7919) % 100000 + 100)"  # (i mod m) first: no 32-bit overflow
        paid = "(((((i - 3) % 100000) * 7919) % 100000 + 100) / 2)"  # half of the invoice three moves earlier
        amount = (lambda c: f"CAST({c} AS numeric) / 100") if self.postgres else (lambda c: f"{c} / 100.0")
        kind = "(i % 4)"
        partner = f"(:partner0 + (CASE WHEN {kind} = 3 THEN i - 3 ELSE i END) % {PARTNERS})"
        posted = "(i % 20 <> 19)"
        p = dict(first=first, last=last, start=self.start, partner0=self.partner0, move0=self.move0,
                 line0=self.line0, rec0=self.rec0, company=COMPANY, now=self.now, **self.ids)
        true, false = ("true", "false") if self.postgres else ("1", "0")
        statements = [
            f"""INSERT INTO accounting_move (id, company_id, journal_id, date, state, origin, partner_id, ref,
                    created_at, updated_at)
                {self._numbers()}
                SELECT :move0 + i, :company,
                       CASE {kind} WHEN 2 THEN :purchase WHEN 3 THEN :bankj ELSE :sale END,
                       {self._date()}, 'draft', 'entry', {partner}, 'bench ' || i, :now, :now FROM n""",
            f"""INSERT INTO accounting_move_line (id, company_id, move_id, account_id, partner_id, name, debit,
                    credit, date, date_maturity, journal_id, posted)
                {self._numbers()}
                SELECT :line0 + 2 * i, :company, :move0 + i,
                       CASE {kind} WHEN 2 THEN :expense WHEN 3 THEN :bank ELSE :receivable END,
                       CASE WHEN {kind} IN (0, 1) THEN {partner} END, 'bench',
                       {amount(f"CASE WHEN {kind} = 3 THEN {paid} ELSE {cents} END")}, 0,
                       {self._date()}, CASE WHEN {kind} IN (0, 1) THEN {self._date(" + 30")} END,
                       CASE {kind} WHEN 2 THEN :purchase WHEN 3 THEN :bankj ELSE :sale END, {false}
                FROM n
                UNION ALL
                SELECT :line0 + 2 * i + 1, :company, :move0 + i,
                       CASE {kind} WHEN 2 THEN :payable WHEN 3 THEN :receivable ELSE :income END,
                       CASE WHEN {kind} IN (2, 3) THEN {partner} END, 'bench', 0,
                       {amount(f"CASE WHEN {kind} = 3 THEN {paid} ELSE {cents} END")},
                       {self._date()}, CASE WHEN {kind} = 2 THEN {self._date(" + 30")} END,
                       CASE {kind} WHEN 2 THEN :purchase WHEN 3 THEN :bankj ELSE :sale END, {false}
                FROM n""",
            """UPDATE accounting_move SET state = 'posted', fiscal_year_id = :year,
                       sequence_number = id, number = 'BENCH/' || id
                WHERE id >= :move0 + :first AND id < :move0 + :last AND (id - :move0) % 20 <> 19""",
            f"""UPDATE accounting_move_line SET posted = {true}
                WHERE move_id >= :move0 + :first AND move_id < :move0 + :last AND (move_id - :move0) % 20 <> 19""",
            f"""INSERT INTO accounting_reconciliation (id, company_id, debit_line_id, credit_line_id, amount, date)
                {self._numbers()}
                SELECT :rec0 + i, :company, :line0 + 2 * (i - 3), :line0 + 2 * i + 1, {amount(paid)}, {self._date()}
                FROM n WHERE {kind} = 3 AND {posted}""",
        ]
        with self.engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement), {**p, "year": self.year_id})
            if self.postgres:
                for table in ("accounting_move", "accounting_move_line", "accounting_reconciliation"):
                    connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                            f"(SELECT MAX(id) FROM {table}))"))
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))  # fresh planner statistics, as after any bulk load


def check_trial_balance(report, raw) -> None:
    ours = {row.code: (row.opening, row.debit, row.credit) for row in report.rows}
    theirs = {code: (sql_money(o), sql_money(d), sql_money(c)) for code, o, d, c in raw}
    assert ours == theirs, (ours, theirs)


def check_aged(report, raw) -> None:
    ours = {row.partner_id: (row.not_due, row.days_1_30, row.days_31_60, row.days_61_90, row.older)
            for row in report.rows}
    theirs = {partner: tuple(sql_money(x) for x in amounts) for partner, *amounts in raw
              if any(sql_money(x) for x in amounts)}
    assert ours == theirs, "aged receivables differ from the hand-written SQL"


def main() -> None:
    args = sized_arguments(__doc__, "move lines")
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{Path(folder) / 'bench.db'}"
        catalog = Catalog.discover()
        engine = initialized_database(url, catalog, ["accounting"])
        session, _factory = accountant_session(engine, catalog)
        filler = Filler(engine)
        date_from = filler.start + dt.timedelta(days=60)  # an opening balance, then two months of movements
        at = filler.start + dt.timedelta(days=DAYS - 1)
        cuts = {f"d{days}": at - dt.timedelta(days=days) for days in (30, 60, 90)}
        print(f"trial balance and aged receivables ({engine.dialect.name}), median of {args.repeat}")
        results, done = [], 0
        for size in args.sizes:
            filler.fill(done // 2, size // 2)
            done = size
            with engine.connect() as connection:
                lines = connection.scalar(text("SELECT COUNT(*) FROM accounting_move_line"))
            tb_time, report = median_seconds(
                lambda: trial_balance(session, COMPANY, date_from, filler.end), args.repeat)
            session.rollback()
            with engine.connect() as connection:
                raw_tb_time, raw = median_seconds(lambda: connection.execute(text(TRIAL_BALANCE_SQL), dict(
                    start=date_from, end=filler.end, company=COMPANY, yes=True)).all(), args.repeat)
            check_trial_balance(report, raw)
            aged_time, aged = median_seconds(lambda: aged_receivables(session, COMPANY, at), args.repeat)
            session.rollback()
            with engine.connect() as connection:
                raw_aged_time, raw_aged = median_seconds(lambda: connection.execute(text(AGED_SQL), dict(
                    at=at, company=COMPANY, yes=True, **cuts)).all(), args.repeat)
            check_aged(aged, raw_aged)
            results.append((lines, tb_time, raw_tb_time, aged_time, raw_aged_time))
            print(f"  {lines:>9,} lines  trial balance {tb_time * 1000:9.1f} ms  raw SQL {raw_tb_time * 1000:9.1f} ms"
                  f"  ratio {tb_time / raw_tb_time:5.2f}x | aged receivables {aged_time * 1000:9.1f} ms"
                  f"  raw SQL {raw_aged_time * 1000:9.1f} ms  ratio {aged_time / raw_aged_time:5.2f}x"
                  f"  ({len(aged.rows)} partners, figures agree)")
        for before, after in zip(results, results[1:]):
            grow = after[0] / before[0]
            print(f"  {before[0]:,} -> {after[0]:,} lines (x{grow:.0f}): trial balance x{after[1] / before[1]:.1f}"
                  f" (raw x{after[2] / before[2]:.1f}), aged receivables x{after[3] / before[3]:.1f}"
                  f" (raw x{after[4] / before[4]:.1f})")
        session.close()
        engine.dispose()


if __name__ == "__main__":
    main()
