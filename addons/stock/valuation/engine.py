"""The valuation of one product in one company, move after move, in memory (no database here).

A :class:`Book` starts from the product's running totals (and, under FIFO,
its open cost layers, read page by page as deliveries need them) and applies
moves in (date, move id) order. What it computes stays in the book for
:mod:`.store` to write: entries, new and changed layers, layer uses, the
unit cost of each move, the new totals.

The rules (the package's docstring says them for people):

- FIFO: a receipt opens a layer; an issue takes the oldest open layers (a
  return to the supplier first takes what is left of the layer its receipt
  opened, at that receipt's cost); what
  no layer covers is issued at the last receipt's unit cost and opens a
  negative layer, which the next receipts settle first, the difference
  between their cost and the estimate going to a ``settle`` entry.
- moving average: a receipt adds its value; an issue takes the average. An
  issue beyond what is on hand goes negative at the average; a receipt into
  negative stock settles the missing units at its own cost (``settle``
  entry for the difference) and, once stock is positive again, the average
  is that receipt's cost.
- last purchase price: every unit is valued at the product's cost; a receipt
  from a supplier sets that cost to its unit cost and revalues what was on
  hand (``revalue`` entry). Other receipts come in at the current cost.
- standard: every move at the standard cost, set by hand.
- an issue that empties the stock takes exactly the value left, so the value
  of no stock is zero whatever the rounding.
"""
from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..models.products import AVERAGE, FIFO, LAST, STANDARD
from ..models.valuation import IN, OUT, REVALUE, SETTLE

ZERO = Decimal(0)
SIX = Decimal("0.000001")


def round6(amount: Decimal) -> Decimal:
    return amount.quantize(SIX, rounding=ROUND_HALF_UP)


@dataclass
class Fact:
    """A done move as valuation sees it: ``direction`` in or out of the company's stock; ``cost`` the unit
    cost a receipt comes at when it says one (its own, or the move it returns), else None; under the
    standard method, the standard a move was valued at already (None for a move not valued yet); ``returns``
    the receipt an issue gives back."""

    move_id: int
    date: dt.datetime
    quantity: Decimal
    direction: str
    cost: Decimal | None = None
    supplier: bool = False
    returns: int | None = None

    @property
    def key(self) -> tuple[dt.datetime, int]:
        return self.date, self.move_id


@dataclass
class Layer:
    """A FIFO cost layer; ``id`` None until written; ``stored`` its remaining as read."""

    id: int | None
    move_id: int
    date: dt.datetime
    quantity: Decimal
    unit_cost: Decimal
    remaining: Decimal
    stored: Decimal | None = None


@dataclass
class Entry:
    move_id: int | None
    date: dt.datetime
    kind: str
    quantity: Decimal
    unit_cost: Decimal
    value: Decimal


@dataclass
class Use:
    layer: Layer
    move_id: int
    date: dt.datetime
    quantity: Decimal


