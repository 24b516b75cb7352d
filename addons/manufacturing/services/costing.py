"""What making a product costs: the roll-up of a bill, and an order's planned and actual cost.

The roll-up values every leaf of the explosion (a component without a bill of
its own) at the product's cost, which stock's valuation keeps under the
product's method (FIFO: what the stock on hand is worth per unit; moving
average: the average; last purchase price: the last supplier receipt's; or
the standard), and every operation at its work centre's hourly cost, with the
work centre's setup time once per operation. It costs the explosion's queries
plus two.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from addons.products.models import Product
from addons.stock.valuation.engine import round6
from core.bulk import ID_CHUNK

from ..models import WorkCentre
from .explode import explode

SIXTY = Decimal(60)


@dataclass
class CostRollup:
    """``materials`` and ``operations`` for the quantity; ``missing`` the leaves without a cost (valued at 0)."""

    quantity: Decimal
    materials: Decimal = Decimal(0)
    operations: Decimal = Decimal(0)
    missing: list[int] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.materials + self.operations

    @property
    def unit_cost(self) -> Decimal:
        return round6(self.total / self.quantity)


def rollup_cost(session: Session, product: Product, quantity: Decimal, *, on: dt.date | None = None) -> CostRollup:
    """The cost of making ``quantity`` of ``product`` through every level of its bills valid on ``on``."""
    explosion = explode(session, product, quantity, on=on)
    leaves = explosion.leaves()
    costs = product_costs(session, leaves)
    centres = workcentre_costs(session, {operation.workcentre_id for operation in explosion.operations})
    rollup = CostRollup(Decimal(quantity))
    rollup.materials = round6(sum((amount * costs.get(product_id, 0) for product_id, amount in leaves.items()),
                                  Decimal(0)))
    rollup.missing = sorted(product_id for product_id in leaves if not costs.get(product_id))
    rollup.operations = round6(sum((operation_cost(centres[operation.workcentre_id], operation.minutes, setup=True)
                                    for operation in explosion.operations), Decimal(0)))
    return rollup


def product_costs(session: Session, product_ids: Iterable[int]) -> dict[int, Decimal]:
    """product id -> its current cost (one query per chunk)."""
    ids = sorted(set(product_ids))
    found = {}
    for first in range(0, len(ids), ID_CHUNK):
        found.update(session.execute(select(Product.id, Product.cost).where(
            Product.id.in_(ids[first:first + ID_CHUNK]))).all())
    return found


def workcentre_costs(session: Session, ids: Iterable[int]) -> dict[int, tuple[Decimal, Decimal]]:
    """work centre id -> (hourly cost, setup minutes)."""
    ids = set(ids)
    if not ids:
        return {}
    return {row.id: (row.hourly_cost, row.setup_minutes) for row in session.execute(
        select(WorkCentre.id, WorkCentre.hourly_cost, WorkCentre.setup_minutes).where(WorkCentre.id.in_(ids)))}


def operation_cost(centre: tuple[Decimal, Decimal], minutes: Decimal, *, setup: bool) -> Decimal:
    """What ``minutes`` at a work centre (hourly cost, setup minutes) cost, with its setup when ``setup``."""
    hourly, setup_minutes = centre
    return (minutes + (setup_minutes if setup else 0)) * hourly / SIXTY
