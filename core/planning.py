"""What the requirements-planning hooks answer (see core/hookspecs.py): demands to plan for, supply planned
elsewhere, and where a product is bought."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Demand:
    """``quantity`` of a product (in its own unit) wanted on ``date``; ``origin`` names what wants it (a sales
    order's number, a forecast), shown to the planner beside the proposal it causes."""

    product_id: int
    date: dt.date
    quantity: Decimal
    origin: str


@dataclass(frozen=True)
class Supply:
    """``quantity`` of a product (its own unit) already on its way on ``date`` that stock does not count yet
    (a draft purchase order, ...)."""

    product_id: int
    date: dt.date
    quantity: Decimal


@dataclass(frozen=True)
class Source:
    """Where a product is bought: the supplier (a partner id, and its name) and the days between ordering and
    receiving."""

    supplier_id: int
    supplier_name: str
    lead_days: int
