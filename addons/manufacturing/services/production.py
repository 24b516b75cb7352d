"""Production orders: create, confirm (reserve the components), produce (all at once or in parts), scrap,
cancel.

Every quantity of an order is in the product's own unit; its components' in
theirs. Consumption and production are stock moves between the order's stock
location and the company's production location (stock's own services:
reservation, quants, valuation, and the accounting bridge's posting when it is
installed), linked to the order by :class:`ProductionMove`.

- Confirming plans the components (the bill's, kits opened, scrap included;
  a component counted in whole units is rounded up), the operations (minutes
  for the quantity, plus the work centre's setup) and the planned unit cost,
  and reserves the components.
- Producing a part consumes the components in proportion (the last part
  consumes what is left of the plan; one that closes the order early, its
  share, the rest released), plus any ``extra`` consumption; the finished goods enter stock at what the
  consumption was valued at (each component under its own method) plus the
  operations' minutes at the work centres' hourly cost, less the by-products'
  cost shares. What remains stays reserved for the next part.
- Refused, with nothing changed: producing more than the components on hand
  allow (every short component named, with what is needed and what is
  available); a component valued at no cost (named: receive it at a cost or
  set its cost first); cancelling an order that consumed components already
  (its consumption is in the stock value and the ledger; produce what it
  allows and close it instead).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import ROUND_CEILING, ROUND_UP, Decimal

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from addons.products.models import Product, Uom
from addons.products.units import convert
from addons.stock.models import Location, StockMove, Warehouse
from addons.stock.models.moves import CANCELLED as MOVE_CANCELLED
from addons.stock.models.moves import DONE as MOVE_DONE
from addons.stock.services import moves as stock_moves
from addons.stock.services.quants import on_hand
from addons.stock.services.rules import number, product_rules
from addons.stock.services.setup import stock_settings, warehouse_locations
from addons.stock.services.tree import subtrees
from core.db import utcnow
from core.errors import ValidationError
from core.fields import clean
from core.sequences import next_number

from ..models import (
    BYPRODUCT,
    CANCELLED,
    COMPONENT,
    CONFIRMED,
    DONE,
    DRAFT,
    FINISHED,
    KIT,
    PROGRESS,
    SCRAP,
    Bom,
    Production,
    ProductionComponent,
    ProductionMove,
    ProductionOperation,
)
from .costing import SIXTY, product_costs, round6, workcentre_costs
from .explode import explode, valid_boms

ZERO, HUNDRED = Decimal(0), Decimal(100)
PLACES = Decimal("0.0001")
FIELDS = ("product_id", "bom_id", "quantity", "warehouse_id", "location_id", "scheduled_date", "origin")


def create_production(session: Session, company_id: int, **values) -> Production:
    """A draft production order (``product_id``, ``quantity``, ``warehouse_id``; optional ``bom_id``, default
    the product's bill valid on ``scheduled_date``; ``location_id``, default the warehouse's stock)."""
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise ValidationError(gettext("Unknown fields: %(names)s", names=", ".join(unknown)), unknown[0])
    values = clean(Production, values, session=session, creating=True)
    warehouse = session.get(Warehouse, values["warehouse_id"])
    if warehouse.company_id != company_id:
        raise ValidationError(gettext("Choose a warehouse of the company."), "warehouse_id")
    product = session.get(Product, values["product_id"])
    if product.company_id != company_id:
        raise ValidationError(gettext("Choose a product of this company."), "product_id")
    values["scheduled_date"] = values.get("scheduled_date") or dt.date.today()
    values["bom_id"] = _bom_for(session, product, values.get("bom_id"), values["scheduled_date"]).id
    values["location_id"] = _location(session, warehouse, values.get("location_id"))
    production = Production(company_id=company_id, state=DRAFT, quantity_done=ZERO, **values)
    session.add(production)
    session.flush()
    return production


def _bom_for(session: Session, product: Product, bom_id: int | None, on: dt.date) -> Bom:
    if bom_id is None:
        valid = valid_boms(session, [product.id], on=on).get(product.id)
        if valid is None:
            raise ValidationError(gettext("%(product)s has no bill of materials valid on %(date)s: make one first.",
                                          product=product.display_name, date=on.isoformat()), "bom_id")
        bom_id = valid.id
    bom = session.get(Bom, bom_id)
    if bom.product_id != product.id:
        raise ValidationError(gettext("Choose a bill of materials of %(product)s.", product=product.display_name),
                              "bom_id")
    if bom.kind == KIT:
        raise ValidationError(gettext("%(product)s is a kit: it is delivered as its components, not manufactured.",
                                      product=product.display_name), "bom_id")
    return bom


def _location(session: Session, warehouse: Warehouse, location_id: int | None) -> int:
    if location_id is None:
        return warehouse_locations(session, warehouse)[1].id
    location = session.get(Location, location_id)
    if location.company_id != warehouse.company_id or location.kind != "internal":
        raise ValidationError(gettext("Choose an internal location of the company."), "location_id")
    return location.id


def _require(production: Production, states: tuple, message: str) -> None:
    if production.state not in states:
        raise ValidationError(message, "state")


# --- confirm: plan and reserve ---


def confirm_production(session: Session, production: Production) -> Production:
    """Plan the components and operations, name the order, and reserve the components."""
    _require(production, (DRAFT,), gettext("Only a draft production order is confirmed."))
    with session.begin_nested():
        bom = production.bom
        explosion = explode(session, production.product, production.quantity, on=production.scheduled_date,
                            kits_only=True, bom_id=bom.id)
        planned = _rounded(session, explosion.leaves())
        costs = product_costs(session, planned)
        production.components = [
            ProductionComponent(company_id=production.company_id, product_id=product_id, quantity=quantity,
                                quantity_consumed=ZERO, planned_unit_cost=costs.get(product_id) or ZERO)
            for product_id, quantity in planned.items()]
        centres = workcentre_costs(session, {operation.workcentre_id for operation in explosion.operations})
        production.operations = [
            ProductionOperation(company_id=production.company_id, name=operation.name,
                                workcentre_id=operation.workcentre_id, minutes_done=ZERO,
                                planned_minutes=(operation.minutes + centres[operation.workcentre_id][1]
                                                 ).quantize(Decimal("0.01"), rounding=ROUND_UP),
                                hourly_cost=centres[operation.workcentre_id][0])
            for operation in explosion.operations]
        production.planned_unit_cost = _planned_unit_cost(production, bom)
        number_ = next_number(session, production.company_id, "manufacturing.production")
        production.name = f"{production.warehouse.code}/MO/{number_:05d}"
        production.state = CONFIRMED
        session.flush()
        _reserve(session, production, planned)
    return production


def _rounded(session: Session, quantities: Mapping[int, Decimal]) -> dict[int, Decimal]:
    """Quantities rounded up to four decimals, and to whole numbers for products counted in whole units."""
    whole = set(session.scalars(select(Product.id).join(Uom, Uom.id == Product.uom_id).where(
        Product.id.in_(set(quantities)), Uom.whole.is_(True)))) if quantities else set()
    return {product_id: quantity.quantize(Decimal(1) if product_id in whole else PLACES, rounding=ROUND_CEILING)
            for product_id, quantity in quantities.items() if quantity > 0}


def _planned_unit_cost(production: Production, bom: Bom) -> Decimal:
    materials = sum((line.quantity * line.planned_unit_cost for line in production.components), ZERO)
    operations = sum((line.planned_minutes * line.hourly_cost / SIXTY for line in production.operations), ZERO)
    kept = HUNDRED - sum((line.cost_share for line in bom.byproducts), ZERO)
    return round6((materials + operations) * kept / HUNDRED / production.quantity)


def _reserve(session: Session, production: Production, quantities: Mapping[int, Decimal]) -> None:
    """Component moves for ``quantities``, confirmed (they reserve what is on hand)."""
    ids = _new_moves(session, production, quantities, role=COMPONENT, into_production=True)
    stock_moves.confirm(session, [session.get(StockMove, move_id) for move_id in ids])


def _new_moves(session: Session, production: Production, quantities: Mapping[int, Decimal], *, role: str,
               into_production: bool, costs: Mapping[int, Decimal] | None = None,
               dest_location_id: int | None = None) -> list[int]:
    """Draft moves of ``quantities`` between the order's location and production, linked to the order."""
    if not quantities:
        return []
    production_location = stock_settings(session, production.company_id).production_location_id
    source, dest = ((production.location_id, dest_location_id or production_location) if into_production
                    else (production_location, production.location_id))
    ids = stock_moves.create_moves(session, production.company_id, [
        {"product_id": product_id, "quantity": quantity, "source_location_id": source, "dest_location_id": dest,
         "unit_cost": (costs or {}).get(product_id)} for product_id, quantity in quantities.items()])
    session.add_all(ProductionMove(move_id=move_id, production_id=production.id, role=role,
                                   company_id=production.company_id) for move_id in ids)
    session.flush()
    return ids