@dataclass
class Book:
    """One product in one company: its totals, and under FIFO its open layers.

    ``layers`` are the stored open layers in order; ``more`` reads the next
    page of them (None once every one is read); ``opened_by`` reads the open
    layer a receipt opened (a return takes it first). ``known``: the stored
    layers read so far, by id, so a layer read twice is one object.
    """

    method: str
    quantity: Decimal
    value: Decimal
    cost: Decimal
    layers: deque = field(default_factory=deque)
    more: Callable[[], list[Layer]] | None = None
    opened_by: Callable[[int], Layer | None] | None = None
    known: dict = field(default_factory=dict)
    fresh: deque = field(default_factory=deque)
    opened: list = field(default_factory=list)
    touched: dict = field(default_factory=dict)
    entries: list = field(default_factory=list)
    uses: list = field(default_factory=list)
    costs: dict = field(default_factory=dict)

    def apply(self, fact: Fact) -> None:
        if fact.direction == IN:
            self._receive(fact)
        else:
            self._issue(fact)

    @property
    def average(self) -> Decimal:
        return self.value / self.quantity if self.quantity > 0 else self.cost

    # --- receipts ---

    def _receive(self, fact: Fact) -> None:
        quantity, before = fact.quantity, self.quantity
        if (self.method == LAST and not fact.supplier) or fact.cost is None:
            cost = self.average if self.method == AVERAGE else self.cost
        else:
            cost = fact.cost
        self._entry(fact, IN, quantity, cost, round6(quantity * cost))
        self.costs[fact.move_id] = round6(cost)
        if self.method == FIFO:
            self._settle_layers(fact, cost, before < 0)
            self.cost = cost
        elif self.method == AVERAGE:
            if before < 0:
                self._entry(fact, SETTLE, ZERO, cost, round6(min(quantity, -before) * (self.cost - cost)))
            self.quantity += quantity
            if before < 0 and self.quantity > 0:
                self.cost = cost
            elif self.quantity > 0:
                self.cost = self.average
        elif self.method == LAST and cost != self.cost:
            self._entry(fact, REVALUE, ZERO, cost, round6(before * (cost - self.cost)))
            self.cost = cost
        if self.method != AVERAGE:
            self.quantity += quantity

    def _settle_layers(self, fact: Fact, cost: Decimal, negative: bool) -> None:
        """Settle the negative layers with the receipt (when stock is ``negative``), then open a layer with the
        rest of it."""
        left = fact.quantity
        for layer in self._open() if negative else ():
            if layer.remaining > 0 or left == 0:
                break
            settled = min(left, -layer.remaining)
            self._use(layer, fact, settled)
            self._entry(fact, SETTLE, ZERO, cost, round6(settled * (layer.unit_cost - cost)))
            left -= settled
        if left > 0:
            layer = Layer(None, fact.move_id, fact.date, fact.quantity, cost, left)
            self.opened.append(layer)
            self.fresh.append(layer)

    # --- issues ---

    def _issue(self, fact: Fact) -> None:
        quantity = fact.quantity
        if self.method == FIFO:
            value = self._take_layers(fact)
        elif self.method == AVERAGE:
            value = quantity * self.average
        elif self.method == STANDARD and fact.cost is not None:
            value = quantity * fact.cost
        else:
            value = quantity * self.cost
        value = self.value if self.quantity == quantity else round6(value)
        unit_cost = round6(value / quantity)
        self._entry(fact, OUT, -quantity, unit_cost, -value)
        self.costs[fact.move_id] = unit_cost
        self.quantity -= quantity

    def _take_layers(self, fact: Fact) -> Decimal:
        """The value of the oldest layers the issue takes; what none covers opens a negative layer at the
        last receipt's cost."""
        wanted, value = fact.quantity, ZERO
        returned = self._layer_of(fact.returns) if fact.returns is not None else None
        if returned is not None:
            taken = min(wanted, returned.remaining)
            self._use(returned, fact, -taken)
            value += taken * returned.unit_cost
            wanted -= taken
        for layer in self._open():
            if layer.remaining < 0 or wanted == 0:
                break
            taken = min(wanted, layer.remaining)
            self._use(layer, fact, -taken)
            value += taken * layer.unit_cost
            wanted -= taken
        if wanted > 0:
            layer = Layer(None, fact.move_id, fact.date, -wanted, self.cost, -wanted)
            self.opened.append(layer)
            self.fresh.append(layer)
            value += wanted * self.cost
        return value

    # --- the records ---

    def _open(self) -> Iterator[Layer]:
        """The open layers, oldest first: the stored ones (reading further pages as needed), then the ones
        opened here. The caller changes the one it is given before asking for the next."""
        while True:
            while self.layers:
                layer = self.layers[0]
                if layer.remaining == 0:
                    self.layers.popleft()
                    continue
                yield layer
            if self.more is None:
                break
            page = self.more()
            if not page:
                self.more = None
                break
            self.layers.extend(self._one(layer) for layer in page)
        while self.fresh:
            layer = self.fresh[0]
            if layer.remaining == 0:
                self.fresh.popleft()
                continue
            yield layer

    def _one(self, layer: Layer) -> Layer:
        return self.known.setdefault(layer.id, layer)

    def _layer_of(self, move_id: int) -> Layer | None:
        """The layer the receipt ``move_id`` opened, when some of it is left: among the layers read or opened
        here, else read."""
        for layer in (*self.known.values(), *self.fresh):
            if layer.move_id == move_id and layer.remaining > 0:
                return layer
        found = self.opened_by(move_id) if self.opened_by is not None and self.more is not None else None
        layer = None if found is None else self._one(found)
        return layer if layer is not None and layer.remaining > 0 else None

    def _use(self, layer: Layer, fact: Fact, change: Decimal) -> None:
        layer.remaining += change
        if layer.id is not None:
            self.touched[layer.id] = layer
        self.uses.append(Use(layer, fact.move_id, fact.date, change))

    def _entry(self, fact: Fact, kind: str, quantity: Decimal, unit_cost: Decimal, value: Decimal) -> None:
        self.value += value
        self.entries.append(Entry(fact.move_id, fact.date, kind, quantity, round6(unit_cost), value))

    @property
    def product_cost(self) -> Decimal:
        """What the product's cost becomes: under FIFO the average value of what is on hand (the last
        receipt's cost when there is none), else the method's cost."""
        if self.method == FIFO and self.quantity > 0:
            return round6(self.value / self.quantity)
        return round6(self.average if self.method == AVERAGE else self.cost)

