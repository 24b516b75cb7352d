"""Standard cost set by hand: what is on hand is revalued at the new cost, with an explicit ``revalue`` entry."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import insert, inspect, select, update
from sqlalchemy.orm import Session

from addons.products.models import Product
from core.db import utcnow

from ..models.products import STANDARD
from ..models.valuation import REVALUE, ValuationEntry, ValuationState
from .engine import ZERO, round6
from .store import product_settings

_entries, _states = ValuationEntry.__table__, ValuationState.__table__


def revalue_standard_costs(session: Session, dirty, skip=frozenset()) -> None:
    """Before a flush that changes the cost of products valued at standard cost, revalue their stock on hand
    in every company (the difference times the quantity) and keep the new standard in their totals; ``skip``:
    products revalued already (their method changed)."""
    changed = {}
    for record in dirty:
        if isinstance(record, Product) and record.id not in skip:
            history = inspect(record).attrs.cost.history
            if history.added and history.deleted and history.added[0] != history.deleted[0]:
                changed[record.id] = Decimal(history.added[0])
    if not changed:
        return
    standard = [product_id for product_id, setting in product_settings(session, changed).items()
                if setting.method == STANDARD]
    if not standard:
        return
    connection, now = session.connection(), utcnow()
    states = connection.execute(select(_states).where(_states.c.product_id.in_(standard)).with_for_update()).all()
    for state in states:
        cost = changed[state.product_id]
        value = round6(state.quantity * (cost - state.cost))
        if value != ZERO:
            connection.execute(insert(_entries), [{
                "company_id": state.company_id, "product_id": state.product_id, "move_id": None, "date": now,
                "kind": REVALUE, "quantity": ZERO, "unit_cost": cost, "value": value}])
        connection.execute(update(_states).where(_states.c.id == state.id).values(
            cost=cost, value=state.value + value))
