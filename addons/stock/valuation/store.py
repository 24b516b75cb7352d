"""Reading what valuation needs and writing what a :class:`.engine.Book` computed, set-wise.

Reads go straight to the connection: the moves were checked by the service
that did them, and valuation records are written on behalf of whoever did
them (:func:`core.sessions.system_rows`), through :mod:`core.bulk`.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, delete, func, or_, select, true, tuple_
from sqlalchemy.orm import Session

from addons.products.models import GOODS, Product
from core.bulk import ID_CHUNK, insert_rows, update_rows

from ..models import Location, ProductStock, StockMove
from ..models.locations import HELD, SUPPLIER
from ..models.moves import DONE
from ..models.products import FIFO, STANDARD, STOCKABLE
from ..models.valuation import IN, OPEN_LAYERS, OUT, CostLayer, LayerUse, ValuationEntry, ValuationState
from ..services.rules import valuation_methods
from .engine import ZERO, Book, Fact, Layer, round6

_moves, _layers, _uses = StockMove.__table__, CostLayer.__table__, LayerUse.__table__
_entries, _states = ValuationEntry.__table__, ValuationState.__table__
_MOVE_COLUMNS = ("id", "company_id", "product_id", "product_quantity", "source_location_id", "dest_location_id", "date",
                 "unit_cost", "return_of_id", "state")
#: the first page of open layers read for a product, doubled for each further page
PAGE = 64

Key = tuple[int, int]  # (company id, product id)
Since = tuple[dt.datetime, int] | None  # (date, move id) a replay starts at; None: the whole history


@dataclass(frozen=True)
class ProductSetting:
    method: str
    valued: bool
    cost: Decimal


def chunks(ids: Sequence) -> Iterable[Sequence]:
    for first in range(0, len(ids), ID_CHUNK):
        yield ids[first:first + ID_CHUNK]


def move_rows(session: Session, ids: Iterable[int]) -> list:
    """The rows of the moves ``ids`` (the columns valuation needs)."""
    ids, found = sorted(set(ids)), []
    for chunk in chunks(ids):
        found += session.connection().execute(
            select(*(_moves.c[name] for name in _MOVE_COLUMNS)).where(_moves.c.id.in_(chunk))).all()
    return found


def done_move_ids(session: Session, company_id: int, product_id: int) -> list[int]:
    return list(session.connection().execute(select(_moves.c.id).where(
        _moves.c.product_id == product_id, _moves.c.state == DONE, _moves.c.company_id == company_id)).scalars())


def location_kinds(session: Session, rows) -> dict[int, str]:
    ids = {row.source_location_id for row in rows} | {row.dest_location_id for row in rows}
    table = Location.__table__
    return dict(session.connection().execute(select(table.c.id, table.c.kind).where(table.c.id.in_(ids))).all())


def product_settings(session: Session, product_ids: Iterable[int]) -> dict[int, ProductSetting]:
    """product id -> its valuation method (:func:`..services.rules.valuation_methods`), whether its moves are
    valued (stockable goods) and its cost."""
    ids, found = sorted(set(product_ids)), {}
    methods = valuation_methods(session, product_ids=ids) if ids else {}
    products, stock = Product.__table__, ProductStock.__table__
    for chunk in chunks(ids):
        for product_id, kind, cost, stock_type in session.connection().execute(
                select(products.c.id, products.c.kind, products.c.cost, stock.c.stock_type)
                .outerjoin(stock, stock.c.product_id == products.c.id).where(products.c.id.in_(chunk))):
            found[product_id] = ProductSetting(methods[product_id], kind == GOODS and stock_type in (None, STOCKABLE),
                                               cost or ZERO)
    return found


def facts(session: Session, rows, settings: dict[int, ProductSetting], valued: set[int] = frozenset()
          ) -> tuple[dict[Key, list[Fact]], dict[int, None]]:
    """The moves of ``rows`` that enter or leave their company's stock, as facts grouped by (company,
    product); and the other moves (internal, or of products whose stock is not valued), to carry the
    product's cost. ``valued``: the moves valued already (under the standard method they keep their cost)."""
    kinds = location_kinds(session, rows)
    returned = {row.return_of_id for row in rows if row.return_of_id is not None}
    returned_costs = {row.id: row.unit_cost for row in move_rows(session, returned)} if returned else {}
    grouped: dict[Key, list[Fact]] = defaultdict(list)
    others = {}
    for row in rows:
        setting = settings[row.product_id]
        held_from, held_to = kinds[row.source_location_id] in HELD, kinds[row.dest_location_id] in HELD
        if not setting.valued or held_from == held_to:
            others[row.id] = None
            continue
        direction = IN if held_to else OUT
        if setting.method == STANDARD:
            cost = row.unit_cost if row.id in valued else None
        elif direction == IN:
            cost = row.unit_cost if row.unit_cost is not None else returned_costs.get(row.return_of_id)
        else:
            cost = None
        grouped[row.company_id, row.product_id].append(
            Fact(row.id, row.date, row.product_quantity, direction, cost, kinds[row.source_location_id] == SUPPLIER,
                 row.return_of_id if direction == OUT else None))
    for found in grouped.values():
        found.sort(key=lambda fact: fact.key)
    return grouped, others


