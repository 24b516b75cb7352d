"""The kanban's column totals: each stage's card count and the sum of the view's money field (``kanban_sum``),
counted in SQL over every row the board's search and filters select (not only the cards shown)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from core.models import Company

from .context import system_session
from .i18n import money


@dataclass(frozen=True)
class ColumnTotal:
    count: int = 0
    amount: Decimal | None = None  # None: the view sums no field

    def formatted(self, currency: str) -> str:
        return money(self.amount, currency) if self.amount is not None else ""

    def as_json(self, currency: str) -> dict:
        """What the stage answer returns per column: the sum formatted on the server (no float arithmetic in JS)."""
        return {"count": self.count, "sum": self.formatted(currency)}


def column_totals(session, view, params, actor) -> dict[str, ColumnTotal]:
    """Each stage's total, by the stage's value as a string (the columns' ``data-stage``); empty stages too."""
    stage = getattr(view.model, view.stage_field)
    measures = [func.count()]
    if view.kanban_sum:
        measures.append(func.coalesce(func.sum(getattr(view.model, view.kanban_sum)), 0))
    statement = select(stage, *measures).where(*view.conditions(params, actor)).group_by(stage)
    found = {str(value): ColumnTotal(count, Decimal(amount[0]) if amount else None)
             for value, count, *amount in session.execute(statement)}
    empty = ColumnTotal(0, Decimal(0) if view.kanban_sum else None)
    return {str(value): found.get(str(value), empty) for value, _label in view.stages(session)}


def company_currency(actor) -> str:
    """The currency the board's sums are in: the user's company's (read whatever groups may read companies)."""
    return system_session().get(Company, actor.company_id).currency_code
