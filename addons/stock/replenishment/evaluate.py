"""The replenishment list: every active reorder rule whose forecast is below its minimum, and how much to order.

A rule's forecast is the product's stock in its warehouse's held locations,
plus the pending (waiting or ready) moves into the warehouse, less those out
of it, scheduled up to the date needed (today + the rule's lead time): what
the warehouse will have when an order placed today arrives. Below the
minimum, the rule asks for enough to bring the forecast up to the maximum,
rounded up to a multiple of ``multiple``.

:func:`evaluate_rules` reads every rule's figures in one query (the
warehouses' location trees, quants and pending moves grouped per rule and
day; summed up to each rule's date here), then replaces the companies'
replenishment lines: one batch insert, whatever the number of rules.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_CEILING, Decimal

from flask_babel import gettext
from sqlalchemy import and_, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from core.bulk import insert_rows
from core.db import utcnow
from core.errors import ValidationError

from ..models import Quant, ReorderRule, ReplenishmentLine, StockMove, Transfer
from ..reports.forecast import PENDING
from ..reports.scope import warehouse_locations

ZERO = Decimal(0)


def suggested_quantity(forecast: Decimal, minimum: Decimal, maximum: Decimal, multiple: Decimal) -> Decimal:
    """What to order: nothing when the forecast is at the minimum or above; else up to the maximum, rounded
    up to a multiple of ``multiple``."""
    if forecast >= minimum:
        return ZERO
    return ((maximum - forecast) / multiple).to_integral_value(rounding=ROUND_CEILING) * multiple


def _rule_figures(company_ids: list[int] | None, today: dt.date):
    """SELECT (rule id, day, quantity) summed per rule and day: day NULL for the stock on hand, else the
    day pending moves change the warehouse's stock (incoming positive, outgoing negative)."""
    rules = [ReorderRule.active.is_(True)]
    if company_ids is not None:
        rules.append(ReorderRule.company_id.in_(company_ids))
    located = warehouse_locations().subquery()
    stock = (select(ReorderRule.id.label("rule_id"), literal(None).label("day"), Quant.quantity.label("quantity"))
             .join(located, located.c.warehouse_id == ReorderRule.warehouse_id)
             .join(Quant, and_(Quant.location_id == located.c.location_id, Quant.product_id == ReorderRule.product_id))
             .where(*rules))
    source, destination = located.alias("source_tree"), located.alias("destination_tree")
    into = and_(destination.c.warehouse_id == ReorderRule.warehouse_id,
                func.coalesce(source.c.warehouse_id, 0) != ReorderRule.warehouse_id)
    out_of = and_(source.c.warehouse_id == ReorderRule.warehouse_id,
                  func.coalesce(destination.c.warehouse_id, 0) != ReorderRule.warehouse_id)
    moves = (select(ReorderRule.id.label("rule_id"),
                    func.coalesce(Transfer.scheduled_date, literal(today)).label("day"),
                    case((into, StockMove.product_quantity), (out_of, -StockMove.product_quantity), else_=0).label("quantity"))
             .select_from(StockMove)
             .join(ReorderRule, ReorderRule.product_id == StockMove.product_id)
             .outerjoin(source, source.c.location_id == StockMove.source_location_id)
             .outerjoin(destination, destination.c.location_id == StockMove.dest_location_id)
             .outerjoin(Transfer, Transfer.id == StockMove.transfer_id)
             .where(*rules, StockMove.state.in_(PENDING), StockMove.company_id == ReorderRule.company_id,
                    (source.c.warehouse_id == ReorderRule.warehouse_id)
                    | (destination.c.warehouse_id == ReorderRule.warehouse_id)))
    both = union_all(stock, moves).subquery()
    return select(both.c.rule_id, both.c.day, func.sum(both.c.quantity)).group_by(both.c.rule_id, both.c.day)


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)  # SQLite gives text


