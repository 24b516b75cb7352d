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
  product, the place, the reserved quantity and the transfers holding it:
  they would promise stock that is not there, so they are unreserved (or the
  place counted again) first. Nothing of the count is posted then; once they
  are unreserved, the count posts and they reserve again what is left;
- a line added for what was found names a lot when the product is tracked
  (a lot of that product; a name not known yet makes the lot), counts a
  serial number once at most, and is the only line of its product, place
  and lot.
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

from ..models import Count, CountLine, Location, Lot, Quant, StockMove, Transfer
from ..models.counts import COUNTING, DONE, DRAFT
from ..models.locations import HELD
from . import moves as move_services
from .lots import lot_named
from .quants import lock_quants
from .rules import ProductRule, number, product_rules, refuse
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
    """A line for what was found but not expected (a product, a place under the count's location, a lot): a
    tracked product's line names a lot of that product, a serial is counted once at most, and a product, place
    and lot have one line."""
    if count.state != COUNTING:
        raise ValidationError(gettext("Start the count first."), "state")
    values = clean(CountLine, values, session=session, creating=True)
    if values["location_id"] not in locations_under(session, location_id=count.location_id):
        raise ValidationError(gettext("Choose a location the count covers."), "location_id")
    if session.get(Location, values["location_id"]).kind not in HELD:
        raise ValidationError(gettext("Choose a location that holds stock (internal or transit), not a folder of "
                                      "locations."), "location_id")
    if count.product_id is not None and values["product_id"] != count.product_id:
        raise ValidationError(gettext("This count is of another product."), "product_id")
    rule = product_rules(session, product_ids=[values["product_id"]])[values["product_id"]]
    lot = session.get(Lot, values["lot_id"]) if values.get("lot_id") is not None else None
    if rule.tracked and lot is None:
        raise refuse(rule, gettext("choose its lot or serial number."), "lot_id")
    if lot is not None and not rule.tracked:
        raise refuse(rule, gettext("it is not tracked by lots: leave the lot empty."), "lot_id")
    if lot is not None and lot.product_id != values["product_id"]:
        raise refuse(rule, gettext("the lot belongs to another product."), "lot_id")
    _check_serial(rule, values.get("counted"))
    _check_no_line_yet(session, count, rule, values, lot)
    line = CountLine(company_id=count.company_id, count_id=count.id, expected=ZERO, **values)
    session.add(line)
    session.flush()
    session.expire(count, ["lines"])
    return line


def found_lot(session: Session, count: Count, *, product_id: int, name: str | None) -> int | None:
    """The id of the lot called ``name`` of a tracked product, found by a count (made when the product has none
    by that name); None when no name is given."""
    name = (name or "").strip()
    if not name:
        return None
    rule = product_rules(session, product_ids=[product_id])[product_id]
    if not rule.tracked:
        raise refuse(rule, gettext("it is not tracked by lots: leave the lot empty."), "lot_id")
    return lot_named(session, count.company_id, product_id=product_id, name=name, create=True).id


def _check_serial(rule: ProductRule, counted: Decimal | None) -> None:
    if rule.serial and counted is not None and counted > 1:
        raise refuse(rule, gettext("a serial number is one unit: count it as 0 or 1."), "counted")


def _check_no_line_yet(session: Session, count: Count, rule: ProductRule, values: dict, lot: Lot | None) -> None:
    there = [line for line in count.lines if (line.product_id, line.location_id, line.lot_id)
             == (values["product_id"], values["location_id"], values.get("lot_id"))]
    if not there:
        return
    place = session.get(Location, values["location_id"]).display_name
    if lot is None:
        raise refuse(rule, gettext("this count already has a line for it at %(location)s: type what was found "
                                   "there.", location=place), "product_id")
    raise refuse(rule, gettext("this count already has a line for %(lot)s at %(location)s: type what was found "
                               "there.", lot=lot.name, location=place), "lot_id")


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
    rules = product_rules(session, product_ids={lines[line_id].product_id for line_id in changes})
    for line_id, change in changes.items():
        _check_serial(rules[lines[line_id].product_id], change["counted"])
    update_rows(session, CountLine, changes)
    return count


def _holding(session: Session, line: CountLine) -> str:
    """The references of the transfers whose moves hold a reservation at the line's place and lot."""
    lot = StockMove.lot_id.is_(None) if line.lot_id is None else StockMove.lot_id == line.lot_id
    names = session.scalars(select(Transfer.name).join(StockMove, StockMove.transfer_id == Transfer.id).where(
        StockMove.product_id == line.product_id, StockMove.source_location_id == line.location_id, lot,
        StockMove.reserved > 0).distinct().order_by(Transfer.name)).all()
    return ", ".join(name for name in names if name) or gettext("transfers")


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
                    "%(product)s at %(location)s: %(counted)s counted, but %(reserved)s are reserved for "
                    "%(transfers)s. Unreserve them, or count again, before posting.",
                    product=rules[line.product_id].name, location=line.location.display_name,
                    counted=number(line.counted), reserved=number(reserved), transfers=_holding(session, line)),
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
