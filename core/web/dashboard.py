"""Dashboard tiles: figures (and small charts) that addons put on the home page."""
from __future__ import annotations

from dataclasses import dataclass, field


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