def order_moves(session: Session, production: Production, *, roles: Iterable[str],
                states: Iterable[str] | None = None) -> list[StockMove]:
    """The order's moves of ``roles`` (in ``states``), one query."""
    query = (select(StockMove).join(ProductionMove, ProductionMove.move_id == StockMove.id)
             .where(ProductionMove.production_id == production.id, ProductionMove.role.in_(tuple(roles)))
             .order_by(StockMove.id))
    if states is not None:
        query = query.where(StockMove.state.in_(tuple(states)))
    return list(session.scalars(query))


def _open_components(session: Session, production: Production) -> list[StockMove]:
    return order_moves(session, production, roles=(COMPONENT,), states=("draft", "waiting", "ready"))


# --- produce ---


def produce(session: Session, production: Production, *, quantity: Decimal, extra: Iterable[Mapping] = (),
            minutes: Mapping[int, Decimal] | None = None, close: bool = False,
            date: dt.datetime | None = None) -> Production:
    """Produce ``quantity`` (at most what is left): consume the components for it and ``extra`` ones (each
    product_id, quantity in its own unit), record the operations' ``minutes`` (operation id -> minutes; default:
    the plan's share), and put the finished goods and by-products in stock at their cost. ``close``: nothing
    more will be produced (what is left of the plan is released)."""
    _require(production, (CONFIRMED, PROGRESS), gettext("Only a confirmed production order produces."))
    quantity = _positive(quantity)
    left = production.quantity - production.quantity_done
    if quantity > left:
        raise ValidationError(gettext("Only %(left)s are left to produce.", left=number(left)), "quantity")
    finishing = quantity == left  # the last part consumes what is left of the plan
    last = close or finishing
    stamp = date or utcnow()
    with session.begin_nested():
        needs = _needs(session, production, quantity, finishing, extra)
        opened = _open_components(session, production)
        _check_available(session, production, quantity, needs, opened)
        stock_moves.cancel(session, opened)
        consumed = _consume(session, production, needs, stamp)
        labour = _record_minutes(production, quantity, minutes)
        _put_away(session, production, quantity, consumed + labour, stamp)
        production.quantity_done += quantity
        if last:
            production.state, production.date_done = DONE, stamp
        else:
            production.state = PROGRESS
            _reserve(session, production, {line.product_id: line.quantity - line.quantity_consumed
                                           for line in production.components
                                           if line.quantity > line.quantity_consumed})
        session.flush()
    return production


