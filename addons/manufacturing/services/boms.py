"""Bills of materials: create and change them, with their components, by-products and operations.

Refused, naming what is wrong (and nothing written):

- a component (or by-product) in a unit that does not convert to its own
  unit (kilograms of something counted in units), naming the component and
  both units;
- a bill that would need its own product, directly or through the bills of its
  components at any depth, whatever their version or validity, kits included:
  the chain is named ("TABLE → LEG → TABLE");
- a kit with operations or by-products (a kit is not made: it is delivered as
  its components); by-products sharing more than all of the cost.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy.orm import Session

from addons.products.models import Product, Uom
from core.errors import ValidationError, each_line
from core.fields import clean

from ..models import KIT, Bom, BomByproduct, BomLine, BomOperation, WorkCentre
from .explode import components_of, cycle_error

HEADER_FIELDS = ("product_id", "kind", "quantity", "uom_id", "version", "valid_from", "valid_to", "active", "note")


def create_bom(session: Session, company_id: int, *, lines: Iterable[Mapping] = (), byproducts: Iterable[Mapping] = (),
               operations: Iterable[Mapping] = (), **values) -> Bom:
    """A bill of materials of the company, with its components (``lines``: product_id, quantity, uom_id,
    scrap_percent, sequence), ``byproducts`` (product_id, quantity, uom_id, cost_share) and ``operations``
    (name, workcentre_id, minutes, sequence)."""
    with session.begin_nested():
        bom = Bom(company_id=company_id)
        _set_header(session, bom, {"quantity": Decimal(1), "kind": "normal", **values})
        session.add(bom)
        _set_children(session, bom, list(lines), list(byproducts), list(operations))
        session.flush()
    return bom


#: what each part of a bill is made of (a service's lines, a form's rows)
PART_FIELDS = {"lines": ("product_id", "quantity", "uom_id", "scrap_percent", "sequence"),
               "byproducts": ("product_id", "quantity", "uom_id", "cost_share"),
               "operations": ("name", "workcentre_id", "minutes", "sequence")}


def update_bom(session: Session, bom: Bom, *, lines: Iterable[Mapping] | None = None,
               byproducts: Iterable[Mapping] | None = None, operations: Iterable[Mapping] | None = None,
               **values) -> Bom:
    """Change a bill's header; each of ``lines``, ``byproducts``, ``operations`` given replaces the bill's."""
    given = {"lines": lines, "byproducts": byproducts, "operations": operations}
    parts = {part: _current(bom, part) if given[part] is None else list(given[part]) for part in PART_FIELDS}
    with session.begin_nested():
        _set_header(session, bom, values)
        _set_children(session, bom, parts["lines"], parts["byproducts"], parts["operations"])
        session.flush()
    return bom


def add_part(session: Session, bom: Bom, part: str, values: Mapping):
    """Add one component, by-product or operation (``part``: a key of :data:`PART_FIELDS`) to a bill, with the
    bill's checks; return it."""
    update_bom(session, bom, **{part: [*_current(bom, part), dict(values)]})
    return getattr(bom, part)[-1]


def _current(bom: Bom, part: str) -> list[dict]:
    return [{name: getattr(record, name) for name in PART_FIELDS[part]} for record in getattr(bom, part)]


def _set_header(session: Session, bom: Bom, values: Mapping) -> None:
    unknown = sorted(set(values) - set(HEADER_FIELDS))
    if unknown:
        raise ValidationError(gettext("Unknown fields: %(names)s", names=", ".join(unknown)), unknown[0])
    cleaned = clean(Bom, dict(values), record=bom if bom.id else None, session=session)
    for name, value in cleaned.items():
        setattr(bom, name, value)
    product = session.get(Product, bom.product_id) if bom.product_id else None
    if product is None or product.company_id != bom.company_id:
        raise ValidationError(gettext("Choose a product of this company."), "product_id")
    bom.product = product
    bom.uom_id = bom.uom_id or product.uom_id
    _check_unit(session, product, bom.uom_id, gettext("The bill's quantity"), "uom_id")
    if bom.valid_from and bom.valid_to and bom.valid_to < bom.valid_from:
        raise ValidationError(gettext("A bill is valid until a date after the one it is valid from."), "valid_to")


