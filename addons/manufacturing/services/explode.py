"""Multi-level explosion of bills of materials, a level at a time.

:func:`explode` answers "what does it take to make this quantity of this
product on this date": every component at every level, with its quantity in
its own unit (scrap included), and every operation with its minutes. Each
level costs three queries whatever its width (the bills valid on the date for
all of the level's products, their components, their operations; the units
they name are read once per level), so a deep bill with a thousand components
explodes in a few dozen queries. Planning and the cost roll-up build on it.

The bill of a product on a date: an active bill of the product whose validity
(``valid_from`` .. ``valid_to``, either end open) holds the date; of several,
the one valid since the latest date, then the highest version.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from addons.products.models import Product, Uom
from addons.products.units import convert
from core.bulk import ID_CHUNK
from core.errors import ValidationError

from ..models import KIT, Bom, BomLine, BomOperation

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class ValidBom:
    """A bill as explosion needs it: its product's quantity it makes, in the product's own unit."""

    id: int
    product_id: int
    kind: str
    quantity: Decimal


@dataclass(frozen=True)
class ExplodedLine:
    """A component needed at ``level`` (1: the top product's own components) under ``parent_id``; ``quantity``
    in the component's own unit, scrap included; ``bom`` the component's own bill (None: it is bought, or
    not made by a bill valid on the date); ``path`` the products from the top one down to the parent."""

    product_id: int
    quantity: Decimal
    level: int
    parent_id: int
    bom: ValidBom | None
    path: tuple[int, ...]

    @property
    def is_leaf(self) -> bool:
        return self.bom is None


@dataclass(frozen=True)
class ExplodedOperation:
    """An operation of a bill used at ``level`` (0: the top bill): ``minutes`` for the quantity made there,
    setup not included."""

    bom_id: int
    product_id: int
    level: int
    workcentre_id: int
    name: str
    minutes: Decimal


@dataclass
class Explosion:
    product_id: int
    quantity: Decimal
    bom: ValidBom | None
    lines: list[ExplodedLine] = field(default_factory=list)
    operations: list[ExplodedOperation] = field(default_factory=list)

    def leaves(self) -> dict[int, Decimal]:
        """product id -> the quantity of it to take from stock or buy (the components without a bill of their
        own followed by the explosion), summed over every place it is used."""
        totals: dict[int, Decimal] = defaultdict(Decimal)
        for line in self.lines:
            if line.is_leaf:
                totals[line.product_id] += line.quantity
        return dict(totals)


def explode(session: Session, product: Product, quantity: Decimal, *, on: dt.date | None = None,
            kits_only: bool = False, bom_id: int | None = None) -> Explosion:
    """What making ``quantity`` of ``product`` (its own unit) takes on ``on`` (default today), down every
    level of bills; with ``kits_only``, only kits are opened (what a production order consumes: its bill's
    components, kits replaced by theirs); ``bom_id``: the top bill to use instead of the one valid on the date.
    A product without a valid bill explodes to nothing."""
    on = on or dt.date.today()
    units = all_units(session)
    top = _given_bom(session, bom_id, units) if bom_id is not None else valid_boms(
        session, [product.id], on=on, units=units).get(product.id)
    explosion = Explosion(product.id, Decimal(quantity), top)
    if top is None:
        return explosion
    level, frontier = 0, [(top, Decimal(quantity), (product.id,))]
    while frontier:
        explosion.operations += _operations(session, frontier, level)
        components = _components(session, [bom.id for bom, _quantity, _path in frontier], units)
        children = [(line, bom, needed, path) for bom, needed, path in frontier for line in components[bom.id]]
        wanted = {line.product_id for line, _bom, _needed, _path in children}
        boms = {product_id: bom for product_id, bom in valid_boms(session, wanted, on=on, units=units).items()
                if not kits_only or bom.kind == KIT}
        level += 1
        frontier = []
        for line, parent_bom, needed, path in children:
            if line.product_id in path:
                raise cycle_error(session, (*path, line.product_id))
            amount = line.quantity * needed / parent_bom.quantity
            own = boms.get(line.product_id)
            explosion.lines.append(ExplodedLine(line.product_id, amount, level, path[-1], own, path))
            if own is not None:
                frontier.append((own, amount, (*path, line.product_id)))
    return explosion


def valid_boms(session: Session, product_ids: Iterable[int], *, on: dt.date,
               units: dict[int, Uom] | None = None) -> dict[int, ValidBom]:
    """product id -> its bill valid on ``on`` (see the module's docstring), for the products that have one;
    ``units``: :func:`all_units`, when the caller has them already."""
    ids = sorted(set(product_ids))
    found: dict[int, ValidBom] = {}
    for first in range(0, len(ids), ID_CHUNK):
        rows = session.execute(
            select(Bom.id, Bom.product_id, Bom.kind, Bom.quantity, Bom.uom_id, Product.uom_id.label("own_uom_id"),
                   Bom.valid_from, Bom.version)
            .join(Product, Product.id == Bom.product_id)
            .where(Bom.product_id.in_(ids[first:first + ID_CHUNK]), Bom.active.is_(True),
                   or_(Bom.valid_from.is_(None), Bom.valid_from <= on),
                   or_(Bom.valid_to.is_(None), Bom.valid_to >= on))).all()
        if rows and units is None:
            units = all_units(session)
        best = {}
        for row in rows:
            rank = (row.valid_from or dt.date.min, row.version)
            if row.product_id not in best or rank > best[row.product_id][0]:
                best[row.product_id] = (rank, row)
        for product_id, (_rank, row) in best.items():
            made = convert(row.quantity, units[row.uom_id], units[row.own_uom_id])
            found[product_id] = ValidBom(row.id, product_id, row.kind, made)
    return found


def _given_bom(session: Session, bom_id: int, units: dict[int, Uom]) -> ValidBom:
    row = session.execute(select(Bom.id, Bom.product_id, Bom.kind, Bom.quantity, Bom.uom_id,
                                 Product.uom_id.label("own_uom_id"))
                          .join(Product, Product.id == Bom.product_id).where(Bom.id == bom_id)).one()
    return ValidBom(row.id, row.product_id, row.kind, convert(row.quantity, units[row.uom_id], units[row.own_uom_id]))


@dataclass(frozen=True)
class _Component:
    product_id: int
    quantity: Decimal  # in the component's own unit, scrap included, for the bill's quantity


def _components(session: Session, bom_ids: list[int], units: dict[int, Uom]) -> dict[int, list[_Component]]:
    """bill id -> its components in their own units, scrap included (one query per chunk of bills)."""
    ids = sorted(set(bom_ids))
    by_bom: dict[int, list[_Component]] = defaultdict(list)
    for first in range(0, len(ids), ID_CHUNK):
        rows = session.execute(
            select(BomLine.bom_id, BomLine.product_id, BomLine.quantity, BomLine.uom_id, BomLine.scrap_percent,
                   Product.uom_id.label("own_uom_id"))
            .join(Product, Product.id == BomLine.product_id)
            .where(BomLine.bom_id.in_(ids[first:first + ID_CHUNK]))
            .order_by(BomLine.bom_id, BomLine.sequence, BomLine.id)).all()
        for row in rows:
            quantity = convert(row.quantity, units[row.uom_id], units[row.own_uom_id])
            by_bom[row.bom_id].append(_Component(row.product_id, quantity * (HUNDRED + row.scrap_percent) / HUNDRED))
    return by_bom


def _operations(session: Session, frontier: list, level: int) -> list[ExplodedOperation]:
    needed_by_bom = defaultdict(list)
    for bom, needed, _path in frontier:
        needed_by_bom[bom.id].append((bom, needed))
    ids = sorted(needed_by_bom)
    found = []
    for first in range(0, len(ids), ID_CHUNK):
        rows = session.execute(
            select(BomOperation.bom_id, BomOperation.workcentre_id, BomOperation.name, BomOperation.minutes)
            .where(BomOperation.bom_id.in_(ids[first:first + ID_CHUNK]))
            .order_by(BomOperation.bom_id, BomOperation.sequence, BomOperation.id)).all()
        for row in rows:
            for bom, needed in needed_by_bom[row.bom_id]:
                found.append(ExplodedOperation(row.bom_id, bom.product_id, level, row.workcentre_id, row.name,
                                               row.minutes * needed / bom.quantity))
    return found


def all_units(session: Session) -> dict[int, Uom]:
    """unit id -> unit, every unit (a short table: one query, instead of one per level)."""
    return {unit.id: unit for unit in session.scalars(select(Uom))}


def cycle_error(session: Session, chain: tuple[int, ...]) -> ValidationError:
    """The refusal of a bill that would need itself, naming the chain ("[A] Table → [B] Leg → [A] Table")."""
    names = dict(session.execute(select(Product.id, Product.code).where(Product.id.in_(set(chain)))).all())
    return ValidationError(gettext(
        "This bill of materials would need its own product: %(chain)s.",
        chain=" → ".join(names.get(product_id, str(product_id)) for product_id in chain)), "lines")


def components_of(session: Session, product_ids: Iterable[int]) -> dict[int, set[int]]:
    """product id -> the components listed by any of its bills (every version, active or not, kits too): one
    query per chunk, used to find cycles before a bill is saved."""
    ids = sorted(set(product_ids))
    found: dict[int, set[int]] = defaultdict(set)
    for first in range(0, len(ids), ID_CHUNK):
        for product_id, component_id in session.execute(
                select(Bom.product_id, BomLine.product_id).join(BomLine, BomLine.bom_id == Bom.id)
                .where(Bom.product_id.in_(ids[first:first + ID_CHUNK]))).all():
            found[product_id].add(component_id)
    return found


def bom_components(session: Session, bom_ids: Iterable[int], units: dict[int, Uom] | None = None
                   ) -> dict[int, list[tuple[int, Decimal]]]:
    """bill id -> [(component id, quantity in its own unit, scrap included, for the bill's quantity)]: one
    query per chunk of bills, for planning a whole level of bills at once."""
    units = units if units is not None else all_units(session)
    return {bom_id: [(line.product_id, line.quantity) for line in lines]
            for bom_id, lines in _components(session, list(bom_ids), units).items()}