def _positive(quantity) -> Decimal:
    if isinstance(quantity, bool) or not isinstance(quantity, Decimal | int) or quantity <= 0:
        raise ValidationError(gettext("Enter a quantity above zero."), "quantity")
    return Decimal(quantity)


def _needs(session: Session, production: Production, quantity: Decimal, last: bool,
           extra: Iterable[Mapping]) -> dict[int, Decimal]:
    """product id -> what this part consumes: the plan's share (the rest of it for the last part), plus extra."""
    needs: dict[int, Decimal] = defaultdict(Decimal)
    share = {line.product_id: (line.quantity - line.quantity_consumed if last
                               else line.quantity * quantity / production.quantity)
             for line in production.components}
    for product_id, amount in _rounded(session, share).items():
        needs[product_id] += amount
    known = {line.product_id for line in production.components}
    for index, line in enumerate(extra):
        product = session.get(Product, line.get("product_id")) if line.get("product_id") else None
        if product is None or product.company_id != production.company_id:
            raise ValidationError(gettext("Extra consumption %(number)s: choose a product of this company.",
                                          number=index + 1), "extra")
        needs[product.id] += _positive(line.get("quantity"))
        if product.id not in known:
            production.components.append(ProductionComponent(
                company_id=production.company_id, product_id=product.id, quantity=ZERO, quantity_consumed=ZERO,
                planned_unit_cost=ZERO))
            known.add(product.id)
    return {product_id: amount for product_id, amount in needs.items() if amount > 0}


def _check_available(session: Session, production: Production, quantity: Decimal, needs: Mapping[int, Decimal],
                     opened: list[StockMove]) -> None:
    """Refuse a part whose components are not on hand (what the order reserved counts), naming each short
    component; products that allow negative stock and consumables are never short."""
    rules = product_rules(session, product_ids=needs)
    strict = [product_id for product_id in needs if rules[product_id].followed and not rules[product_id].allow_negative]
    places = subtrees(session, location_ids=[production.location_id])[production.location_id]
    held = on_hand(session, product_ids=strict, location_ids=places) if strict else {}
    mine = defaultdict(Decimal)
    for move in opened:
        mine[move.product_id] += move.reserved
    short = []
    for product_id in strict:
        quantity_on_hand, reserved = held.get(product_id, (ZERO, ZERO))
        available = quantity_on_hand - reserved + mine[product_id]
        if needs[product_id] > available:
            short.append(gettext("%(component)s: %(needed)s needed, %(available)s available",
                                 component=rules[product_id].name, needed=number(needs[product_id]),
                                 available=number(max(available, ZERO))))
    if short:
        raise ValidationError(gettext(
            "Not enough components on hand to produce %(quantity)s of %(product)s: %(short)s.",
            quantity=number(quantity), product=production.product.display_name, short="; ".join(short)), "quantity")


