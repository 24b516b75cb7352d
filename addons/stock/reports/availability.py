"""The ``product_availability`` hook's answer: on hand, forecast and unit cost of products, in one query."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from addons.products.models import Product
from core.availability import Availability

from .forecast import figures_subquery
from .scope import Scope

ZERO = Decimal(0)


def availability(session: Session, company_id: int, *, product_ids: Iterable[int], date: dt.date,
                 warehouse_id: int | None = None) -> dict[int, Availability]:
    """Every product of ``product_ids`` the session may read: its stock in the company's held locations now
    (only those of ``warehouse_id`` when given), its forecast at ``date`` and its cost."""
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    figures = figures_subquery(Scope(company_id, warehouse_id=warehouse_id), date, ids, dt.date.today())
    statement = (select(Product.id, Product.cost, figures.c.on_hand, figures.c.incoming, figures.c.outgoing)
                 .outerjoin(figures, figures.c.product_id == Product.id).where(Product.id.in_(ids)))
    found = {}
    for product_id, cost, on_hand, incoming, outgoing in session.execute(statement):
        on_hand = Decimal(on_hand or 0)
        found[product_id] = Availability(on_hand, on_hand + Decimal(incoming or 0) - Decimal(outgoing or 0),
                                         Decimal(cost or 0))
    return found