def _set_children(session: Session, bom: Bom, lines: list, byproducts: list, operations: list) -> None:
    if not lines:
        raise ValidationError(gettext("Add the components the product is made of."), "lines")
    if bom.kind == KIT and (byproducts or operations):
        raise ValidationError(gettext("A kit is delivered as its components: it has no operations nor by-products."),
                              "operations" if operations else "byproducts")
    made_lines = each_line(lines, lambda values, number: _line(session, bom, BomLine, values, number))
    made_byproducts = each_line(byproducts, lambda values, number: _line(session, bom, BomByproduct, values, number))
    if sum((line.cost_share for line in made_byproducts), Decimal(0)) > 100:
        raise ValidationError(gettext("The by-products' cost shares add up to more than 100%."), "byproducts")
    made_operations = each_line(operations, lambda values, number: _operation(session, bom, values, number))
    check_no_cycle(session, bom.product_id, {line.product_id for line in made_lines})
    for old in (*bom.lines, *bom.byproducts, *bom.operations):
        session.delete(old)
    bom.lines, bom.byproducts, bom.operations = made_lines, made_byproducts, made_operations


def _line(session: Session, bom: Bom, model, values: dict, number: int):
    if model is BomLine:
        values.setdefault("sequence", number * 10)
    cleaned = clean(model, values, session=session, creating=False)
    product = session.get(Product, cleaned.get("product_id")) if cleaned.get("product_id") else None
    if product is None or product.company_id != bom.company_id:
        raise ValidationError(gettext("Choose a product of this company."), "product_id")
    if not cleaned.get("quantity"):
        raise ValidationError(gettext("Enter a quantity above zero."), "quantity")
    line = model(company_id=bom.company_id, **cleaned)
    line.uom_id = line.uom_id or product.uom_id
    _check_unit(session, product, line.uom_id, product.display_name, "uom_id")
    return line


def _operation(session: Session, bom: Bom, values: dict, number: int) -> BomOperation:
    values.setdefault("sequence", number * 10)
    cleaned = clean(BomOperation, values, session=session, creating=False)
    centre = session.get(WorkCentre, cleaned.get("workcentre_id")) if cleaned.get("workcentre_id") else None
    if centre is None or centre.company_id != bom.company_id:
        raise ValidationError(gettext("Choose a work centre of this company."), "workcentre_id")
    if not cleaned.get("name"):
        raise ValidationError(gettext("Name the operation."), "name")
    return BomOperation(company_id=bom.company_id, **cleaned)


def _check_unit(session: Session, product: Product, uom_id: int, what: str, field: str) -> None:
    """Refuse a unit that does not convert to ``product``'s own unit, naming ``what`` and both units."""
    unit, own = session.get(Uom, uom_id), session.get(Uom, product.uom_id)
    if unit is None:
        raise ValidationError(gettext("Choose a unit of measure."), field)
    if unit.category_id != own.category_id:
        raise ValidationError(gettext(
            "%(what)s: its unit %(unit)s cannot convert to %(product)s's stock unit %(own)s.",
            what=what, unit=unit.display_name, product=product.code, own=own.display_name), field)


def check_no_cycle(session: Session, product_id: int, component_ids: set[int]) -> None:
    """Refuse components that need ``product_id`` themselves at any depth (every version of every bill, kits
    too), naming the chain: a query per level of bills below them."""
    if product_id in component_ids:
        raise cycle_error(session, (product_id, product_id))
    parent = {component_id: product_id for component_id in component_ids}
    frontier = set(component_ids)
    while frontier:
        below = components_of(session, frontier)
        frontier = set()
        for above, children in sorted(below.items()):
            for child in sorted(children):
                if child == product_id:
                    raise cycle_error(session, (*_chain(parent, above, product_id), product_id))
                if child not in parent:
                    parent[child] = above
                    frontier.add(child)


def _chain(parent: dict[int, int], last: int, top: int) -> tuple[int, ...]:
    chain = [last]
    while chain[-1] != top:
        chain.append(parent[chain[-1]])
    return tuple(reversed(chain))
