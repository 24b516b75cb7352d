"""The record page's status bar: the values of a state or stage field in order, the record's own highlighted.

A view shows one when it names a ``status_field`` or has a kanban ``stage_field``. Its stages are clickable
only for the kanban's stage field, for a user who may write the model and when the field is not read-only for
the record: the click posts to the same ``<view>_stage`` route a kanban drop uses, so the same service and
record rules decide. A workflow state only services change (a posted invoice) is shown, never clickable.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from core.fields import fields_of

from .context import can


@dataclass(frozen=True)
class Stage:
    value: str
    label: str
    current: bool


@dataclass(frozen=True)
class StatusBar:
    label: str
    stages: tuple[Stage, ...]
    #: where a click posts the chosen stage (None: the stages are not clickable)
    url: str | None


def status_bar(view, session, record) -> StatusBar | None:
    """The bar for ``record``'s page, or None when its view declares no status."""
    name = view.status_field or view.stage_field
    if name is None:
        return None
    found = fields_of(view.model)[name]
    current = getattr(record, name)
    if name == view.stage_field:
        values = view.stages(session)
    else:
        values = [(value, str(label)) for value, label in found.choices]
    stages = tuple(Stage(str(value), label, value == current) for value, label in values)
    clickable = name == view.stage_field and can(view.model, "write") and not found.is_readonly(record)
    url = url_for(view.endpoint("stage"), record_id=record.id) if clickable else None
    return StatusBar(str(view.label_of(name)), stages, url)
