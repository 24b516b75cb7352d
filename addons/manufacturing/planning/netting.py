"""Netting one product: walk its demands and supplies in date order and say when, and how much, to order.

Pure arithmetic on what the requirements run read for a whole level of bills
(no session): the projected stock starts at what is available today; each
supply adds on its date (before the demands of that date), each demand takes
away. Whenever the projection falls below the floor (the reorder rule's
minimum, else zero), an order is proposed for that date: up to the rule's
maximum in multiples of its multiple, as stock's replenishment list would
ask (``suggested_quantity``), else exactly the shortfall. Shortfalls within
``bucket_days`` of an order are added to it (one order covers a period: a
week by default), so a product wanted a little every day is not proposed
every day.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from addons.stock.replenishment import suggested_quantity

ZERO = Decimal(0)
ORIGINS_SHOWN = 5


@dataclass(frozen=True)
class Rule:
    """A product's reorder rule, summed over the company's warehouses."""

    minimum: Decimal
    maximum: Decimal
    multiple: Decimal


@dataclass
class Order:
    """An order the netting asks for: ``quantity`` wanted on ``date`` for ``origins``."""

    date: dt.date
    quantity: Decimal
    origins: list[str] = field(default_factory=list)

    def origin_text(self) -> str:
        shown = sorted(set(self.origins))
        more = len(shown) - ORIGINS_SHOWN
        return ", ".join(shown[:ORIGINS_SHOWN]) + (f" (+{more})" if more > 0 else "")


def net(available: Decimal, demands: Iterable[tuple[dt.date, Decimal, str]],
        supplies: Iterable[tuple[dt.date, Decimal]], *, today: dt.date, rule: Rule | None = None,
        rule_origin: str = "", bucket_days: int = 1) -> list[Order]:
    """The orders keeping the projected stock at the floor or above; dates before ``today`` count as today."""
    events = sorted([(max(day, today), 0, quantity, "") for day, quantity in supplies]
                    + [(max(day, today), 1, -quantity, origin) for day, quantity, origin in demands],
                    key=lambda event: (event[0], event[1]))
    floor = rule.minimum if rule is not None else ZERO
    projected, orders, waiting = available, [], []
    if projected < floor and rule is not None:
        orders.append(_order(today, projected, rule, [rule_origin]))
        projected += orders[-1].quantity
    for day, _kind, change, origin in events:
        projected += change
        if origin:
            waiting.append(origin)
        if projected < floor:
            order = _order(day, projected, rule, waiting + ([rule_origin] if rule is not None else []))
            projected += order.quantity
            waiting = []
            if orders and (day - orders[-1].date).days < bucket_days:  # one order per period
                orders[-1].quantity += order.quantity
                orders[-1].origins += order.origins
            else:
                orders.append(order)
    return orders


def _order(day: dt.date, projected: Decimal, rule: Rule | None, origins: list[str]) -> Order:
    if rule is None:
        return Order(day, -projected, list(origins))
    return Order(day, suggested_quantity(projected, rule.minimum, rule.maximum, rule.multiple), list(origins))
