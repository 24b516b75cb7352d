"""Smart buttons: the header of a record page counts related records and opens their list, filtered.

An installed addon offers them for any model's pages through the ``record_smart_buttons`` hook (CRM offers
a partner's opportunities, accounting its invoices), so the model's own addon needs to know none of them.
The core adds one of its own to every record with open activities: their count, opening the chatter's planned
activities on the same page. A button names a generic list and that list's many-to-one field pointing at the record; the
count is the list's own query narrowed by ``by.<field>`` (:meth:`ModelView.count_rows`), one per button,
through the user's session: record rules apply, and the count is of the rows the list would show them. A
button appears only when its list is mounted (its addon installed) and the user may read its model.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.chatter.models import OPEN, Activity

from .context import can, current_actor, current_registry, db
from .links import view_of


@dataclass(frozen=True)
class SmartButton:
    """A count of ``model``'s related records, opening the list at ``endpoint`` filtered by its ``field``."""

    model: type  # the model whose record pages show the button
    label: str
    endpoint: str  # a generic list (``<addon>.<view>_list``)
    field: str  # that list's many-to-one field pointing at ``model``
    sequence: int = 10


@dataclass(frozen=True)
class ShownButton:
    label: str
    count: str
    url: str


def smart_buttons(record) -> list[ShownButton]:
    """The smart buttons of ``record``'s page, for the user: each with its count and its filtered list."""
    from .views import ListParams

    offered = [button for result in current_registry().hook.record_smart_buttons(model=type(record))
               for button in (result or ()) if isinstance(record, button.model)]
    shown = []
    for button in sorted(offered, key=lambda button: (button.sequence, str(button.label))):
        target = view_of(button.endpoint)
        if target is None or not can(target.model, "read") or button.field not in target.filterable_fields():
            continue
        params = ListParams(q="", filters=(), sort=target.default_order, descending=False, page=1,
                            by={button.field: record.id})
        limit = target.count_limit
        count = db().scalar(target.count_rows(params, current_actor(), limit))
        text = format_decimal(limit) + "+" if count > limit else format_decimal(count)
        shown.append(ShownButton(str(button.label), text, url_for(button.endpoint, **{f"by.{button.field}": record.id})))
    return shown + _activities(record)


def _activities(record) -> list[ShownButton]:
    """The record's open activities the user may read (the chatter's rules apply), when there are any."""
    if not can(Activity, "read"):
        return []
    count = db().scalar(select(func.count()).select_from(Activity).where(
        Activity.res_model == record.__tablename__, Activity.res_id == record.id, Activity.state == OPEN))
    if not count:
        return []
    return [ShownButton(str(_l("Activities")), format_decimal(count), f"{request.path}#planned-activities")]
