"""What the ``product_availability`` hook answers for a product (see core/hookspecs.py)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Availability:
    """A product's stock in a company: ``on_hand`` now (in held locations, reserved included), ``forecast``
    at the date asked (on hand, plus incoming, less outgoing, scheduled up to it), in the product's unit, and
    its ``unit_cost`` (the product's cost, which the valuation method keeps)."""

    on_hand: Decimal
    forecast: Decimal
    unit_cost: Decimal