def rule_forecasts(session: Session, *, company_ids: list[int] | None = None,
                   today: dt.date | None = None) -> dict[int, Decimal]:
    """{rule id: forecast at the rule's date needed} for the active rules (of ``company_ids``), in one query
    plus the rules' lead times."""
    today = today or dt.date.today()
    rules = select(ReorderRule.id, ReorderRule.lead_days).where(ReorderRule.active.is_(True))
    if company_ids is not None:
        rules = rules.where(ReorderRule.company_id.in_(company_ids))
    needed = {rule_id: today + dt.timedelta(days=lead_days) for rule_id, lead_days in session.execute(rules)}
    forecasts = dict.fromkeys(needed, ZERO)
    for rule_id, day, quantity in session.execute(_rule_figures(company_ids, today)):
        if rule_id in needed and (day is None or _day(day) <= needed[rule_id]):
            forecasts[rule_id] += Decimal(quantity or 0)
    return forecasts


def evaluate_rules(session: Session, *, company_ids: Iterable[int] | None = None,
                   today: dt.date | None = None) -> list[int]:
    """Replace the replenishment lines of ``company_ids`` (None: every company the session sees) with one line
    per active rule below its minimum; return the new lines' ids. The rules that were not below at the previous
    evaluation are announced (``stock_below_minimum``)."""
    today = today or dt.date.today()
    company_ids = None if company_ids is None else sorted(set(company_ids))
    forecasts = rule_forecasts(session, company_ids=company_ids, today=today)
    stale = select(ReplenishmentLine)
    if company_ids is not None:
        stale = stale.where(ReplenishmentLine.company_id.in_(company_ids))
    stale_lines = session.scalars(stale).all()
    already_below = {line.rule_id for line in stale_lines}
    for line in stale_lines:
        session.delete(line)
    session.flush()
    rules = session.scalars(select(ReorderRule).where(ReorderRule.id.in_(sorted(forecasts)))).all() \
        if forecasts else []
    now, rows = utcnow(), []
    for rule in sorted(rules, key=lambda rule: rule.id):
        forecast = forecasts[rule.id]
        quantity = suggested_quantity(forecast, rule.min_quantity, rule.max_quantity, rule.multiple)
        if quantity > 0:
            rows.append({"company_id": rule.company_id, "rule_id": rule.id, "product_id": rule.product_id,
                         "warehouse_id": rule.warehouse_id, "forecast": forecast, "min_quantity": rule.min_quantity,
                         "max_quantity": rule.max_quantity, "quantity": quantity,
                         "date_needed": today + dt.timedelta(days=rule.lead_days), "computed_at": now})
    ids = insert_rows(session, ReplenishmentLine, rows)
    fallen = [line_id for line_id, row in zip(ids, rows) if row["rule_id"] not in already_below]
    registry = session.info.get("registry")
    if fallen and registry is not None:
        registry.hook.stock_below_minimum(session=session, line_ids=fallen)
    return ids


def ordering_available(session: Session) -> bool:
    """Whether an installed addon orders replenishment lines (implements ``replenishment_proposed``)."""
    return bool(session.info["registry"].hook.replenishment_proposed.get_hookimpls())


def order_lines(session: Session, *, line_ids: Iterable[int]) -> list:
    """Hand the chosen lines to the addons that order them, then remove them from the list; return what those
    addons created."""
    ids = sorted(set(line_ids))
    lines = session.scalars(select(ReplenishmentLine).where(ReplenishmentLine.id.in_(ids))
                            .order_by(ReplenishmentLine.id)).all() if ids else []
    if not lines:
        raise ValidationError(gettext("Choose the lines to order."), "line_ids")
    if not ordering_available(session):
        raise ValidationError(gettext("No installed addon makes orders from the replenishment list."), "line_ids")
    created = [record for results in session.info["registry"].hook.replenishment_proposed(
        session=session, lines=list(lines)) for record in (results or ())]
    for line in lines:
        session.delete(line)
    session.flush()
    return created
