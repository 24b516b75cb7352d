"""A valuation method changed while there is stock: what is on hand is revalued on the spot, as Odoo does.

The stock on hand leaves the old method and enters the new one at one unit
cost: the new standard (the product's cost) when the new method is standard
cost, else what the stock is worth per unit (value / quantity; the running
cost when the stock is not positive). The stock value becomes quantity × that
cost; a difference (rounding, or a standard that differs from the value) is a
``revalue`` entry. FIFO's open layers are closed; a product moving to FIFO
gets one layer of what it holds, at that cost. The method of a product is its
own, else its category's, else FIFO: changing a category's, or a product's
category, changes it too.
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import insert, inspect, select, update
from sqlalchemy.orm import Session

from addons.products.models import Product
from core.db import utcnow

from ..models import CategoryStock, ProductStock
from ..models.products import FIFO, STANDARD
from ..models.valuation import REVALUE, CostLayer, ValuationEntry, ValuationState
from ..services.rules import valuation_methods
from .engine import ZERO, round6

_entries, _states, _layers = ValuationEntry.__table__, ValuationState.__table__, CostLayer.__table__


def revalue_method_changes(session: Session, new, dirty, deleted) -> set[int]:
    """Before a flush that changes the valuation method of products with stock, revalue their stock; return the
    ids of the products revalued."""
    changed = _changed_methods(session, new, dirty, deleted)
    if not changed:
        return set()
    connection, now = session.connection(), utcnow()
    states = connection.execute(select(_states).where(_states.c.product_id.in_(changed))
                                .order_by(_states.c.id).with_for_update()).all()
    revalued = set()
    for state in states:
        if state.quantity == 0 and state.value == 0:
            continue
        product = session.get(Product, state.product_id)
        method = changed[state.product_id]
        cost = _entry_cost(method, state, product.cost or ZERO)
        value = round6(state.quantity * cost)
        if value != state.value:
            connection.execute(insert(_entries), [{
                "company_id": state.company_id, "product_id": state.product_id, "move_id": None, "date": now,
                "kind": REVALUE, "quantity": ZERO, "unit_cost": cost, "value": value - state.value}])
        connection.execute(update(_states).where(_states.c.id == state.id).values(cost=cost, value=value))
        connection.execute(update(_layers).where(_layers.c.company_id == state.company_id,
                                                 _layers.c.product_id == state.product_id,
                                                 _layers.c.remaining != 0).values(remaining=ZERO))
        if method == FIFO and state.quantity != 0 and state.last_move_id is not None:
            connection.execute(insert(_layers), [{
                "company_id": state.company_id, "product_id": state.product_id, "move_id": state.last_move_id,
                "date": state.last_date, "quantity": state.quantity, "unit_cost": cost,
                "remaining": state.quantity}])
        if method != STANDARD and state.company_id == product.company_id and product.cost != cost:
            product.cost = cost
        revalued.add(state.product_id)
    return revalued


def _entry_cost(method: str, state, standard: Decimal) -> Decimal:
    if method == STANDARD:
        return round6(standard)
    return round6(state.value / state.quantity) if state.quantity > 0 else state.cost


def _changed_methods(session: Session, new, dirty, deleted) -> dict[int, str]:
    """product id -> its new method, for the products whose method this flush changes."""
    own, categories, moved = {}, {}, {}
    for record in (*new, *dirty):
        if isinstance(record, ProductStock) and _changes(record, "valuation_method"):
            own[record.product_id] = record.valuation_method
        elif isinstance(record, CategoryStock) and _changes(record, "valuation_method"):
            categories[record.category_id] = record.valuation_method
        elif isinstance(record, Product) and record.id is not None and _changes(record, "category_id"):
            moved[record.id] = record.category_id
    for record in deleted:
        if isinstance(record, ProductStock):
            own[record.product_id] = None
        elif isinstance(record, CategoryStock):
            categories[record.category_id] = None
    if not (own or categories or moved):
        return {}
    candidates = set(own) | set(moved)
    if categories:
        candidates |= set(session.scalars(select(Product.id).where(Product.category_id.in_(categories))))
    with_stock = set(session.connection().execute(select(_states.c.product_id).where(
        _states.c.product_id.in_(candidates), (_states.c.quantity != 0) | (_states.c.value != 0))).scalars())
    if not with_stock:
        return {}
    before = valuation_methods(session, product_ids=with_stock)
    rows = session.execute(select(Product.id, Product.category_id, ProductStock.valuation_method)
                           .outerjoin(ProductStock, ProductStock.product_id == Product.id)
                           .where(Product.id.in_(with_stock))).all()
    placed = {product_id: moved.get(product_id, category_id) for product_id, category_id, _own in rows}
    wanted = {category_id for category_id in placed.values() if category_id is not None} - set(categories)
    category_methods = dict(session.execute(select(CategoryStock.category_id, CategoryStock.valuation_method)
                                            .where(CategoryStock.category_id.in_(wanted))).all()) if wanted else {}
    category_methods.update(categories)
    after = {product_id: own.get(product_id, own_method) or category_methods.get(placed[product_id]) or FIFO
             for product_id, _category, own_method in rows}
    return {product_id: method for product_id, method in after.items() if method != before[product_id]}


def _changes(record, name: str) -> bool:
    history = inspect(record).attrs[name].history
    return inspect(record).pending or bool(history.added or history.deleted)
