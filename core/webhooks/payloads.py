"""A record as a subscription's owner may read it, and the JSON of a delivery's body.

The owner's companies are narrowed to the subscription's company, and the
record is read through a session acting as them: their model access and
record rules decide whether it is there at all. Nothing is sent for a record
they may not read.

The record's values are its fields as the field layer declares them
(:func:`core.fields.fields_of`): a relation as the related record's id,
to-many relations as sorted lists of ids, binary fields left out.
"""
from __future__ import annotations

import datetime as dt
import enum
import json
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import AccessDenied
from core.fields import fields_of
from core.security import load_actor
from core.sessions import rows_as, system_rows


def owner_payloads(session: Session, owner_id: int, company_id: int, model: type, ids: list[int]) -> dict[int, dict]:
    """``{id: values}`` of the records of ``ids`` that user ``owner_id``, working in ``company_id``, may read."""
    registry = session.info["registry"]
    with system_rows(session) as system:
        try:
            actor = load_actor(system, registry, owner_id, [company_id])
        except AccessDenied:  # archived, or no longer in the company
            return {}
    if not registry.can(actor, model, "read"):
        return {}
    with rows_as(session, actor) as owner:
        records = owner.scalars(select(model).where(model.id.in_(sorted(set(ids))))).all()
        return {record.id: record_values(record) for record in records}


def record_values(record) -> dict:
    values = {"id": record.id}
    for name, found in fields_of(type(record)).items():
        if found.kind == "binary":
            continue
        value = getattr(record, name)
        values[name] = sorted(related.id for related in value) if found.kind == "many2many" else value
    return values


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)  # exact: amounts are never floats
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} is not JSON")


def body_json(event_id: str, event: str, created_at: dt.datetime, company_id: int, data: dict) -> str:
    """The body of a delivery: the event's id, name and time, the company, and the record's values."""
    return json.dumps({"id": event_id, "event": event, "created_at": created_at, "company_id": company_id,
                       "data": data}, default=_plain, separators=(",", ":"), ensure_ascii=False)
