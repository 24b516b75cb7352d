"""Quants: what is where, written set-wise by the move services, read with one query.

A quant holds a product's quantity on hand and reserved in a held location
(internal or transit), per lot. Only :mod:`.moves` and :mod:`.counts` change
them, after checking the user's rights on the moves: one upsert per batch adds
every change, keyed by (product, location, lot_key), on PostgreSQL and SQLite
alike. Reservation locks the quants it reads (``SELECT ... FOR UPDATE``; on
SQLite that takes the database's write lock), so two transactions reserving the
last unit wait for each other instead of both taking it.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from sqlalchemy import and_, func, or_, select, tuple_
from sqlalchemy.orm import Session

from core.bulk import ID_CHUNK

from ..models import Location, Quant
from ..models.locations import HELD

_quants = Quant.__table__

#: (product_id, location_id, lot_id or None) -> (quantity change, reserved change)
Changes = Mapping[tuple[int, int, int | None], tuple[Decimal, Decimal]]


def held_locations(session: Session, *, location_ids: Iterable[int]) -> set[int]:
    """Which of ``location_ids`` hold stock the company follows (internal or transit)."""
    ids = set(location_ids)
    if not ids:
        return set()
    table = Location.__table__
    return set(session.connection().execute(
        select(table.c.id).where(table.c.id.in_(ids), table.c.kind.in_(HELD))).scalars())


def lock_quants(session: Session, *, pairs: Iterable[tuple[int, int]]) -> list:
    """The quants of (product, location) ``pairs``, locked until the transaction ends, in id order (so
    transactions locking overlapping sets queue instead of deadlocking)."""
    pairs = sorted(set(pairs))
    found = []
    for first in range(0, len(pairs), ID_CHUNK):
        chunk = pairs[first:first + ID_CHUNK]
        statement = (select(_quants.c.id, _quants.c.product_id, _quants.c.location_id, _quants.c.lot_id,
                            _quants.c.quantity, _quants.c.reserved)
                     .where(tuple_(_quants.c.product_id, _quants.c.location_id).in_(chunk))
                     .order_by(_quants.c.id).with_for_update())
        found += session.connection().execute(statement).all()
    return found


def apply_changes(session: Session, *, company_id_of: Mapping[int, int], changes: Changes) -> None:
    """Add ``changes`` to the quants, creating the missing ones (one upsert). ``company_id_of`` maps a
    location to its company."""
    rows = [{"product_id": product_id, "location_id": location_id, "lot_id": lot_id, "lot_key": lot_id or 0,
             "company_id": company_id_of[location_id], "quantity": quantity, "reserved": reserved}
            for (product_id, location_id, lot_id), (quantity, reserved) in changes.items()
            if quantity or reserved]
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(_quants)
    statement = statement.on_conflict_do_update(
        index_elements=[_quants.c.product_id, _quants.c.location_id, _quants.c.lot_key],
        set_={"quantity": _quants.c.quantity + statement.excluded.quantity,
              "reserved": _quants.c.reserved + statement.excluded.reserved})
    connection.execute(statement, rows)


def quants_below(session: Session, *, keys: Iterable[tuple[int, int, int | None]], product_ids: set[int]) -> list:
    """Among the quants of ``keys``, those of ``product_ids`` holding less than nothing or less than they reserve."""
    keys = [(product, location, lot or 0) for product, location, lot in keys if product in product_ids]
    found = []
    for first in range(0, len(keys), ID_CHUNK):
        chunk = keys[first:first + ID_CHUNK]
        found += session.connection().execute(
            select(_quants.c.product_id, _quants.c.location_id, _quants.c.lot_id, _quants.c.quantity,
                   _quants.c.reserved)
            .where(tuple_(_quants.c.product_id, _quants.c.location_id, _quants.c.lot_key).in_(chunk),
                   or_(_quants.c.quantity < 0, _quants.c.quantity < _quants.c.reserved))).all()
    return found


def on_hand(session: Session, *, product_ids: Iterable[int], location_ids: Iterable[int] | None = None) -> dict:
    """product id -> (quantity on hand, reserved) in held locations (``location_ids`` only, when given):
    one query, through the session, so the user's companies bound it."""
    held = select(Location.id).where(Location.kind.in_(HELD))
    conditions = [Quant.product_id.in_(set(product_ids)), Quant.location_id.in_(held)]
    if location_ids is not None:
        conditions.append(Quant.location_id.in_(set(location_ids)))
    rows = session.execute(select(Quant.product_id, func.sum(Quant.quantity), func.sum(Quant.reserved))
                           .where(and_(*conditions)).group_by(Quant.product_id))
    return {product_id: (quantity, reserved) for product_id, quantity, reserved in rows}
