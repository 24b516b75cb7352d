"""Dashboard tiles: figures (and small charts) that addons put on the home page."""
from __future__ import annotations

from dataclasses import dataclass, field

from core.reports import Report


@dataclass(frozen=True)
class Tile:
    """A figure for the home page; ``chart`` is a list of (label, value) bars.

    ``endpoint`` (a Flask endpoint) is where clicking the tile leads.
    """

    title: str
    value: str
    endpoint: str | None = None
    caption: str = ""
    chart: tuple[tuple[str, float], ...] = field(default=())
    sequence: int = 10


@dataclass(frozen=True)
class Section:
    """A part of another addon's dashboard page (``sales_dashboard_sections``): a table of figures, a line
    saying how each figure is computed, and what to say when the table has no row.

    ``report`` is a :class:`core.reports.Report`; a cell holding text instead of a number (a figure that cannot be
    computed, e.g. "no new customers") is shown as it is.
    """

    report: Report
    explanations: tuple[str, ...] = ()
    empty: str = ""
    sequence: int = 10
