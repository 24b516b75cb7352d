"""Figures of the planning pages, each one query through the user's session (their companies bound it):

- the work-centre load: the hours the operations of confirmed and in-progress
  orders still need, per work centre and day (an order's on its scheduled
  date, a late one's today), against each centre's hours a day;
- the production dashboard: orders per state, late orders, quantity produced
  per month, and planned against actual cost of the orders done.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from addons.stock.models import StockMove
from addons.stock.models.moves import DONE as MOVE_DONE
from core.sql_dates import month_of

from ..models import CONFIRMED, DONE, FINISHED, PROGRESS, Production, ProductionMove, ProductionOperation, WorkCentre
from .figures import _day

SIXTY = Decimal(60)
OPEN = (CONFIRMED, PROGRESS)


@dataclass(frozen=True)
class LoadRow:
    centre: WorkCentre
    hours: dict[dt.date, Decimal]

    def overloaded(self, day: dt.date) -> bool:
        return self.hours.get(day, Decimal(0)) > self.centre.capacity_hours


def workcentre_load(session: Session, *, start: dt.date, days: int, today: dt.date) -> list[LoadRow]:
    """One row per active work centre: hours a day from ``start`` for ``days`` days."""
    day = case((Production.scheduled_date < today, literal(today)), else_=Production.scheduled_date)
    hours: dict[int, dict[dt.date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for centre_id, when, minutes in session.execute(
            select(ProductionOperation.workcentre_id, day,
                   func.sum(ProductionOperation.planned_minutes - ProductionOperation.minutes_done))
            .join(Production, Production.id == ProductionOperation.production_id)
            .where(Production.state.in_(OPEN), ProductionOperation.planned_minutes > ProductionOperation.minutes_done)
            .group_by(ProductionOperation.workcentre_id, day)):
        hours[centre_id][_day(when, today)] += Decimal(minutes) / SIXTY
    end = start + dt.timedelta(days=days)
    centres = session.scalars(select(WorkCentre).where(WorkCentre.active.is_(True)).order_by(WorkCentre.code))
    return [LoadRow(centre, {when: value.quantize(Decimal("0.01")) for when, value in hours[centre.id].items()
                             if start <= when < end}) for centre in centres]


@dataclass(frozen=True)
class Dashboard:
    by_state: dict[str, int]
    late: list[Production]
    produced: dict[str, Decimal]  # "YYYY-MM" -> quantity produced (each product in its own unit)
    costs: list[tuple[Production, Decimal, Decimal]]  # (order done, planned cost, actual cost)

    @property
    def variance(self) -> Decimal:
        return sum((actual - planned for _order, planned, actual in self.costs), Decimal(0))


def dashboard(session: Session, *, today: dt.date, months: int = 12, recent: int = 10) -> Dashboard:
    by_state = dict(session.execute(select(Production.state, func.count()).group_by(Production.state)).all())
    late = list(session.scalars(select(Production).where(Production.state.in_(OPEN), Production.scheduled_date < today)
                                .order_by(Production.scheduled_date, Production.id).limit(recent)))
    month = month_of(session, StockMove.date)
    since = dt.datetime.combine((today.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1),
                                dt.time())
    finished = (select(month, func.sum(StockMove.product_quantity))
                .join(ProductionMove, ProductionMove.move_id == StockMove.id)
                .where(ProductionMove.role == FINISHED, StockMove.state == MOVE_DONE, StockMove.date >= since)
                .group_by(month).order_by(month))
    produced = {key: Decimal(quantity) for key, quantity in session.execute(finished)}
    actual = (select(ProductionMove.production_id, func.sum(StockMove.product_quantity * StockMove.unit_cost)
                     .label("actual"))
              .join(StockMove, StockMove.id == ProductionMove.move_id)
              .where(ProductionMove.role == FINISHED, StockMove.state == MOVE_DONE)
              .group_by(ProductionMove.production_id).subquery())
    rows = session.execute(select(Production, actual.c.actual).join(actual, actual.c.production_id == Production.id)
                           .where(Production.state == DONE).order_by(Production.date_done.desc(), Production.id.desc())
                           .limit(recent)).all()
    costs = [(order, ((order.planned_unit_cost or Decimal(0)) * order.quantity_done).quantize(Decimal("0.01")),
              Decimal(value or 0).quantize(Decimal("0.01"))) for order, value in rows]
    return Dashboard(by_state, late, produced, list(reversed(costs)))
