"""Valuation services: value done moves, recompute a product, say what stock is worth at a date.

:func:`value_done_moves` is what the done path calls once per batch. It works
per (company, product): the running totals (one locked row each), under
FIFO the open layers page by page as the issues need them, and writes what
changed with :mod:`core.bulk`. A move dated before the last one valued for
its product is a back-dated move: :func:`_replay` takes back what the moves
from its date on did (their entries' totals, their layer uses) and values
them again in date order with it, writing the differences.
"""
from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from addons.products.models import Product
from core.bulk import collector_paused, ids_of, update_rows
from core.db import utcnow
from core.errors import AccessDenied
from core.sessions import system_rows

from ..models import StockMove, ValuationEntry, ValuationState
from ..models.moves import DONE
from ..models.products import FIFO, STANDARD
from ..models.valuation import REVALUE
from . import store
from .engine import ZERO, Book, Entry, round6


@dataclass(frozen=True)
class CostChange:
    """A move whose unit cost changed: ``old`` None when it had none."""

    move_id: int
    date: dt.datetime
    old: Decimal | None
    new: Decimal


def value_done_moves(session: Session, moves: Sequence) -> list[CostChange]:
    """Value done moves (instances, or any rows with an ``id``): each gets its unit cost, the ledger its
    entries, FIFO its layers, the products their cost. Moves dated before others valued already re-value
    those that follow them. Returns the moves whose unit cost changed."""
    ids = ids_of(moves)
    if not ids:
        return []
    with collector_paused(), system_rows(session) as system:
        rows = [row for row in store.move_rows(system, ids) if row.state == DONE]
        settings = store.product_settings(system, {row.product_id for row in rows})
        grouped, others = store.facts(system, rows, settings)
        states = store.lock_states(system, grouped, settings)
        books, old, rows_by_id, last_keys = {}, {}, {row.id: row for row in rows}, {}
        for key, found in grouped.items():
            state, setting = states[key], settings[key[1]]
            last = (state.last_date, state.last_move_id) if state.last_date is not None else None
            if last is None or found[0].key > last or setting.method == STANDARD:
                books[key] = _book(system, key, setting.method, state, found)
            else:
                books[key], old[key], replayed = _replay(system, key, setting, state, found[0].key, {
                    fact.move_id for fact in found})
                rows_by_id.update(replayed)
            last_keys[key] = max(filter(None, (last, found[-1].key)))
        changes = store.write(system, books, old, rows_by_id, states, last_keys)
        _carry_costs(system, books, settings, others, rows_by_id)
    _expire(session, rows_by_id, {key[1] for key in books})
    return [CostChange(move_id, rows_by_id[move_id].date, before, after) for move_id, before, after in changes]


def _book(system: Session, key, method: str, state, found) -> Book:
    book = Book(method, state.quantity, state.value, state.cost)
    if method == FIFO:
        book.more = store.layer_pages(system, key, max(store.PAGE, 2 * len(found)))
        book.opened_by = store.layer_opener(system, key)
    for fact in found:
        book.apply(fact)
    return book


def _replay(system: Session, key, setting, state, since, fresh: set[int]):
    """Value again the moves of (company, product) ``key`` from ``since`` on (None: every done move), with the
    ``fresh`` ones: the book, the ledger's totals of those moves before, and their rows."""
    old = store.entry_totals(system, key, since)
    valued = {move_id for move_id, _kind in old}
    ids = valued | fresh | (set(store.done_move_ids(system, *key)) if since is None else set())
    rows = [row for row in store.move_rows(system, ids) if row.state == DONE]
    grouped, _others = store.facts(system, rows, {key[1]: setting}, valued)
    quantity = state.quantity - sum((total[0] for total in old.values()), ZERO)
    value = state.value - sum((total[1] for total in old.values()), ZERO)
    if since is None:
        cost = setting.cost
    elif quantity != 0 and setting.method != FIFO:
        cost = value / quantity
    else:
        cost = store.cost_before(system, key, since, setting.method)
        cost = setting.cost if cost is None else cost
    book = Book(setting.method, quantity, value, cost)
    if since is None and setting.method != STANDARD and value:
        book.value = ZERO  # revaluations by hand (under another method) give way to the replayed history
        book.entries.append(Entry(None, utcnow(), REVALUE, ZERO, ZERO, -value))
    if setting.method == FIFO:
        layers = store.layers_at(system, key, since)
        book.layers = deque(layers)
        book.touched = {layer.id: layer for layer in layers}
        book.known = dict(book.touched)
    for fact in grouped.get(key, ()):
        book.apply(fact)
    return book, old, {row.id: row for row in rows}


