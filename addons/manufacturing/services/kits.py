"""Kits for stock: what one unit of each kit holds, so stock moves its components instead (the
``stock_kit_components`` hook)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from addons.products.models import Product

from ..models import KIT
from .explode import explode, valid_boms


def kit_components(session: Session, product_ids: list[int], *, on: dt.date) -> dict[int, list[tuple[int, Decimal]]]:
    """kit product id -> [(component id, quantity per unit of the kit)], for the products among ``product_ids``
    whose bill valid on ``on`` is a kit; kits inside a kit are opened too."""
    kits = [product_id for product_id, bom in valid_boms(session, product_ids, on=on).items() if bom.kind == KIT]
    found = {}
    for product_id in kits:
        explosion = explode(session, session.get(Product, product_id), Decimal(1), on=on, kits_only=True)
        found[product_id] = sorted(explosion.leaves().items())
    return found
