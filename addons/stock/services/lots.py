"""Lots and serial numbers: creating and finding them, serials held twice, and a lot's traceability."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.fields import clean

from ..models import Location, Lot, Quant, StockMove
from ..models.locations import HELD
from ..models.moves import DONE


def create_lot(session: Session, company_id: int, **values) -> Lot:
    """A lot (or serial number) of a product; its name is used once per product."""
    values = clean(Lot, values, session=session)
    taken = select(Lot.id).where(Lot.company_id == company_id, Lot.product_id == values.get("product_id"),
                                 Lot.name == values.get("name"))
    if session.scalar(taken) is not None:
        raise ValidationError(gettext("This product already has a lot %(name)s.", name=values.get("name")), "name")
    lot = Lot(company_id=company_id, **values)
    session.add(lot)
    session.flush()
    return lot


def lot_named(session: Session, company_id: int, *, product_id: int, name: str, create: bool = False) -> Lot:
    """The product's lot called ``name``; with ``create``, made when there is none."""
    lot = session.scalars(select(Lot).where(Lot.company_id == company_id, Lot.product_id == product_id,
                                            Lot.name == name)).first()
    if lot is None and create:
        lot = create_lot(session, company_id, product_id=product_id, name=name)
    if lot is None:
        raise ValidationError(gettext("This product has no lot %(name)s.", name=name), "lot_name")
    return lot


def serials_held_twice(session: Session, *, lot_ids) -> list[tuple[int, str]]:
    """(product id, serial) of the lots among ``lot_ids`` with more than one unit in held locations."""
    held = select(Location.id).where(Location.kind.in_(HELD))
    quants = Quant.__table__
    lots = Lot.__table__
    return session.connection().execute(
        select(lots.c.product_id, lots.c.name).join(quants, quants.c.lot_id == lots.c.id)
        .where(lots.c.id.in_(set(lot_ids)), quants.c.location_id.in_(held))
        .group_by(lots.c.id, lots.c.product_id, lots.c.name).having(func.sum(quants.c.quantity) > 1)).all()


@dataclass
class Trace:
    """A lot's way through the company: what brought it in (receipts, counts that found it, production), where it
    went out (deliveries, losses), how it moved inside, and where it is now."""

    arrived: list[StockMove]
    left: list[StockMove]
    moved: list[StockMove]
    where: list[Quant]


def trace(session: Session, lot: Lot) -> Trace:
    """Up and down a lot: its done moves, in date order, parted by whether they enter, leave or stay within the
    company's held locations, and its quants now."""
    held = set(session.scalars(select(Location.id).where(Location.kind.in_(HELD))))
    done = session.scalars(select(StockMove).where(StockMove.lot_id == lot.id, StockMove.state == DONE)
                           .order_by(StockMove.date, StockMove.id)).all()
    where = session.scalars(select(Quant).where(Quant.lot_id == lot.id, Quant.quantity != 0)
                            .order_by(Quant.location_id)).all()
    return Trace(arrived=[m for m in done if m.source_location_id not in held and m.dest_location_id in held],
                 left=[m for m in done if m.source_location_id in held and m.dest_location_id not in held],
                 moved=[m for m in done if m.source_location_id in held and m.dest_location_id in held],
                 where=list(where))
