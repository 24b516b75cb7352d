"""The requirements run (MRP): what to make and buy, when, for which demands, over every level of the bills.

1. Lock the company's planning row (:mod:`.lock`): one run per company at a time.
2. Read the independent demands: forecasts from today on, and what the
   ``manufacturing_demands`` hook answers (open sales orders, through the
   ``manufacturing_sales`` bridge). Products with a reorder rule or a draft
   production order are planned too.
3. Give every product its low-level code, the deepest level it is used at in
   any bill (one ``components_of`` query per level), so each product is
   netted once, after every product that needs it.
4. Level by level: read the level's figures (:mod:`.figures`, a few queries
   per level), net each product (:mod:`.netting`); a product made by a bill
   valid today gets *make* proposals starting its manufacturing lead time
   earlier, whose components become demands of the next levels on that start
   date; a kit passes its demands to its components; any other product gets
   *buy* proposals starting the supplier's lead time earlier
   (``manufacturing_sources`` hook).
5. Replace the company's open proposals with the new ones (one batch insert).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from flask_babel import gettext
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from addons.products.models import Product, Uom
from addons.stock.models import ReorderRule
from addons.stock.services.setup import default_warehouse
from core.db import utcnow
from core.sessions import system_rows

from ..models import DRAFT, KIT, Production
from ..services.explode import all_units, bom_components, components_of, cycle_error, valid_boms
from .figures import chunks, level_figures
from .lock import lock_planning
from .models import BUY, MAKE, PROPOSED, Forecast, Proposal
from .netting import net

PLACES = Decimal("0.0001")
DEEPEST = 100
BUCKET_DAYS = 7


@dataclass(frozen=True)
class RunSummary:
    demands: int
    proposals: int
    levels: int


def run_requirements(session: Session, company_id: int, *, today: dt.date | None = None,
                     bucket_days: int = BUCKET_DAYS) -> RunSummary:
    """Plan the company (see the module's docstring); return how many demands, proposals and levels. A
    product's shortfalls within ``bucket_days`` of a proposal are added to it (:mod:`.netting`)."""
    today = today or dt.date.today()
    with session.begin_nested():
        state = lock_planning(session, company_id)
        with system_rows(session) as system:  # a company without one gets its main warehouse, as stock does
            warehouse_id = default_warehouse(system, company_id).id
        gross = _independent_demands(session, company_id, today)
        demand_count = sum(len(rows) for rows in gross.values())
        levels = low_level_codes(session, set(gross) | _other_roots(session, company_id))
        rows, units = [], all_units(session)
        for level in range(max(levels.values(), default=-1) + 1):
            ids = [product_id for product_id, found in levels.items() if found == level]
            rows += _plan_level(session, company_id, ids, level, gross, today=today, warehouse_id=warehouse_id,
                                units=units, bucket_days=bucket_days)
        _replace_open_proposals(session, company_id, rows)
        state.last_run_at, state.last_run_by_id = utcnow(), session.info["actor"].user_id if session.info.get(
            "actor") else None
        state.proposals, state.demands = len(rows), demand_count
        session.flush()
    return RunSummary(demand_count, len(rows), len({row["level"] for row in rows}))


def _replace_open_proposals(session: Session, company_id: int, rows: list[dict]) -> None:
    """Delete the company's open proposals and insert ``rows``: one statement each, once the user's right to
    delete and create proposals is checked. Proposals are not audited and their ids are not needed, so the rows
    go straight to the driver's executemany (``core.bulk.insert_rows`` returns ids in order, which costs
    PostgreSQL seconds for a hundred thousand rows)."""
    actor = session.info.get("actor")
    if actor is not None:
        for operation in ("delete", "create"):
            session.info["registry"].require(actor, Proposal, operation)
    with system_rows(session) as system:
        system.execute(delete(Proposal).where(Proposal.company_id == company_id, Proposal.state == PROPOSED))
        if rows:
            system.connection().execute(insert(Proposal.__table__), rows)
    for record in list(session.identity_map.values()):  # loaded proposals may be gone, their ids reused
        if isinstance(record, Proposal):
            session.expire(record)


def _independent_demands(session: Session, company_id: int, today: dt.date) -> dict[int, list]:
    gross: dict[int, list] = defaultdict(list)
    for product_id, day, quantity in session.execute(
            select(Forecast.product_id, Forecast.date, Forecast.quantity)
            .where(Forecast.company_id == company_id, Forecast.date >= today)):
        gross[product_id].append((day, Decimal(quantity), gettext("Forecast %(date)s", date=day.isoformat())))
    for answer in session.info["registry"].hook.manufacturing_demands(session=session, company_id=company_id):
        for demand in answer or ():
            gross[demand.product_id].append((demand.date, demand.quantity, demand.origin))
    return gross


def _other_roots(session: Session, company_id: int) -> set[int]:
    """Products planned without a demand of their own: those with an active reorder rule or a draft order."""
    rules = select(ReorderRule.product_id).where(ReorderRule.company_id == company_id, ReorderRule.active.is_(True))
    drafts = select(Production.product_id).where(Production.company_id == company_id, Production.state == DRAFT)
    with system_rows(session) as system:  # the stock managers keep the rules; every planner follows them
        return set(system.scalars(rules.union(drafts)))


def low_level_codes(session: Session, roots: set[int]) -> dict[int, int]:
    """product id -> the deepest level it is used at under ``roots`` (0: a root used in no bill below)."""
    levels = dict.fromkeys(roots, 0)
    frontier, depth = set(roots), 0
    while frontier:
        depth += 1
        if depth > DEEPEST:
            raise cycle_error(session, tuple(sorted(frontier))[:5])
        below = components_of(session, frontier)
        frontier = {component for product_id in frontier for component in below.get(product_id, ())}
        for component in frontier:
            levels[component] = depth
    return levels


def _plan_level(session: Session, company_id: int, ids: list[int], level: int, gross: dict[int, list], *,
                today: dt.date, warehouse_id: int, units: dict, bucket_days: int) -> list[dict]:
    """Net every product of the level; return its proposal rows and add its components' demands to ``gross``."""
    if not ids:
        return []
    figures = level_figures(session, company_id, ids, today=today, units=units)
    for component_id, day, quantity, origin in figures.draft_components:
        gross[component_id].append((day, quantity, origin))
    boms = valid_boms(session, ids, on=today, units=units)
    components = bom_components(session, {bom.id for bom in boms.values()}, units)
    sources = _sources(session, company_id, [product_id for product_id in ids if product_id not in boms])
    codes, whole = _products(session, ids)
    now, rows = utcnow(), []
    for product_id in ids:
        demands = gross.pop(product_id, []) + figures.demands.get(product_id, [])
        bom = boms.get(product_id)
        if bom is not None and bom.kind == KIT:  # delivered as its components: their demand, on the same dates
            for day, quantity, origin in demands:
                for component_id, per_kit in components.get(bom.id, ()):
                    gross[component_id].append((day, per_kit * quantity / bom.quantity, origin))
            continue
        orders = net(figures.available.get(product_id, Decimal(0)), demands, figures.supplies.get(product_id, ()),
                     today=today, rule=figures.rules.get(product_id), rule_origin=gettext("Reorder rule"),
                     bucket_days=bucket_days)
        source = sources.get(product_id)
        lead = figures.produce_days.get(product_id, 0) if bom is not None else (source.lead_days if source else 0)
        for order in orders:
            quantity = order.quantity.quantize(Decimal(1) if product_id in whole else PLACES, rounding=ROUND_CEILING)
            if quantity <= 0:
                continue
            start = order.date - dt.timedelta(days=lead)
            rows.append({"company_id": company_id, "kind": MAKE if bom is not None else BUY,
                         "product_id": product_id, "quantity": quantity, "date_start": start,
                         "date_needed": order.date, "level": level, "bom_id": bom.id if bom is not None else None,
                         "supplier_id": source.supplier_id if bom is None and source else None,
                         "supplier_name": source.supplier_name if bom is None and source else None,
                         "warehouse_id": warehouse_id, "origin": order.origin_text(), "state": PROPOSED,
                         "computed_at": now})
            if bom is not None:
                for component_id, per_bom in components.get(bom.id, ()):
                    gross[component_id].append((start, per_bom * quantity / bom.quantity, codes[product_id]))
    return rows


def _sources(session: Session, company_id: int, product_ids: list[int]) -> dict:
    found = {}
    if product_ids:
        for answer in session.info["registry"].hook.manufacturing_sources(
                session=session, company_id=company_id, product_ids=product_ids):
            found.update(answer or {})
    return found


def _products(session: Session, ids: list[int]) -> tuple[dict[int, str], set[int]]:
    """The products' codes, and which of them are counted in whole units."""
    codes, whole = {}, set()
    for chunk in chunks(ids):
        for product_id, code, is_whole in session.execute(
                select(Product.id, Product.code, Uom.whole).join(Uom, Uom.id == Product.uom_id)
                .where(Product.id.in_(chunk))):
            codes[product_id] = code
            if is_whole:
                whole.add(product_id)
    return codes, whole
