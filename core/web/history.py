"""The history panel of a record page: its audit entries, each value shown as the record page shows it.

The audit log keeps values as text (an id, ``True``, ``2026-10-19``,
``draft``); the panel turns them back through the field layer: a choice by
its translated label, yes/no, numbers, dates and times in the user's locale
and time zone, a related record by its name (looked up as the user, so a
record they may not read stays a number).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from flask_babel import format_date, format_datetime, format_decimal, gettext
from sqlalchemy import select

from core.fields import Field, fields_of
from core.models import AuditLog, User

from .context import can, db, system_session
from .forms import display_name

#: entries shown, newest first
SHOWN = 100


def record_history(view, record_id: int) -> list[dict]:
    """The record's audit entries; the caller has already loaded the record as the user."""
    rows = system_session().execute(
        select(AuditLog, User.name)
        .outerjoin(User, User.id == AuditLog.user_id)
        .where(AuditLog.table_name == view.model.__tablename__, AuditLog.record_id == record_id)
        .order_by(AuditLog.id.desc())
        .limit(SHOWN)
    ).all()
    hidden = set(getattr(view.model, "__audit_exclude__", ()))
    fields = {**view.fields(), **fields_of(view.model)}
    names = _related_names(fields, [entry for entry, _user in rows])
    history = []
    for entry, user_name in rows:
        changes = [{"field": view.label_of(name), "old": _shown(fields.get(name), old, names),
                    "new": _shown(fields.get(name), new, names)}
                   for name, (old, new) in entry.changes.items() if name not in hidden and name != "record"]
        if entry.action == "update" and not changes:
            continue
        history.append({"entry": entry, "user": user_name or gettext("System"), "changes": changes})
    return history


def _related_names(fields: dict[str, Field], entries: list) -> dict[tuple, str]:
    """(target model, id text) -> the record's name, for the related records the entries name: one query per
    target model, as the user (what their rules hide, and models they may not read, are left out)."""
    wanted: dict[type, set[int]] = defaultdict(set)
    for entry in entries:
        for name, values in entry.changes.items():
            found = fields.get(name)
            if found is not None and found.kind == "many2one":
                wanted[found.target].update(int(v) for v in values if isinstance(v, str) and v.isdigit())
    names = {}
    for target, ids in wanted.items():
        if not can(target, "read"):
            continue
        for record in db().scalars(select(target).where(target.id.in_(sorted(ids)))):
            names[target, str(record.id)] = display_name(record)
    return names


def _shown(found: Field | None, text, names: dict[tuple, str]):
    """A logged value as the record page would show it (the text itself when it does not read as the field's)."""
    if text is None or found is None:
        return text
    try:
        if found.kind == "choice":
            return next((str(label) for choice, label in found.choices if str(choice) == text), text)
        if found.kind == "bool" and text in ("True", "False"):
            return gettext("Yes") if text == "True" else gettext("No")
        if found.kind == "decimal":
            return format_decimal(Decimal(text))
        if found.kind == "datetime":
            return format_datetime(dt.datetime.fromisoformat(text), "short")
        if found.kind == "date":
            return format_date(dt.date.fromisoformat(text))
        if found.kind == "many2one":
            return names.get((found.target, text), text)
    except (ValueError, InvalidOperation):
        return text
    return text