def _carry_costs(system: Session, books: dict, settings: dict, others: dict, rows_by_id: dict) -> None:
    """Products take the cost their method gives; moves not valued (internal, consumables) carry the product's
    cost."""
    costs = {product_id: setting.cost for product_id, setting in settings.items()}
    changed = {}
    for (_company, product_id), book in books.items():
        if book.method != STANDARD and book.product_cost != settings[product_id].cost:
            changed[product_id] = {"cost": book.product_cost}
            costs[product_id] = book.product_cost
    update_rows(system, Product, changed)
    update_rows(system, StockMove, {move_id: {"unit_cost": round6(costs[rows_by_id[move_id].product_id])}
                                    for move_id in others if rows_by_id[move_id].unit_cost is None})


def _expire(session: Session, rows_by_id: dict, product_ids: set[int]) -> None:
    """Objects the user's session holds whose rows valuation changed."""
    from sqlalchemy.orm.util import identity_key

    for model, ids in ((StockMove, rows_by_id), (Product, product_ids)):
        for record_id in ids:
            obj = session.identity_map.get(identity_key(model, record_id))
            if obj is not None:
                session.expire(obj)


def recompute_cost(session: Session, product: Product) -> list[CostChange]:
    """Replay every done move of ``product`` in date order under its method, as if valued for the first time;
    return the moves whose unit cost changed (a stock manager's action)."""
    actor = session.info.get("actor")
    if actor is not None and not session.info["registry"].can(actor, ValuationState, "write"):
        raise AccessDenied(gettext("Only stock managers recompute costs."))
    with collector_paused(), system_rows(session) as system:
        settings = store.product_settings(system, [product.id])
        setting = settings[product.id]
        companies = system.connection().execute(select(StockMove.__table__.c.company_id).where(
            StockMove.__table__.c.product_id == product.id, StockMove.__table__.c.state == DONE).distinct()).scalars()
        keys = [(company_id, product.id) for company_id in companies]
        states = store.lock_states(system, keys, settings)
        books, old, rows_by_id, last_keys = {}, {}, {}, {}
        for key in keys:
            books[key], old[key], replayed = _replay(system, key, setting, states[key], None, set())
            rows_by_id.update(replayed)
            last = max(((row.date, row.id) for row in replayed.values()), default=(None, None))
            last_keys[key] = last
        changes = store.write(system, books, old, rows_by_id, states, last_keys)
        _carry_costs(system, books, settings, {}, rows_by_id)
    _expire(session, rows_by_id, {product.id})
    return sorted((CostChange(move_id, rows_by_id[move_id].date, before, after) for move_id, before, after in changes),
                  key=lambda change: (change.date, change.move_id))


def stock_value_at(session: Session, company_id: int, date: dt.datetime,
                 product_ids: Iterable[int] | None = None) -> dict[int, tuple[Decimal, Decimal]]:
    """product id -> (quantity, value) of the company's stock at ``date`` (the ledger up to it, one query;
    the session's user's companies bound it)."""
    statement = (select(ValuationEntry.product_id, func.sum(ValuationEntry.quantity), func.sum(ValuationEntry.value))
                 .where(ValuationEntry.company_id == company_id, ValuationEntry.date <= date)
                 .group_by(ValuationEntry.product_id))
    if product_ids is not None:
        statement = statement.where(ValuationEntry.product_id.in_(set(product_ids)))
    return {product_id: (quantity, value) for product_id, quantity, value in session.execute(statement)}
