"""What the requirements run reads for one level of bills, a few queries whatever the level's width.

For the level's products (in chunks of ``ID_CHUNK``) and one company:

- available today: on hand less reserved, in the company's held locations;
- supplies: pending moves into those locations from outside (receipts), on
  their transfer's scheduled date; the rest of the open production orders
  (draft, confirmed, in progress) on their scheduled date; what the
  ``manufacturing_supply`` hook answers (draft purchase orders);
- demands stock already knows of: what the confirmed orders' component moves
  still need beyond what they reserved; the components of draft production
  orders (planned, not reserved yet);
- reorder rules, summed over the company's warehouses;
- each product's manufacturing lead time.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from addons.stock.models import Location, Quant, ReorderRule, StockMove, Transfer
from addons.stock.models.locations import HELD
from addons.stock.reports.forecast import PENDING
from core.bulk import ID_CHUNK
from core.sessions import system_rows

from ..models import COMPONENT, CONFIRMED, DRAFT, PROGRESS, Bom, Production, ProductionMove
from ..services.explode import bom_components
from .models import ProductPlanning
from .netting import Rule

ZERO = Decimal(0)
OPEN = (DRAFT, CONFIRMED, PROGRESS)


@dataclass
class LevelFigures:
    available: dict[int, Decimal] = field(default_factory=dict)
    supplies: dict[int, list[tuple[dt.date, Decimal]]] = field(default_factory=lambda: defaultdict(list))
    demands: dict[int, list[tuple[dt.date, Decimal, str]]] = field(default_factory=lambda: defaultdict(list))
    rules: dict[int, Rule] = field(default_factory=dict)
    produce_days: dict[int, int] = field(default_factory=dict)
    draft_components: list[tuple[int, dt.date, Decimal, str]] = field(default_factory=list)


def chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for first in range(0, len(ordered), ID_CHUNK):
        yield ordered[first:first + ID_CHUNK]


def _day(value, today: dt.date) -> dt.date:
    if value is None:
        return today
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])  # SQLite: text


def level_figures(session: Session, company_id: int, product_ids: Iterable[int], *, today: dt.date,
                  units: dict) -> LevelFigures:
    figures = LevelFigures()
    held = select(Location.id).where(Location.company_id == company_id, Location.kind.in_(HELD))
    for ids in chunks(product_ids):
        _stock(session, figures, company_id, ids, held)
        _incoming(session, figures, company_id, ids, held, today)
        _productions(session, figures, company_id, ids, today, units)
        with system_rows(session) as system:  # the stock managers keep the rules; every planner follows them
            _rules(system, figures, company_id, ids)
        figures.produce_days.update(session.execute(
            select(ProductPlanning.product_id, ProductPlanning.produce_days)
            .where(ProductPlanning.product_id.in_(ids))).all())
        hook = session.info["registry"].hook
        for answer in hook.manufacturing_supply(session=session, company_id=company_id, product_ids=ids):
            for supply in answer or ():
                figures.supplies[supply.product_id].append((supply.date, supply.quantity))
    return figures


def _stock(session, figures, company_id, ids, held) -> None:
    for product_id, quantity, reserved in session.execute(
            select(Quant.product_id, func.sum(Quant.quantity), func.sum(Quant.reserved))
            .where(Quant.company_id == company_id, Quant.product_id.in_(ids), Quant.location_id.in_(held))
            .group_by(Quant.product_id)):
        figures.available[product_id] = Decimal(quantity or 0) - Decimal(reserved or 0)


def _incoming(session, figures, company_id, ids, held, today) -> None:
    day = func.coalesce(Transfer.scheduled_date, literal(today))
    for product_id, when, quantity in session.execute(
            select(StockMove.product_id, day, func.sum(StockMove.product_quantity))
            .outerjoin(Transfer, Transfer.id == StockMove.transfer_id)
            .where(StockMove.company_id == company_id, StockMove.product_id.in_(ids),
                   StockMove.state.in_(PENDING), StockMove.dest_location_id.in_(held),
                   StockMove.source_location_id.not_in(held))
            .group_by(StockMove.product_id, day)):
        figures.supplies[product_id].append((_day(when, today), Decimal(quantity)))
    for product_id, when, name, quantity, reserved in session.execute(
            select(StockMove.product_id, Production.scheduled_date, Production.name, StockMove.product_quantity,
                   StockMove.reserved)
            .join(ProductionMove, ProductionMove.move_id == StockMove.id)
            .join(Production, Production.id == ProductionMove.production_id)
            .where(Production.company_id == company_id, StockMove.product_id.in_(ids),
                   ProductionMove.role == COMPONENT, StockMove.state.in_(PENDING))):
        short = Decimal(quantity) - Decimal(reserved or 0)
        if short > 0:
            figures.demands[product_id].append((_day(when, today), short, name or ""))


def _productions(session, figures, company_id, ids, today, units) -> None:
    drafts = []
    for product_id, when, quantity, done, state, bom_id, name in session.execute(
            select(Production.product_id, Production.scheduled_date, Production.quantity, Production.quantity_done,
                   Production.state, Production.bom_id, Production.name)
            .where(Production.company_id == company_id, Production.state.in_(OPEN), Production.product_id.in_(ids))):
        left = Decimal(quantity) - Decimal(done or 0)
        if left > 0:
            figures.supplies[product_id].append((_day(when, today), left))
        if state == DRAFT and bom_id is not None:
            drafts.append((bom_id, _day(when, today), left, name))
    figures.draft_components += _draft_components(session, drafts, units)


def _draft_components(session, drafts, units) -> list[tuple[int, dt.date, Decimal, str]]:
    """(component id, date, quantity, origin) the draft production orders will consume."""
    if not drafts:
        return []
    made = dict(session.execute(select(Bom.id, Bom.quantity).where(Bom.id.in_({bom_id for bom_id, *_ in drafts}))).all())
    components = bom_components(session, made, units)
    found = []
    for bom_id, day, left, name in drafts:
        for component_id, quantity in components.get(bom_id, ()):
            found.append((component_id, day, quantity * left / made[bom_id],
                          name or gettext("Draft production order")))
    return found


def _rules(session, figures, company_id, ids) -> None:
    for product_id, minimum, maximum, multiple in session.execute(
            select(ReorderRule.product_id, func.sum(ReorderRule.min_quantity), func.sum(ReorderRule.max_quantity),
                   func.min(ReorderRule.multiple))
            .where(ReorderRule.company_id == company_id, ReorderRule.active.is_(True),
                   ReorderRule.product_id.in_(ids))
            .group_by(ReorderRule.product_id)):
        figures.rules[product_id] = Rule(Decimal(minimum), Decimal(maximum), Decimal(multiple))