# --- the running totals ---


def lock_states(session: Session, keys: Iterable[Key], settings: dict[int, ProductSetting]) -> dict[Key, object]:
    """The totals of each (company, product), created when missing (at the product's cost), locked until the
    transaction ends."""
    keys = sorted(set(keys))
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    if keys:
        connection.execute(insert(_states).on_conflict_do_nothing(index_elements=["company_id", "product_id"]),
                           [{"company_id": company_id, "product_id": product_id, "quantity": ZERO, "value": ZERO,
                             "cost": settings[product_id].cost} for company_id, product_id in keys])
    found = {}
    for chunk in chunks(keys):
        for row in connection.execute(select(_states).where(tuple_(_states.c.company_id, _states.c.product_id).in_(chunk))
                                      .order_by(_states.c.id).with_for_update()):
            found[row.company_id, row.product_id] = row
    return found


def _at_or_after(table, since: Since):
    if since is None:
        return true()
    date, move_id = since
    return or_(table.c.date > date, and_(table.c.date == date, table.c.move_id >= move_id))


def _before(table, since: tuple[dt.datetime, int]):
    date, move_id = since
    return or_(table.c.date < date, and_(table.c.date == date, table.c.move_id < move_id))


def _of(table, key: Key):
    return and_(table.c.company_id == key[0], table.c.product_id == key[1])


# --- FIFO layers ---


def _layer(row, remaining: Decimal | None = None) -> Layer:
    return Layer(row.id, row.move_id, row.date, row.quantity, row.unit_cost,
                 row.remaining if remaining is None else remaining, row.remaining)


def layer_pages(session: Session, key: Key, size: int):
    """A function reading the next page of the product's open layers, oldest first, each call."""
    connection, last, pages = session.connection(), [None], [size]

    def more() -> list[Layer]:
        statement = select(_layers).where(_of(_layers, key), OPEN_LAYERS)
        if last[0] is not None:
            date, move_id, layer_id = last[0]
            statement = statement.where(or_(_layers.c.date > date, and_(_layers.c.date == date, or_(
                _layers.c.move_id > move_id, and_(_layers.c.move_id == move_id, _layers.c.id > layer_id)))))
        rows = connection.execute(statement.order_by(_layers.c.date, _layers.c.move_id, _layers.c.id)
                                  .limit(pages[0])).all()
        pages[0] *= 2
        if rows:
            last[0] = (rows[-1].date, rows[-1].move_id, rows[-1].id)
        return [_layer(row) for row in rows]

    return more


def layer_opener(session: Session, key: Key):
    """A function reading the open layer a move opened (None when there is none)."""
    connection = session.connection()

    def opened_by(move_id: int) -> Layer | None:
        row = connection.execute(select(_layers).where(_of(_layers, key), _layers.c.move_id == move_id,
                                                       _layers.c.remaining > 0).order_by(_layers.c.id).limit(1)).first()
        return None if row is None else _layer(row)

    return opened_by


def layers_at(session: Session, key: Key, since: Since) -> list[Layer]:
    """The layers open just before ``since``, with what they had left then (what the moves from ``since`` on
    took or settled given back); the layers and uses of those moves are deleted, as they are replayed."""
    connection = session.connection()
    used = dict(connection.execute(select(_uses.c.layer_id, func.sum(_uses.c.quantity)).where(
        _of(_uses, key), _at_or_after(_uses, since)).group_by(_uses.c.layer_id)).all())
    rows = {}
    if since is not None:
        earlier = and_(_of(_layers, key), _before(_layers, since))
        rows = {row.id: row for row in connection.execute(select(_layers).where(earlier, OPEN_LAYERS))}
        missing = sorted(set(used) - set(rows))
        for chunk in chunks(missing):
            rows.update((row.id, row) for row in connection.execute(
                select(_layers).where(earlier, _layers.c.id.in_(chunk))))
    connection.execute(delete(_uses).where(_of(_uses, key), _at_or_after(_uses, since)))
    connection.execute(delete(_layers).where(_of(_layers, key), _at_or_after(_layers, since)))
    found = [_layer(row, row.remaining - used.get(row.id, ZERO)) for row in rows.values()]
    return sorted((layer for layer in found if layer.remaining != 0 or layer.remaining != layer.stored),
                  key=lambda layer: (layer.date, layer.move_id, layer.id))


