"""The cost report of a production order: planned against actual, per component and operation.

Planned: what the order planned when confirmed (each component's quantity at
its cost then; each operation's minutes, setup included, at the work centre's
hourly cost then). Actual: what its done moves were valued at (each
component under its own valuation method) and the minutes recorded; scrap
apart. Three queries.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from addons.stock.models import StockMove
from addons.stock.models.moves import DONE as MOVE_DONE

from ..models import BYPRODUCT, COMPONENT, FINISHED, SCRAP, Production, ProductionMove
from .costing import SIXTY, round6

ZERO = Decimal(0)


@dataclass(frozen=True)
class CostLine:
    label: str
    planned_quantity: Decimal
    planned_cost: Decimal
    actual_quantity: Decimal
    actual_cost: Decimal

    @property
    def difference(self) -> Decimal:
        return self.actual_cost - self.planned_cost


@dataclass
class CostReport:
    components: list[CostLine] = field(default_factory=list)
    operations: list[CostLine] = field(default_factory=list)
    scrap: Decimal = ZERO
    finished_value: Decimal = ZERO
    byproducts_value: Decimal = ZERO
    planned_unit_cost: Decimal | None = None
    actual_unit_cost: Decimal | None = None

    @property
    def planned_total(self) -> Decimal:
        return sum((line.planned_cost for line in (*self.components, *self.operations)), ZERO)

    @property
    def actual_total(self) -> Decimal:
        return sum((line.actual_cost for line in (*self.components, *self.operations)), ZERO)


def cost_report(session: Session, production: Production) -> CostReport:
    values = _values_by_role(session, production)
    report = CostReport(planned_unit_cost=production.planned_unit_cost)
    for line in production.components:
        quantity, value = values[COMPONENT].get(line.product_id, (ZERO, ZERO))
        report.components.append(CostLine(line.product.display_name, line.quantity,
                                          round6(line.quantity * line.planned_unit_cost), quantity, round6(value)))
    for operation in production.operations:
        report.operations.append(CostLine(
            f"{operation.name} ({operation.workcentre.display_name})", operation.planned_minutes,
            round6(operation.planned_minutes * operation.hourly_cost / SIXTY), operation.minutes_done,
            round6(operation.minutes_done * operation.hourly_cost / SIXTY)))
    report.scrap = round6(sum((value for _quantity, value in values[SCRAP].values()), ZERO))
    report.finished_value = round6(sum((value for _quantity, value in values[FINISHED].values()), ZERO))
    report.byproducts_value = round6(sum((value for _quantity, value in values[BYPRODUCT].values()), ZERO))
    if production.quantity_done:
        report.actual_unit_cost = round6(report.finished_value / production.quantity_done)
    return report


def _values_by_role(session: Session, production: Production) -> dict[str, dict[int, tuple[Decimal, Decimal]]]:
    """role -> product id -> (quantity, value) of the order's done moves."""
    found: dict = defaultdict(dict)
    for role, product_id, quantity, value in session.execute(
            select(ProductionMove.role, StockMove.product_id, func.sum(StockMove.product_quantity),
                   func.sum(StockMove.product_quantity * StockMove.unit_cost))
            .join(StockMove, StockMove.id == ProductionMove.move_id)
            .where(ProductionMove.production_id == production.id, StockMove.state == MOVE_DONE)
            .group_by(ProductionMove.role, StockMove.product_id)):
        found[role][product_id] = (Decimal(quantity), Decimal(value or 0))
    return found