def _consume(session: Session, production: Production, needs: Mapping[int, Decimal], stamp: dt.datetime) -> Decimal:
    """Consume ``needs``; return what the consumption was valued at (refused when a component has no cost)."""
    ids = _new_moves(session, production, needs, role=COMPONENT, into_production=True)
    moves = [session.get(StockMove, move_id) for move_id in ids]
    stock_moves.done(session, moves, date=stamp)
    rows = session.execute(select(StockMove.product_id, StockMove.product_quantity, StockMove.unit_cost)
                           .where(StockMove.id.in_(ids))).all()
    costless = sorted({row.product_id for row in rows if not row.unit_cost})
    if costless:
        names = [product_rules(session, product_ids=costless)[product_id].name for product_id in costless]
        raise ValidationError(gettext(
            "These components have no cost: %(names)s. Receive them at a cost, or set their cost, before producing "
            "with them.", names=", ".join(names)), "quantity")
    for line in production.components:
        line.quantity_consumed += needs.get(line.product_id, ZERO)
    return sum((row.product_quantity * row.unit_cost for row in rows), ZERO)


def _record_minutes(production: Production, quantity: Decimal, minutes: Mapping[int, Decimal] | None) -> Decimal:
    """Add this part's minutes to the operations; return what they cost."""
    cost = ZERO
    for operation in production.operations:
        if minutes is not None and operation.id in minutes:
            spent = Decimal(minutes[operation.id])
            if spent < 0:
                raise ValidationError(gettext("Minutes cannot be negative."), "minutes")
        else:
            spent = (operation.planned_minutes * quantity / production.quantity).quantize(Decimal("0.01"))
        operation.minutes_done += spent
        cost += spent * operation.hourly_cost / SIXTY
    return cost


def _put_away(session: Session, production: Production, quantity: Decimal, total: Decimal,
              stamp: dt.datetime) -> None:
    """The finished goods and by-products into stock, sharing ``total`` as the bill's cost shares say."""
    bom = production.bom
    made = convert(bom.quantity, bom.uom, production.product.uom)
    byproducts = _rounded(session, {line.product_id: convert(line.quantity, line.uom, line.product.uom)
                                    * quantity / made for line in bom.byproducts})
    shares = {line.product_id: line.cost_share for line in bom.byproducts}
    costs = {product_id: round6(total * shares[product_id] / HUNDRED / amount)
             for product_id, amount in byproducts.items()}
    kept = HUNDRED - sum(shares.values(), ZERO)
    unit_cost = round6(total * kept / HUNDRED / quantity)
    finished = _new_moves(session, production, {production.product_id: quantity}, role=FINISHED,
                          into_production=False, costs={production.product_id: unit_cost})
    extra = _new_moves(session, production, byproducts, role=BYPRODUCT, into_production=False, costs=costs)
    stock_moves.done(session, [session.get(StockMove, move_id) for move_id in (*finished, *extra)], date=stamp)


# --- scrap and cancel ---


def scrap(session: Session, production: Production, *, product_id: int, quantity: Decimal,
          date: dt.datetime | None = None) -> None:
    """Scrap ``quantity`` of a component (its own unit) during production: it goes to the inventory-loss
    location, out of the stock value, and counts in the order's actual cost as scrap."""
    _require(production, (CONFIRMED, PROGRESS), gettext("Only a confirmed production order scraps components."))
    quantity = _positive(quantity)
    with session.begin_nested():
        mine = [move for move in _open_components(session, production) if move.product_id == product_id]
        if mine:
            stock_moves.unreserve(session, mine)
        loss = stock_settings(session, production.company_id).inventory_location_id
        ids = _new_moves(session, production, {product_id: quantity}, role=SCRAP, into_production=True,
                         dest_location_id=loss)
        stock_moves.done(session, [session.get(StockMove, move_id) for move_id in ids], date=date)
        if mine:
            stock_moves.reserve(session, mine)


def cancel_production(session: Session, production: Production) -> Production:
    """Cancel an order that consumed nothing yet, giving back what it reserved."""
    _require(production, (DRAFT, CONFIRMED, PROGRESS), gettext("A done production order is not cancelled."))
    consumed = order_moves(session, production, roles=(COMPONENT, SCRAP), states=(MOVE_DONE,))
    if consumed:
        raise ValidationError(gettext(
            "%(order)s has consumed components already: cancelling it would leave them neither in stock nor in a "
            "product. Produce what it allows and close it instead.", order=production.display_name), "state")
    with session.begin_nested():
        stock_moves.cancel(session, [move for move in _open_components(session, production)
                                     if move.state != MOVE_CANCELLED])
        production.state = CANCELLED
        session.flush()
    return production