# --- entries ---


def entry_totals(session: Session, key: Key, since: Since) -> dict[tuple[int, str], tuple[Decimal, Decimal]]:
    """(move, kind) -> (quantity, value) of the entries of the moves from ``since`` on."""
    rows = session.connection().execute(
        select(_entries.c.move_id, _entries.c.kind, func.sum(_entries.c.quantity), func.sum(_entries.c.value))
        .where(_of(_entries, key), _entries.c.move_id.is_not(None), _at_or_after(_entries, since))
        .group_by(_entries.c.move_id, _entries.c.kind))
    return {(move_id, kind): (quantity, value) for move_id, kind, quantity, value in rows}


def cost_before(session: Session, key: Key, since: tuple[dt.datetime, int], method: str) -> Decimal | None:
    """The unit cost of the last entry before ``since`` (of a receipt, under FIFO)."""
    kinds = (IN,) if method == FIFO else (IN, OUT)
    return session.connection().execute(
        select(_entries.c.unit_cost).where(_of(_entries, key), _before(_entries, since), _entries.c.kind.in_(kinds))
        .order_by(_entries.c.date.desc(), _entries.c.move_id.desc(), _entries.c.id.desc()).limit(1)).scalar()


# --- writing ---


def write(system: Session, books: dict[Key, Book], old_entries: dict[Key, dict], rows_by_id: dict[int, object],
          states: dict[Key, object], last_keys: dict[Key, tuple]) -> list[tuple[int, Decimal | None, Decimal]]:
    """Write what the books computed; return (move id, old unit cost, new unit cost) of the moves whose unit
    cost changed."""
    opened = [layer for book in books.values() for layer in book.opened]
    ids = insert_rows(system, CostLayer, [
        {"company_id": key[0], "product_id": key[1], "move_id": layer.move_id, "date": layer.date,
         "quantity": layer.quantity, "unit_cost": round6(layer.unit_cost), "remaining": layer.remaining}
        for key, book in books.items() for layer in book.opened])
    for layer, layer_id in zip(opened, ids, strict=True):
        layer.id = layer_id
    update_rows(system, CostLayer, {layer.id: {"remaining": layer.remaining} for book in books.values()
                                    for layer in book.touched.values() if layer.remaining != layer.stored})
    insert_rows(system, LayerUse, [
        {"company_id": key[0], "product_id": key[1], "layer_id": use.layer.id, "move_id": use.move_id,
         "date": use.date, "quantity": use.quantity} for key, book in books.items() for use in book.uses])
    insert_rows(system, ValuationEntry, [row for key, book in books.items()
                                         for row in _entry_rows(key, book, old_entries.get(key, {}), rows_by_id)])
    changed = [(move_id, rows_by_id[move_id].unit_cost, cost) for book in books.values()
               for move_id, cost in book.costs.items() if rows_by_id[move_id].unit_cost != cost]
    update_rows(system, StockMove, {move_id: {"unit_cost": cost} for move_id, _old, cost in changed})
    update_rows(system, ValuationState, {
        states[key].id: {"quantity": book.quantity, "value": book.value, "cost": round6(book.cost),
                         "last_date": last_keys[key][0], "last_move_id": last_keys[key][1]}
        for key, book in books.items()})
    return changed


def _entry_rows(key: Key, book: Book, old: dict, rows_by_id: dict) -> list[dict]:
    """One entry per (move, kind) whose quantity or value differs from what the ledger holds: a new move's
    entries, a re-valued move's differences."""
    new: dict[tuple, list] = {}
    for entry in book.entries:
        total = new.setdefault((entry.move_id, entry.kind), [ZERO, ZERO, entry.unit_cost, entry.date])
        total[0] += entry.quantity
        total[1] += entry.value
    rows = []
    for move_key in sorted(set(new) | set(old), key=lambda pair: (pair[0] or 0, pair[1])):
        quantity, value, unit_cost, date = new.get(move_key, (ZERO, ZERO, None, None))
        old_quantity, old_value = old.get(move_key, (ZERO, ZERO))
        if quantity == old_quantity and value == old_value:
            continue
        move_id, kind = move_key
        if date is None:
            date, unit_cost = rows_by_id[move_id].date, book.costs.get(move_id, ZERO)
        rows.append({"company_id": key[0], "product_id": key[1], "move_id": move_id, "date": date, "kind": kind,
                     "quantity": quantity - old_quantity, "unit_cost": unit_cost, "value": value - old_value})
    return rows
