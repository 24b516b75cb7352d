"""A record as a subscription's owner may read it, and the JSON of a delivery's body.

The owner's companies are narrowed to the subscription's company, and the
record is read through a session acting as them: their model access and
record rules decide whether it is there at all, and the API's serializer
(:func:`core.api.payloads.payloads`) which of its fields they may read and how
each is written (the same JSON a client reading it through the API gets).
Nothing is sent for a record they may not read.
"""
from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.payloads import payloads
from core.errors import AccessDenied
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
        records = owner.scalars(select(model).where(model.id.in_(sorted(set(ids)))).order_by(model.id)).all()
        return {record.id: values for record, values in zip(records, payloads(owner, records))}


def body_json(event_id: str, event: str, created_at: dt.datetime, company_id: int, data: dict) -> str:
    """The body of a delivery: the event's id, name and time (UTC), the company, and the record's values."""
    moment = created_at.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    return json.dumps({"id": event_id, "event": event, "created_at": moment, "company_id": company_id,
                       "data": data}, separators=(",", ":"), ensure_ascii=False)
