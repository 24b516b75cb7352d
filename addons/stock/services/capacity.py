"""A location's capacity: what a move into a full location does.

A location with a ``capacity`` holds at most that many units (all products
together), or that volume (each product's volume times its quantity; a
product without a volume takes none) when ``capacity_unit`` is volume. Only
the location itself counts, not the locations under it, and stock leaving it
in the same batch is not counted as room. A move that would fill it past its
capacity is refused, or accepted with a warning, as the location's
``capacity_policy`` says, else its company's stock settings.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import ValidationError

from ..models import Location, ProductStock, Quant
from ..models.locations import REFUSE, VOLUME
from .rules import ProductRule, number
from .setup import stock_settings


def check(session: Session, rows, *, rules: dict[int, ProductRule]) -> list[str]:
    """Refuse moves ``rows`` into locations they would fill past their capacity (policy "refuse"); return the
    warnings for the others (policy "warn")."""
    bounded = session.scalars(select(Location).where(
        Location.id.in_({row.dest_location_id for row in rows}), Location.capacity.is_not(None))).all()
    if not bounded:
        return []
    incoming = defaultdict(Decimal)
    for row in rows:
        volume = rules[row.product_id].volume or Decimal(0)
        incoming[row.dest_location_id, "units"] += row.product_quantity
        incoming[row.dest_location_id, VOLUME] += row.product_quantity * volume
    warnings = []
    for location in bounded:
        load = _load(session, location)
        bringing = incoming[location.id, VOLUME if location.capacity_unit == VOLUME else "units"]
        if load + bringing <= location.capacity:
            continue
        message = gettext("%(location)s is full: it holds %(load)s of %(capacity)s and the move brings %(incoming)s.",
                          location=location.display_name, load=number(load), capacity=number(location.capacity),
                          incoming=number(bringing))
        policy = location.capacity_policy or stock_settings(session, location.company_id).capacity_policy
        if policy == REFUSE:
            raise ValidationError(message, "dest_location_id")
        warnings.append(message)
    return warnings


def _load(session: Session, location: Location) -> Decimal:
    if location.capacity_unit == VOLUME:
        amount = func.sum(Quant.quantity * func.coalesce(ProductStock.volume, 0))
        query = select(amount).outerjoin(ProductStock, ProductStock.product_id == Quant.product_id)
    else:
        query = select(func.sum(Quant.quantity))
    return Decimal(session.execute(query.where(Quant.location_id == location.id)).scalar() or 0)
