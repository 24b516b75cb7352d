"""Panels and buttons: what addons add to another addon's record page (e.g. a partner's unpaid invoices)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    """A titled box of (label, value) lines, optionally a warning and a link to more."""

    title: str
    lines: tuple[tuple[str, str], ...] = ()
    warning: str | None = None
    endpoint: str | None = None
    endpoint_args: tuple[tuple[str, object], ...] = ()
    sequence: int = 10
    #: the link's text (default "See all")
    link_label: str | None = None


@dataclass(frozen=True)
class LineNote:
    """A short remark under one line of another addon's document (a quotation line's stock), maybe a warning."""

    line_id: int
    text: str
    warning: bool = False


@dataclass(frozen=True)
class RecordButton:
    """A button on a record's page that posts (with the CSRF token) to ``endpoint``; its route does the work."""

    label: str
    endpoint: str
    endpoint_args: tuple[tuple[str, object], ...] = ()
    sequence: int = 10
