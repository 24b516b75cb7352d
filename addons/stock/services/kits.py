"""Kits: products that are never in stock, moved as their components (an addon says which, through the
``stock_kit_components`` hook; ``manufacturing`` does, from its kit bills)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

PLACES = Decimal("0.0001")


def kit_rows(session: Session, company_id: int, rows: list[dict]) -> list[dict] | None:
    """``rows`` (checked move rows, with ``product_quantity``) with each kit's row replaced by a row per
    component; None when no row moves a kit."""
    hook = session.info["registry"].hook.stock_kit_components
    kits: dict = {}
    for answer in hook(session=session, company_id=company_id, product_ids=sorted({row["product_id"] for row in rows}),
                       date=dt.date.today()):
        kits.update(answer or {})
    if not any(row["product_id"] in kits for row in rows):
        return None
    opened = []
    for row in rows:
        if row["product_id"] not in kits:
            opened.append(row)
            continue
        for component_id, per_unit in kits[row["product_id"]]:
            opened.append({**{name: value for name, value in row.items() if name != "product_quantity"},
                           "product_id": component_id, "uom_id": None, "lot_id": None, "unit_cost": None,
                           "quantity": (row["product_quantity"] * per_unit).quantize(PLACES)})
    return opened
