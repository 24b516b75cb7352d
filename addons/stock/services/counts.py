"""Inventory counts: list what the quants say, record what was found, post the differences as moves.

Rules:

- a count covers its location and every location under it, optionally one
  product; starting it lists a line per quant there (per lot), with the
  quantity expected; lines for what was found but not expected are added;
- a line left uncounted changes nothing;
- posting compares each counted quantity with the stock on hand *at posting*
  (what moved since the count started is not counted twice) and moves the
  difference from the inventory-loss location (found more) or to it (found
  less), done at once;
- a count that finds less than is reserved at a place is refused, naming the
  product, the place and the reserved quantity: the transfers holding it
  would promise stock that is not there, so they are unreserved (or the
  place counted again) first. Nothing of the count is posted then.
"""
from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.bulk import insert_rows, update_rows
from core.db import utcnow
from core.errors import ValidationError
from core.fields import clean

from ..models import Count, CountLine, Location, Quant, StockMove
from ..models.counts import COUNTING, DONE, DRAFT
from ..models.locations import HELD
from . import moves as move_services
from .quants import lock_quants
from .rules import number, product_rules
from .setup import stock_settings
from .tree import subtrees

ZERO = Decimal(0)


def create_count(session: Session, company_id: int, **values) -> Count:
    values = clean(Count, values, session=session)
    count = Count(company_id=company_id, state=DRAFT, **values)
    session.add(count)
    session.flush()
    return count


def locations_under(session: Session, *, location_id: int) -> list[int]:
    """``location_id`` and every location below it."""
    return subtrees(session, location_ids=[location_id])[location_id]


def start_count(session: Session, count: Count) -> Count:
    """List what the quants say is in the count's locations: one line per product, place and lot."""
    if count.state != DRAFT:
        raise ValidationError(gettext("This count has started already."), "state")
    places = locations_under(session, location_id=count.location_id)
    query = select(Quant).join(Location, Location.id == Quant.location_id).where(
        Quant.location_id.in_(places), Location.kind.in_(HELD), Quant.quantity != 0)
    if count.product_id is not None:
        query = query.where(Quant.product_id == count.product_id)
    rows = [{"company_id": count.company_id, "count_id": count.id, "product_id": quant.product_id,
             "location_id": quant.location_id, "lot_id": quant.lot_id, "expected": quant.quantity}
            for quant in session.scalars(query.order_by(Quant.location_id, Quant.product_id, Quant.lot_key))]
    insert_rows(session, CountLine, rows)
    count.state = COUNTING
    session.flush()
    session.expire(count, ["lines"])
    return count


def add_count_line(session: Session, count: Count, **values) -> CountLine:
    """A line for what was found but not expected (a product, a place under the count's location, a lot)."""
    if count.state != COUNTING:
        raise ValidationError(gettext("Start the count first."), "state")
    values = clean(CountLine, values, session=session, creating=True)
    if values["location_id"] not in locations_under(session, location_id=count.location_id):
        raise ValidationError(gettext("Choose a location the count covers."), "location_id")
    if count.product_id is not None and values["product_id"] != count.product_id:
        raise ValidationError(gettext("This count is of another product."), "product_id")
    line = CountLine(company_id=count.company_id, count_id=count.id, expected=ZERO, **values)
    session.add(line)
    session.flush()
    session.expire(count, ["lines"])
    return line


def record_counts(session: Session, count: Count, *, counted: Mapping[int, Decimal | None]) -> Count:
    """What was found: line id -> quantity counted (None: not counted)."""
    if count.state != COUNTING:
        raise ValidationError(gettext("Start the count first."), "state")
    lines = {line.id: line for line in count.lines}
    changes = {}
    for line_id, value in counted.items():
        if line_id not in lines:
            raise ValidationError(gettext("That line is not part of this count."), "counted")
        changes[line_id] = clean(CountLine, {"counted": value}, record=lines[line_id])
    update_rows(session, CountLine, changes)
    return count


def post_count(session: Session, count: Count) -> list[int]:
    """Move each counted difference to or from the inventory-loss location; return the moves' ids."""
    if count.state != COUNTING:
        raise ValidationError(gettext("Start the count first."), "state")
    lines = [line for line in count.lines if line.counted is not None]
    loss = stock_settings(session, count.company_id).inventory_location_id
    with session.begin_nested():
        current = {(q.product_id, q.location_id, q.lot_id): q for q in lock_quants(
            session, pairs={(line.product_id, line.location_id) for line in lines})}
        rules = product_rules(session, product_ids={line.product_id for line in lines})
        moves = []
        for line in lines:
            quant = current.get((line.product_id, line.location_id, line.lot_id))
            on_hand, reserved = (quant.quantity, quant.reserved) if quant is not None else (ZERO, ZERO)
            if line.counted < reserved:
                raise ValidationError(gettext(
                    "%(product)s at %(location)s: %(counted)s counted, but %(reserved)s are reserved for transfers. "
                    "Unreserve them, or count again, before posting.", product=rules[line.product_id].name,
                    location=line.location.display_name, counted=number(line.counted), reserved=number(reserved)),
                    "counted")
            difference = line.counted - on_hand
            if difference:
                source, dest = (loss, line.location_id) if difference > 0 else (line.location_id, loss)
                moves.append({"product_id": line.product_id, "quantity": abs(difference), "lot_id": line.lot_id,
                              "source_location_id": source, "dest_location_id": dest})
        ids = move_services.create_moves(session, count.company_id, moves)
        move_services.done(session, [session.get(StockMove, move_id) for move_id in ids])
        count.state, count.date_done = DONE, utcnow()
        session.flush()
    return ids
