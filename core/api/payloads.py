"""A record as JSON, as the acting user may read it: the API's answers and the webhooks' payloads.

Public entry points::

    payload(session, record, fields=None, expand=())   -> dict
    payloads(session, records, fields=None, expand=()) -> list[dict]   # a page: related records read in bulk

``session`` carries the acting user (``core.security.actor_session``): only the fields they may read appear
(:func:`core.api.readable.readable_fields`: never an internal field, an extension's only when they may read its
side records, a relation only when they may read its model), and every related record is read through their
record rules and companies. Values:

- ``Decimal`` (money, quantities) as a string (``"121.00"``): JSON numbers lose digits;
- dates and date-times in ISO 8601 (``"2026-03-31"``, ``"2026-03-31T09:30:00+00:00"``: stored in UTC);
- a many-to-one field as ``{"id": 7, "display_name": "Acme"}`` (``null`` when empty); a related record the
  user may not see by their record rules gives ``{"id": 7, "display_name": null}``, nothing more;
- a many-to-many field as a list of those;
- choices as their stored value, yes/no as booleans, JSON fields as they are.

``fields`` narrows the answer to those names (``id`` is always there; names the user may not read are
ignored: validate them first with :func:`unknown_fields`). ``expand`` names many-to-one or many-to-many fields
whose related records come whole (each by the same rules, one level deep) instead of id and name.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, selectinload

from core.fields import Field
from core.web.pickers import display_name

from .readable import extension_of_field, readable_fields


def payload(session: Session, record, fields: Iterable[str] | None = None, expand: Iterable[str] = ()) -> dict:
    """``record`` as a JSON-ready dict, as the session's user may read it (see the module's docstring)."""
    return payloads(session, [record], fields, expand)[0]


def payloads(session: Session, records: Sequence, fields: Iterable[str] | None = None,
             expand: Iterable[str] = ()) -> list[dict]:
    """Each of ``records`` (of one model) as :func:`payload` gives it, reading related and side rows in bulk."""
    if not records:
        return []
    model = type(records[0])
    readable = readable_fields(session, model)
    chosen = readable if fields is None else {name: readable[name] for name in ("id", *fields) if name in readable}
    expanded = {name for name in expand if name in chosen and chosen[name].is_relation}
    sides, related = _load_related(session, model, records, chosen)
    rows = []
    for record in records:
        row = {}
        for name, found in chosen.items():
            value = _stored(model, record, found, sides)
            row[name] = _related(session, found, value, name in expanded, related) if found.is_relation \
                else plain(value)
        rows.append(row)
    return rows


def unknown_fields(session: Session, model: type, names: Iterable[str]) -> list[str]:
    """Those of ``names`` that are no field of ``model`` the session's user may read."""
    readable = readable_fields(session, model)
    return [name for name in names if name not in readable]


def plain(value):
    """A stored value as JSON carries it (Decimal as a string, dates in ISO 8601)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc).isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value


def _stored(model: type, record, found: Field, sides: dict[type, dict]):
    """``found``'s value on ``record``: its own column, or its extension's side row (None without one)."""
    if found.model is model:
        return getattr(record, found.name)
    side = sides[found.model].get(record.id)
    return getattr(side, found.name) if side is not None else None


def _related(session: Session, found: Field, value, expanded: bool, loaded: dict[type, dict]):
    if found.kind == "many2many":
        return [_one(session, found, item, expanded) for item in value or ()]
    if value is None:
        return None
    related = loaded.get(found.target, {}).get(value)
    if related is None:
        return {"id": value, "display_name": None}
    return _one(session, found, related, expanded)


def _one(session: Session, found: Field, related, expanded: bool) -> dict:
    if expanded:
        return payload(session, related)
    name = getattr(related, found.display, None) if found.display else None
    return {"id": inspect(related).identity[0], "display_name": str(name) if name is not None
            else display_name(related)}


def _load_related(session: Session, model: type, records: Sequence,
                  chosen: dict[str, Field]) -> tuple[dict[type, dict], dict[type, dict]]:
    """The records' side rows by side model and record id, and their many-to-one targets by model and id (those
    the user may read), their many-to-many collections loaded: one SELECT per model, through the session's rules.

    The rows are returned, not only put in the session: its identity map holds them weakly, so a row nobody
    keeps may be gone (and read again, one SELECT each) by the time it is shown.
    """
    ids = [record.id for record in records]
    sides: dict[type, dict] = {}
    for name in chosen:
        extension = extension_of_field(session, model, name)
        if extension is not None and extension.side not in sides:
            key = getattr(extension.side, extension.key)
            sides[extension.side] = {getattr(row, extension.key): row
                                     for row in session.scalars(select(extension.side).where(key.in_(ids)))}
    targets: dict[type, set] = defaultdict(set)
    for found in chosen.values():
        if found.kind == "many2one":
            targets[found.target] |= {_stored(model, record, found, sides) for record in records} - {None}
    related: dict[type, dict] = {}
    for target, keys in targets.items():
        key = inspect(target).primary_key[0]
        related[target] = {getattr(row, key.key): row for row in session.scalars(select(target).where(key.in_(keys)))}
    collections = [getattr(model, found.name) for found in chosen.values()
                   if found.kind == "many2many" and found.model is model]
    if collections:
        session.scalars(select(model).where(model.id.in_(ids)).options(*map(selectinload, collections))).all()
    return sides, related
