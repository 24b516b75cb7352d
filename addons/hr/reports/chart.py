"""A report's figures drawn by the core's charts (:mod:`core.web.charts`), as the list views' graphs are."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import format_decimal

from core.web.charts import Chart, build_chart
from core.web.pivot import Header, Pivot


class Numbers:
    """Shows a figure as a number in the user's locale (what the charts' tooltips say)."""

    def text(self, amounts: dict) -> str:
        return " · ".join(format_decimal(value) for _currency, value in sorted(amounts.items()))


def chart(kind: str, categories: list[str], series: dict[str, list]) -> Chart | None:
    """``kind`` (bar, line) of ``series`` (label -> one value or None per category); None with nothing to draw."""
    if not categories or not series:
        return None
    pivot = Pivot([Header(category, ()) for category in categories], [Header(label, ()) for label in series])
    for column, values in enumerate(series.values()):
        for row, value in enumerate(values):
            if value is not None:
                pivot.cells[(row, column)] = {"": Decimal(value)}
                total = pivot.column_totals.setdefault(column, {"": Decimal(0)})
                total[""] += Decimal(value)
    return build_chart(kind, pivot, Numbers())
