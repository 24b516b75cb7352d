"""Moves, a list at a time: create, confirm, reserve, unreserve, cancel, done.

Every service takes a list of moves (one move is a list of one) and works on
the whole list with set-wise statements: the moves' rows are read with one
query, written with :mod:`core.bulk` (access, record rules and audit for the
batch), and the quants changed with one upsert (:mod:`.quants`). A refusal
names the product and writes nothing (each service runs in a savepoint).

Rules:

- a move reserves from its source location and every location under it (a
  delivery from WH/Stock takes what WH/Stock/Shelf 1 holds), when the source
  is held (internal or transit) and the product is stockable; other moves
  are ready as soon as confirmed. The source itself goes first, then the
  locations under it, in the order of the tree;
- a move reserves at one place, of one lot: what it takes elsewhere (a
  location under its source, a lot when it names none) is split off, one
  move per place and lot, whose source is where the goods are; the rest
  waits at the source. Unreserving gives a move its transfer's source back;
- a product tracked by lots or serials reserves from its lots, earliest
  expiry first;
- ``done`` reserves what is not reserved yet; what no stock covers is
  refused unless the product allows negative stock;
- a move into a location with a capacity that it would exceed is refused, or
  accepted with a warning, as the location (else the company's settings) says;
- a serial number is one unit: a move of a serial-tracked product moves one
  unit, and a serial is never in stock twice;
- a done move is valued (``valuation.services.value_done_moves``): its ``unit_cost``, per unit of the
  product's own unit, is the one a receipt was given (a purchase price), else the valuation's.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from addons.products.models import Uom
from addons.products.units import check_quantity, convert
from core.bulk import ID_CHUNK, collector_paused, insert_rows, update_rows
from core.db import utcnow
from core.errors import ValidationError

from ..models import Location, Lot, StockMove, Transfer
from ..models.moves import CANCELLED, DONE, DRAFT, READY, WAITING
from ..valuation.services import value_done_moves
from . import capacity
from .kits import kit_rows
from .lots import serials_held_twice
from .quants import apply_changes, held_locations, lock_quants, quants_below
from .rules import ProductRule, number, product_rules
from .rules import refuse as _refuse
from .tree import subtrees

_moves = StockMove.__table__
_COLUMNS = ("id", "company_id", "transfer_id", "product_id", "quantity", "uom_id", "product_quantity", "reserved",
            "source_location_id", "dest_location_id", "lot_id", "state", "unit_cost", "return_of_id")
#: what a move split off another keeps of it
_KEPT = ("company_id", "transfer_id", "product_id", "dest_location_id", "unit_cost", "return_of_id")
#: quantities are stored with four decimals; a conversion is rounded to them
PLACES = Decimal("0.0001")
ZERO = Decimal(0)


def _rows(session: Session, moves: Sequence[StockMove], more_ids=()) -> list:
    """The current rows of ``moves`` and of the moves ``more_ids`` (the columns the services need), in id
    order, read with one query per chunk."""
    session.flush()
    ids = sorted({inspect(move).identity[0] for move in moves} | set(more_ids))  # no load of expired moves
    found = []
    for first in range(0, len(ids), ID_CHUNK):
        found += session.connection().execute(
            select(*(_moves.c[name] for name in _COLUMNS)).where(_moves.c.id.in_(ids[first:first + ID_CHUNK]))
            .order_by(_moves.c.id)).all()
    return found


def create_moves(session: Session, company_id: int, lines: Sequence[Mapping], *,
                 transfer: Transfer | None = None) -> list[int]:
    """Draft moves from ``lines`` (product_id, quantity, optional uom_id (default: the product's unit),
    source_location_id, dest_location_id (default: the transfer's), lot_id, unit_cost (what a receipt costs,
    per unit of the product's unit)); return their ids, in order. A kit's line becomes a move per component
    (:mod:`.kits`)."""
    rows = []
    for line in lines:
        row = {"company_id": company_id, "product_id": line.get("product_id"), "state": DRAFT,
               "quantity": line.get("quantity"), "uom_id": line.get("uom_id"), "lot_id": line.get("lot_id"),
               "source_location_id": line.get("source_location_id") or (transfer and transfer.source_location_id),
               "dest_location_id": line.get("dest_location_id") or (transfer and transfer.dest_location_id),
               "transfer_id": transfer.id if transfer is not None else None,
               "return_of_id": line.get("return_of_id"), "unit_cost": line.get("unit_cost")}
        rows.append(row)
    _check_lines(session, company_id, rows)
    components = kit_rows(session, company_id, rows)
    if components is not None:
        rows = components
        _check_lines(session, company_id, rows)
    with collector_paused(), session.begin_nested():
        return insert_rows(session, StockMove, rows)


def _check_lines(session: Session, company_id: int, rows: list[dict]) -> None:
    rules = product_rules(session, product_ids={row["product_id"] for row in rows
                                                if isinstance(row["product_id"], int)})
    locations = {location_id for row in rows for location_id in (row["source_location_id"], row["dest_location_id"])}
    known = dict(session.execute(select(Location.id, Location.company_id).where(Location.id.in_(locations))).all())
    lots = {row["lot_id"] for row in rows if row["lot_id"] is not None}
    lot_products = dict(session.execute(select(Lot.id, Lot.product_id).where(Lot.id.in_(lots))).all()) if lots else {}
    wanted = {row["uom_id"] for row in rows} | {rule.uom_id for rule in rules.values()}
    units = {unit.id: unit for unit in session.scalars(select(Uom).where(Uom.id.in_(wanted - {None})))}
    for position, row in enumerate(rows, 1):
        rule = rules.get(row["product_id"])
        if rule is None:
            raise ValidationError(gettext("Move %(position)s: choose a product.", position=position), "product_id")
        quantity = row["quantity"]
        if not isinstance(quantity, Decimal | int) or isinstance(quantity, bool) or quantity <= 0:
            raise _refuse(rule, gettext("the quantity must be more than zero."))
        row["uom_id"] = row["uom_id"] or rule.uom_id
        row["quantity"], row["product_quantity"] = _in_units(rule, Decimal(quantity), units.get(row["uom_id"]),
                                                             units[rule.uom_id])
        if rule.serial and row["product_quantity"] != 1 and row["lot_id"] is not None:
            raise _refuse(rule, gettext("a serial number is one unit: move it with a quantity of 1."))
        for name in ("source_location_id", "dest_location_id"):
            if known.get(row[name]) != company_id:
                raise _refuse(rule, gettext("choose a location of the company."), name)
        if row["source_location_id"] == row["dest_location_id"]:
            raise _refuse(rule, gettext("a move goes to another location than the one it leaves."),
                          "dest_location_id")
        if row["lot_id"] is not None and lot_products.get(row["lot_id"]) != row["product_id"]:
            raise _refuse(rule, gettext("the lot belongs to another product."), "lot_id")
        cost = row["unit_cost"]
        if cost is not None and (not isinstance(cost, Decimal | int) or isinstance(cost, bool) or cost < 0):
            raise _refuse(rule, gettext("the unit cost cannot be negative."), "unit_cost")


def _in_units(rule: ProductRule, quantity: Decimal, unit: Uom | None, own: Uom) -> tuple[Decimal, Decimal]:
    """``quantity`` of ``unit`` checked (whole units take no fractions) and converted to the product's unit
    ``own``; a unit without a conversion is refused."""
    if unit is None:
        raise _refuse(rule, gettext("choose a unit of measure."), "uom_id")
    try:
        check_quantity(quantity, unit)
        converted = convert(quantity, unit, own, "uom_id").quantize(PLACES)
        if own.whole and unit.id != own.id:
            check_quantity(converted, own)
    except ValidationError as error:
        raise _refuse(rule, str(error), error.field) from None
    return quantity, converted


def confirm(session: Session, moves: Sequence[StockMove]) -> None:
    """Draft moves become waiting, then reserve what they can."""
    with collector_paused(), session.begin_nested():
        rows = _rows(session, moves)
        drafts = [row for row in rows if row.state == DRAFT]
        update_rows(session, StockMove, {row.id: {"state": WAITING} for row in drafts})
        _reserve(session, _rows(session, moves), strict=False)
        sync_transfers(session, transfer_ids={row.transfer_id for row in rows})


def reserve(session: Session, moves: Sequence[StockMove]) -> None:
    """Reserve what stock there is for confirmed moves (a move not fully covered keeps waiting)."""
    with collector_paused(), session.begin_nested():
        rows = _rows(session, moves)
        _require_states(session, rows, (WAITING, READY), gettext("only confirmed moves are reserved."))
        _reserve(session, rows, strict=False)
        sync_transfers(session, transfer_ids={row.transfer_id for row in rows})


def _require_states(session: Session, rows, states, message: str) -> None:
    wrong = [row for row in rows if row.state not in states]
    if wrong:
        rule = product_rules(session, product_ids={wrong[0].product_id})[wrong[0].product_id]
        raise _refuse(rule, message, "state")


def _reserve(session: Session, rows, *, strict: bool) -> list[int]:
    """Reserve ``rows`` (confirmed moves) from the locked quants of their source locations; return the ids of
    the moves split off them.

    ``strict`` (the moves are done right after, in the same transaction): a move stock does not cover is refused,
    unless its product allows negative stock; drafts count as confirmed; nothing is written but the lots a
    tracked product's moves take (the moves leave at once, so what they would reserve is never held).
    """
    rows = [row for row in rows if row.state in ((DRAFT, WAITING, READY) if strict else (WAITING, READY))]
    rules = product_rules(session, product_ids={row.product_id for row in rows})
    held = held_locations(session, location_ids={row.source_location_id for row in rows})
    needy, updates = [], {}
    for row in rows:
        if row.source_location_id in held and rules[row.product_id].followed:
            needy.append(row)
        elif row.state != READY and not strict:
            updates[row.id] = {"state": READY}
    pool = _Pool(session, [row for row in needy if row.reserved < row.product_quantity])
    splits, reserved = [], defaultdict(lambda: [ZERO, ZERO])
    for row in needy:
        rule = rules[row.product_id]
        wanted = row.product_quantity - row.reserved
        taken = pool.take(row, wanted, rule.tracked) if wanted > 0 else []
        short = wanted - sum(amount for _location, _lot, amount in taken)
        if short > 0 and strict and not rule.allow_negative:
            raise _refuse(rule, _shortage(session, row, short))
        for location_id, lot_id, amount in taken:
            reserved[row.product_id, location_id, lot_id][1] += amount
        updates[row.id], extra = _allocation(row, rule, taken, short)
        splits += extra
    if strict:
        updates = {key: {name: value for name, value in values.items() if name not in ("reserved", "state")}
                   for key, values in updates.items()}
        splits = [{**split, "reserved": ZERO, "state": WAITING} for split in splits]
    else:
        _apply(session, reserved)
    update_rows(session, StockMove, {key: value for key, value in updates.items() if value})
    return insert_rows(session, StockMove, splits)


def _allocation(row, rule: ProductRule, taken: list, short: Decimal) -> tuple[dict, list[dict]]:
    """The move's new values once ``taken`` ((location, lot, amount)) is reserved for it, and the moves split
    off: one per other place or lot taken (ready, its source where the goods are), and what is short (waiting
    at the source). When the move is split, the parts count in the product's unit."""
    home = row.reserved + sum((amount for location_id, lot_id, amount in taken
                               if location_id == row.source_location_id and lot_id == row.lot_id), ZERO)
    away = [part for part in taken if part[:2] != (row.source_location_id, row.lot_id)]
    if not away:
        return {"reserved": home, "state": READY if short <= 0 else WAITING}, []
    parts = []
    if home > 0:
        parts.append((row.source_location_id, row.lot_id, home + short, home, READY if short <= 0 else WAITING))
        short = ZERO
    parts += [(location_id, lot_id, amount, amount, READY) for location_id, lot_id, amount in away]
    if short > 0:
        parts.append((row.source_location_id, row.lot_id, short, ZERO, WAITING))
    base = {name: getattr(row, name) for name in _KEPT}
    first, *others = [{**base, "source_location_id": location_id, "lot_id": lot_id, "quantity": quantity,
                       "product_quantity": quantity, "uom_id": rule.uom_id, "reserved": reserved, "state": state}
                      for location_id, lot_id, quantity, reserved, state in parts]
    return first, others


class _Pool:
    """The free quantity of the quants the moves reserve from (their source locations and the locations under
    them), locked; per move, its source first, then the locations under it, lots by earliest expiry."""

    def __init__(self, session: Session, rows):
        self.under = subtrees(session, location_ids={row.source_location_id for row in rows})
        quants = lock_quants(session, pairs={(row.product_id, location_id) for row in rows
                                             for location_id in self.under[row.source_location_id]})
        lots = {quant.lot_id for quant in quants if quant.lot_id is not None}
        lot_table = Lot.__table__
        expiry = dict(session.connection().execute(
            select(lot_table.c.id, lot_table.c.expiry_date).where(lot_table.c.id.in_(lots))).all()) if lots else {}
        self.free: dict = defaultdict(list)
        for quant in quants:
            self.free[quant.product_id, quant.location_id].append(
                [quant.lot_id, quant.quantity - quant.reserved, expiry.get(quant.lot_id) or dt.date.max])
        self.ordered: dict = {}

    def _candidates(self, product_id: int, source_id: int) -> list[tuple[int, list]]:
        """(location, entry) of what a move of ``product_id`` from ``source_id`` may take, in the order it takes
        them (the entries are shared: what one move takes, the next does not find)."""
        key = (product_id, source_id)
        if key not in self.ordered:
            places = self.under[source_id]
            rank = {location_id: position for position, location_id in enumerate(places)}
            found = [(location_id, entry) for location_id in places for entry in self.free[product_id, location_id]]
            self.ordered[key] = sorted(found, key=lambda pair: (pair[1][2], rank[pair[0]], pair[1][0] or 0))
        return self.ordered[key]

    def take(self, row, wanted: Decimal, tracked: bool) -> list[tuple[int, int | None, Decimal]]:
        taken = []
        for location_id, entry in self._candidates(row.product_id, row.source_location_id):
            lot_id, available, _expiry = entry
            if available <= 0 or (lot_id != row.lot_id if (row.lot_id is not None or not tracked) else lot_id is None):
                continue
            amount = min(available, wanted)
            entry[1] -= amount
            wanted -= amount
            taken.append((location_id, lot_id, amount))
            if wanted <= 0:
                break
        return taken


def _shortage(session: Session, row, short: Decimal) -> str:
    location = session.get(Location, row.source_location_id)
    return gettext("only %(available)s available at %(location)s, %(wanted)s asked.",
                   available=number(row.product_quantity - short), location=location.display_name,
                   wanted=number(row.product_quantity))


def _apply(session: Session, changes) -> None:
    """Add ``changes`` ((product, location, lot) -> [quantity, reserved]) to the quants."""
    apply_changes(session, company_id_of=_companies(session, changes),
                  changes={key: tuple(value) for key, value in changes.items()})


def _companies(session: Session, keys) -> dict[int, int]:
    """location id -> company id, for the locations of quant ``keys``."""
    ids = {location_id for _product, location_id, _lot in keys}
    if not ids:
        return {}
    table = Location.__table__
    return dict(session.connection().execute(select(table.c.id, table.c.company_id).where(table.c.id.in_(ids))).all())


def unreserve(session: Session, moves: Sequence[StockMove]) -> None:
    """Give back what the moves reserved; they wait again, at their transfer's source (not at the location
    under it they had reserved at)."""
    with collector_paused(), session.begin_nested():
        rows = _rows(session, moves)
        _require_states(session, rows, (WAITING, READY), gettext("only confirmed moves are unreserved."))
        _release(session, rows, WAITING)
        update_rows(session, StockMove, {move_id: {"source_location_id": source}
                                         for move_id, source in _asked_sources(session, rows).items()})
        sync_transfers(session, transfer_ids={row.transfer_id for row in rows})


def cancel(session: Session, moves: Sequence[StockMove]) -> None:
    """Cancel moves not done yet, giving back what they reserved."""
    with collector_paused(), session.begin_nested():
        rows = _rows(session, moves)
        _require_states(session, rows, (DRAFT, WAITING, READY, CANCELLED), gettext("a done move cannot be cancelled."))
        _release(session, [row for row in rows if row.state != CANCELLED], CANCELLED)
        sync_transfers(session, transfer_ids={row.transfer_id for row in rows})


def _asked_sources(session: Session, rows) -> dict[int, int]:
    """move id -> its transfer's source, for the moves reserved at a location under it."""
    transfers = Transfer.__table__
    ids = {row.transfer_id for row in rows if row.transfer_id is not None}
    sources = dict(session.connection().execute(
        select(transfers.c.id, transfers.c.source_location_id).where(transfers.c.id.in_(ids))).all()) if ids else {}
    under = {source: set(places) for source, places in subtrees(session, location_ids=sources.values()).items()}
    return {row.id: sources[row.transfer_id] for row in rows if row.transfer_id in sources
            and row.source_location_id != sources[row.transfer_id]
            and row.source_location_id in under[sources[row.transfer_id]]}


def _release(session: Session, rows, state: str) -> None:
    changes = defaultdict(lambda: [ZERO, ZERO])
    for row in rows:
        if row.reserved:
            changes[row.product_id, row.source_location_id, row.lot_id][1] -= row.reserved
    _apply(session, changes)
    update_rows(session, StockMove, {row.id: {"reserved": ZERO, "state": state} for row in rows})


def done(session: Session, moves: Sequence[StockMove], *, date: dt.datetime | None = None) -> list[str]:
    """Move the stock: drafts are confirmed, what is not reserved is reserved, the quants change.

    Returns the warnings to show (a location filled past its capacity where the policy is to warn).
    """
    with collector_paused(), session.begin_nested():
        rows = _rows(session, moves)
        _require_states(session, rows, (DRAFT, WAITING, READY), gettext("this move is done or cancelled already."))
        split = _reserve(session, rows, strict=True)
        rows = _rows(session, moves, split)
        rules = product_rules(session, product_ids={row.product_id for row in rows})
        _check_tracking(rows, rules)
        held = held_locations(session, location_ids={row.source_location_id for row in rows}
                              | {row.dest_location_id for row in rows})
        warnings = capacity.check(session, [row for row in rows if row.dest_location_id in held], rules=rules)
        changes = defaultdict(lambda: [ZERO, ZERO])
        for row in rows:
            if row.source_location_id in held:
                change = changes[row.product_id, row.source_location_id, row.lot_id]
                change[0] -= row.product_quantity
                change[1] -= row.reserved
            if row.dest_location_id in held:
                changes[row.product_id, row.dest_location_id, row.lot_id][0] += row.product_quantity
        _apply(session, changes)
        _check_quants(session, changes, rules)
        stamp = date or utcnow()
        update_rows(session, StockMove, {row.id: {"state": DONE, "date": stamp, "quantity_done": row.quantity,
                                                  "reserved": ZERO} for row in rows})
        value_done_moves(session, rows)
        sync_transfers(session, transfer_ids={row.transfer_id for row in rows}, date=stamp)
        session.info["registry"].hook.stock_moves_done(session=session, move_ids=[row.id for row in rows])
    return warnings


def _check_tracking(rows, rules: dict[int, ProductRule]) -> None:
    for row in rows:
        rule = rules[row.product_id]
        if rule.tracked and row.lot_id is None:
            raise _refuse(rule, gettext("choose its lot or serial number."), "lot_id")
        if rule.serial and row.product_quantity != 1:
            raise _refuse(rule, gettext("a serial number is one unit: move it with a quantity of 1."))


def _check_quants(session: Session, changes, rules: dict[int, ProductRule]) -> None:
    """Refuse stock gone below zero (or below what is reserved) for products that do not allow it, and a
    serial number in stock twice."""
    strict = {product_id for product_id, rule in rules.items() if rule.followed and not rule.allow_negative}
    below = quants_below(session, keys=changes, product_ids=strict)
    if below:
        product_id, _location, _lot, quantity, reserved = below[0]
        raise _refuse(rules[product_id], gettext(
            "not enough stock: this would leave %(quantity)s, with %(reserved)s reserved.",
            quantity=number(quantity), reserved=number(reserved)))
    serials = {lot_id for product_id, _location, lot_id in changes if rules[product_id].serial}
    if serials:
        twice = serials_held_twice(session, lot_ids=serials)
        if twice:
            product_id, name = twice[0]
            raise _refuse(rules[product_id], gettext("serial number %(serial)s is in stock already.", serial=name),
                          "lot_id")


def sync_transfers(session: Session, *, transfer_ids, date: dt.datetime | None = None) -> None:
    """Each transfer's state from its moves': all cancelled -> cancelled; all done or cancelled -> done (on
    ``date``, default now); all ready -> ready; confirmed moves -> waiting; else draft."""
    ids = {transfer_id for transfer_id in transfer_ids if transfer_id is not None}
    if not ids:
        return
    states = defaultdict(set)
    for transfer_id, state in session.connection().execute(
            select(_moves.c.transfer_id, _moves.c.state).where(_moves.c.transfer_id.in_(ids)).distinct()):
        states[transfer_id].add(state)
    current = dict(session.connection().execute(
        select(Transfer.__table__.c.id, Transfer.__table__.c.state).where(Transfer.__table__.c.id.in_(ids))).all())
    changes = {}
    for transfer_id in ids:
        state = _transfer_state(states[transfer_id])
        if state != current.get(transfer_id):
            changes[transfer_id] = {"state": state, **({"date_done": date or utcnow()} if state == DONE else {})}
    update_rows(session, Transfer, changes)


def _transfer_state(states: set[str]) -> str:
    active = states - {CANCELLED}
    if not states:
        return DRAFT
    if not active:
        return CANCELLED
    if active == {DONE}:
        return DONE
    if DRAFT in active:
        return DRAFT
    if active - {DONE} == {READY}:
        return READY
    return WAITING
