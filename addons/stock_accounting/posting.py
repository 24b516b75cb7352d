"""Posting the stock valuation to the ledger (perpetual inventory).

What stock records in its value ledger (``stock.ValuationEntry``: a receipt's
value in, a delivery's value out, a settlement of negative stock, a
revaluation) becomes journal entries, one per company and day, a debit and a
credit per product and counterpart:

- value into the company's stock from a supplier: stock / goods received not
  billed (the vendor bill clears the latter);
- value out to a customer, or in from a customer (a return): cost of goods
  sold / stock;
- a return to a supplier: goods received not billed / stock;
- everything else (inventory counts, production, revaluations, negative stock
  settled): stock adjustments / stock.

The entries are posted when the moves are done, in the same transaction: a
move dated in a locked period or a closed year is refused with accounting's
message and nothing moves. Valuation entries written outside a batch of moves
(a standard cost changed by hand, a recomputed cost) are posted with the next
batch of the company, or by the nightly job. Each valuation entry is posted
once (``PostedValuation``).

Posting costs what is new, not the history: a batch looks only above each
company's high-water mark, the last valuation entry it posted (or left out;
an index lookup), and at the entries of its own moves. An entry is new by
its id, whatever its date, so a back-dated move or revaluation is posted
too (on its own date, refused in a locked period). With concurrent
transactions an entry can be committed after one with a higher id was
posted: the nightly job sweeps the whole history for such stragglers.

What stock valued before the bridge was installed (stock running without
accounting, or while the bridge was uninstalled) is not posted: it is marked
as left out when the bridge is installed, and the accountant books the
opening stock value once, by hand, as for any opening balance.

The entries are the consequence of stock work, not the warehouse clerk's
accounting: they are written by the system inside the clerk's transaction.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from addons.accounting.models import Journal
from addons.accounting.services.currency import company_currency, decimals, round_amount
from addons.accounting.services.ledger import LineSpec, create_move, post_move
from addons.products.models import Product
from addons.stock.models import Location, StockMove, ValuationEntry
from addons.stock.models.locations import CUSTOMER, SUPPLIER
from core.models import Company
from core.sessions import system_rows

from .accounts import stock_accounts
from .models import PostedValuation


def leave_history_unposted(session: Session) -> None:
    """Mark every valuation entry not posted yet as left out (one INSERT ... SELECT): run when the bridge is
    installed, so that history from before it never reaches the ledger."""
    entries, posted = ValuationEntry.__table__, PostedValuation.__table__
    pending = (select(entries.c.id, entries.c.company_id)
               .where(~select(posted.c.valuation_entry_id).where(
                   posted.c.valuation_entry_id == entries.c.id).exists()))
    session.connection().execute(posted.insert().from_select(["valuation_entry_id", "company_id"], pending))


def post_for_moves(session: Session, move_ids) -> list:
    """After a batch of moves is done: post what is pending in their companies (this batch's values first)."""
    move_ids = set(move_ids)
    return post_pending(session, set(session.scalars(
        select(StockMove.company_id).where(StockMove.id.in_(move_ids)).distinct())), move_ids=move_ids)


def high_water_marks(session: Session, company_ids: Iterable[int]) -> dict[int, int]:
    """company id -> the last valuation entry posted (or left out) in it, 0 for none: one index lookup each."""
    return {company_id: session.scalar(select(func.max(PostedValuation.valuation_entry_id))
                                       .where(PostedValuation.company_id == company_id)) or 0
            for company_id in company_ids}


def post_pending(session: Session, company_ids: Iterable[int] | None = None, *, move_ids: Iterable[int] = (),
                 sweep: bool = False) -> list:
    """Post the valuation entries not in the ledger yet (of ``company_ids``, default all): those above each
    company's high-water mark and those of ``move_ids``, or (``sweep``) all of them; return the journal
    entries made."""
    with system_rows(session) as system:
        if company_ids is None:
            company_ids = system.scalars(select(Company.id))
        company_ids = set(company_ids)
        source, dest = aliased(Location), aliased(Location)
        query = (select(ValuationEntry.id, ValuationEntry.company_id, ValuationEntry.date, ValuationEntry.value,
                        ValuationEntry.product_id, Product.code, source.kind.label("source_kind"),
                        dest.kind.label("dest_kind"))
                 .join(Product, Product.id == ValuationEntry.product_id)
                 .outerjoin(StockMove, StockMove.id == ValuationEntry.move_id)
                 .outerjoin(source, source.id == StockMove.source_location_id)
                 .outerjoin(dest, dest.id == StockMove.dest_location_id)
                 .outerjoin(PostedValuation, PostedValuation.valuation_entry_id == ValuationEntry.id)
                 .where(PostedValuation.valuation_entry_id.is_(None), ValuationEntry.value != 0,
                        ValuationEntry.company_id.in_(company_ids))
                 .order_by(ValuationEntry.date, ValuationEntry.id))
        if not sweep:
            marks = high_water_marks(system, company_ids)
            query = query.where(or_(
                ValuationEntry.move_id.in_(set(move_ids)) if move_ids else false(),
                *(and_(ValuationEntry.company_id == company_id, ValuationEntry.id > mark)
                  for company_id, mark in marks.items())))
        by_day = defaultdict(list)
        for row in system.execute(query):
            by_day[row.company_id, row.date.date()].append(row)
        made = []
        for (company_id, day), rows in sorted(by_day.items()):
            accounts = stock_accounts(system, company_id)
            if accounts is None:
                continue  # no books yet: what accounting arrives to is posted then
            move = _entry(system, accounts, day, rows)
            system.add_all(PostedValuation(valuation_entry_id=row.id, move_id=move and move.id,
                                           company_id=company_id) for row in rows)
            system.flush()
            if move is not None:
                made.append(move)
        return made


def _counterpart(accounts, source_kind: str | None, dest_kind: str | None, value: Decimal) -> int:
    if value > 0 and source_kind == SUPPLIER or value < 0 and dest_kind == SUPPLIER:
        return accounts.input_account_id
    if CUSTOMER in (source_kind, dest_kind):
        return accounts.output_account_id
    return accounts.adjustment_account_id


def _entry(session: Session, accounts, day, rows):
    """One posted entry for ``rows`` (valuation entries of one company and day): per product and counterpart,
    the stock account against the counterpart, rounded to the company currency; None when all round to 0."""
    places = decimals(session, company_currency(session, accounts.company_id))
    totals: dict[tuple, Decimal] = defaultdict(Decimal)
    for row in rows:
        counterpart = _counterpart(accounts, row.source_kind, row.dest_kind, row.value)
        totals[row.code, counterpart] += row.value
    lines = []
    for (code, counterpart), value in sorted(totals.items()):
        amount = round_amount(abs(value), places)
        if not amount:
            continue
        name = gettext("Stock valuation of %(product)s", product=code)
        into_stock = value > 0
        lines.append(LineSpec(accounts.stock_account_id, debit=amount if into_stock else Decimal(0),
                              credit=Decimal(0) if into_stock else amount, name=name))
        lines.append(LineSpec(counterpart, debit=Decimal(0) if into_stock else amount,
                              credit=amount if into_stock else Decimal(0), name=name))
    if not lines:
        return None  # every value rounds to nothing in the company's currency
    journal = session.get(Journal, accounts.journal_id)
    return post_move(session, create_move(session, journal, date=day, lines=lines, ref=gettext("Stock valuation"),
                                          origin="stock"))
