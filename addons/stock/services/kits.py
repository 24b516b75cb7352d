"""Kits: products that are never in stock, moved as their components (an addon says which, through the
``stock_kit_components`` hook; ``manufacturing`` does, from its kit bills)."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal

from sqlalchemy.orm import Session

PLACES = Decimal("0.0001")


def kits_of(session: Session, *, company_id: int, product_ids) -> dict[int, list[tuple[int, Decimal]]]:
    """The kits among ``product_ids`` today, each with its components and their quantity per kit (the
    ``stock_kit_components`` hook's answers)."""
    kits: dict = {}
    for answer in session.info["registry"].hook.stock_kit_components(
            session=session, company_id=company_id, product_ids=sorted(set(product_ids)), date=dt.date.today()):
        kits.update(answer or {})
    return kits


def fold_kits(session: Session, *, company_id: int, net: dict[tuple, Decimal], product_ids) -> None:
    """Count the kits among ``product_ids`` in ``net`` (quantities keyed by tuples that end with the product, as
    :func:`~addons.stock.services.documents.net_done` gives): a kit moved as its components counts as many whole
    sets as they make up, which are taken from the components' own counts. Kits inside kits are made up first."""
    kits, asked = {}, set()
    wanted = set(product_ids)
    while wanted - asked:  # the kits inside kits, level by level
        found = kits_of(session, company_id=company_id, product_ids=wanted - asked)
        asked |= wanted
        kits.update(found)
        wanted = {component for components in found.values() for component, _per_unit in components}
    done: set[int] = set()
    while len(done) < len(kits):
        ready = [kit for kit in kits if kit not in done
                 and all(component not in kits or component in done for component, _ in kits[kit])]
        if not ready:  # a cycle: the bills refuse them, so nothing more to count
            return
        for kit in ready:
            _fold(net, kit, kits[kit])
            done.add(kit)


def _fold(net: dict[tuple, Decimal], kit: int, components: list[tuple[int, Decimal]]) -> None:
    for prefix in {key[:-1] for key in list(net)}:
        sets = min((net.get((*prefix, component), Decimal(0)) / per_unit for component, per_unit in components),
                   default=Decimal(0))
        sets = max(sets, Decimal(0)).quantize(Decimal(1), rounding=ROUND_DOWN)  # only whole sets are delivered
        if sets:
            net[(*prefix, kit)] = net.get((*prefix, kit), Decimal(0)) + sets
            for component, per_unit in components:
                net[(*prefix, component)] -= sets * per_unit


def kit_rows(session: Session, company_id: int, rows: list[dict]) -> list[dict] | None:
    """``rows`` (checked move rows, with ``product_quantity``) with each kit's row replaced by a row per
    component; None when no row moves a kit."""
    kits = kits_of(session, company_id=company_id, product_ids={row["product_id"] for row in rows})
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
