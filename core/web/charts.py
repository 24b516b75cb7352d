"""Bar, line and pie charts as SVG shapes computed here and drawn by a template (core/_chart.html): no
script, no inline style (the CSP allows neither), colours from CSS classes (``s0`` … ``s7``).

The figures come from a :class:`~core.web.pivot.Pivot`: its rows are the categories, each of its columns (and
currency) a series. Floats are used for geometry only; every number shown is the Decimal, formatted.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field as dataclass_field
from decimal import Decimal

from flask_babel import format_decimal

from .pivot import Formatter, Header, Pivot

CHARTS = ("bar", "line", "pie")
COLOURS = 8
#: the most series a chart draws (one colour each)
MAX_SERIES = COLOURS
WIDTH, HEIGHT = 760, 360
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 16, 96
PIE_SIZE = 300


@dataclass
class Series:
    label: str
    values: list[Decimal | None]
    texts: list[str]
    colour: str


@dataclass
class Shape:
    """One drawn thing: a rectangle (bar), a path (pie slice), a dot (line point), with its tooltip."""
    kind: str
    colour: str
    title: str
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    d: str = ""


@dataclass
class Chart:
    kind: str
    series: list[Series]
    categories: list[str]
    width: int = WIDTH
    height: int = HEIGHT
    shapes: list[Shape] = dataclass_field(default_factory=list)
    lines: list[tuple[str, str]] = dataclass_field(default_factory=list)  # (colour, points) of a line chart
    ticks: list[tuple[float, str]] = dataclass_field(default_factory=list)  # (y, label) of the value axis
    labels: list[tuple[float, str, str]] = dataclass_field(default_factory=list)  # (x, short, full) of categories
    baseline: float = 0
    truncated: bool = False  # more series than colours

    @property
    def legend(self) -> list[tuple[str, str]]:
        if self.kind == "pie":
            return [(f"s{n % COLOURS}", label) for n, label in enumerate(self.categories)]
        return [(series.colour, series.label) for series in self.series]


def chart_series(pivot: Pivot, formatter: Formatter) -> tuple[list[Series], bool]:
    """One series per pivot column and currency (a multi-currency sum is never added across currencies)."""
    currencies = {currency for amounts in pivot.column_totals.values() for currency in amounts}
    found = []
    for c, column in enumerate(pivot.columns):
        for currency in sorted(pivot.column_totals.get(c, {})) or [""]:
            label = f"{column.label} · {currency}" if len(currencies) > 1 else column.label
            values = [pivot.cell(r, c).get(currency) for r in range(len(pivot.rows))]
            texts = [formatter.text({currency: value}) if value is not None else "" for value in values]
            found.append(Series(label, values, texts, f"s{len(found) % COLOURS}"))
    return found[:MAX_SERIES], len(found) > MAX_SERIES


def build_chart(kind: str, pivot: Pivot, formatter: Formatter) -> Chart:
    series, truncated = chart_series(pivot, formatter)
    chart = Chart(kind, series, [row.label for row in pivot.rows], truncated=truncated)
    if kind == "pie":
        _pies(chart)
    else:
        _axes(chart, formatter)
    return chart


def _axes(chart: Chart, formatter: Formatter) -> None:
    values = [float(v) for s in chart.series for v in s.values if v is not None] or [0.0]
    low, high = min(0.0, *values), max(0.0, *values)
    step = _nice_step((high - low) / 4 or 1)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step or step
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return TOP + (high - value) / (high - low) * plot_height

    chart.baseline = y(0)
    chart.ticks = [(y(low + n * step), format_decimal(Decimal(str(round(low + n * step, 10))).normalize()))
                   for n in range(round((high - low) / step) + 1)]
    count = max(1, len(chart.categories))
    band = plot_width / count
    chart.labels = [(LEFT + (n + 0.5) * band, label if len(label) <= 14 else label[:13] + "…", label)
                    for n, label in enumerate(chart.categories)]
    width = band * 0.8 / max(1, len(chart.series))
    for s, series in enumerate(chart.series):
        points = []
        for n, (value, text) in enumerate(zip(series.values, series.texts)):
            if value is None:
                continue
            title = f"{chart.categories[n]} · {series.label}: {text}"
            if chart.kind == "bar":
                top, bottom = y(max(float(value), 0)), y(min(float(value), 0))
                chart.shapes.append(Shape("rect", series.colour, title, x=LEFT + n * band + band * 0.1 + s * width,
                                          y=top, width=width, height=max(bottom - top, 0.5)))
            else:
                x = LEFT + (n + 0.5) * band
                points.append(f"{x:.1f},{y(float(value)):.1f}")
                chart.shapes.append(Shape("dot", series.colour, title, x=x, y=y(float(value))))
        if points:
            chart.lines.append((series.colour, " ".join(points)))


def _nice_step(rough: float) -> float:
    """1, 2 or 5 times a power of ten, at least ``rough``."""
    power = 10 ** math.floor(math.log10(rough))
    return next(power * factor for factor in (1, 2, 5, 10) if power * factor >= rough)


def _pies(chart: Chart) -> None:
    """One pie per series, side by side; negative and empty values take no slice."""
    chart.width, chart.height = max(1, len(chart.series)) * PIE_SIZE, PIE_SIZE
    radius = PIE_SIZE / 2 - 12
    for s, series in enumerate(chart.series):
        centre_x, centre_y = s * PIE_SIZE + PIE_SIZE / 2, PIE_SIZE / 2
        parts = [(n, float(v)) for n, v in enumerate(series.values) if v is not None and v > 0]
        total = sum(value for _n, value in parts)
        angle = -math.pi / 2
        for n, value in parts:
            title = f"{series.label} · {chart.categories[n]}: {series.texts[n]}"
            sweep = 2 * math.pi * value / total
            if len(parts) == 1:
                chart.shapes.append(Shape("circle", f"s{n % COLOURS}", title, x=centre_x, y=centre_y,
                                          width=radius))
                continue
            start = (centre_x + radius * math.cos(angle), centre_y + radius * math.sin(angle))
            angle += sweep
            end = (centre_x + radius * math.cos(angle), centre_y + radius * math.sin(angle))
            large = 1 if sweep > math.pi else 0
            chart.shapes.append(Shape("path", f"s{n % COLOURS}", title,
                                      d=f"M{centre_x:.1f},{centre_y:.1f} L{start[0]:.1f},{start[1]:.1f} "
                                        f"A{radius:.1f},{radius:.1f} 0 {large} 1 {end[0]:.1f},{end[1]:.1f} Z"))


class Numbers:
    """Shows a figure as a number in the user's locale (what the charts' tooltips say)."""

    def text(self, amounts: dict) -> str:
        return " · ".join(format_decimal(value) for _currency, value in sorted(amounts.items()))


def series_chart(kind: str, categories: list[str], series: dict[str, list]) -> Chart | None:
    """A report's figures as a chart: ``kind`` (bar, line, pie) of ``series`` (label -> one value or None per
    category); None with nothing to draw."""
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
