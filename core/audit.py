"""The audit log: every create, update and delete of a business record, written by the core.

Installed on a session factory, it records at each flush who changed which
field of which record from what to what. A model opts out with
``__audit__ = False`` (the core's own bookkeeping tables do) and hides
secrets with ``__audit_exclude__``.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum

from sqlalchemy import event, inspect, insert
from sqlalchemy.orm import Session, sessionmaker

from core.db import utcnow
from core.models.audit import AuditLog

MAX_VALUE_LENGTH = 2000


def install_audit(factory: sessionmaker) -> None:
    event.listen(factory, "after_flush", _write_audit_rows)


def audited(model: type) -> bool:
    return getattr(model, "__audit__", True) and model is not AuditLog


def _write_audit_rows(session: Session, _flush_context) -> None:
    actor = session.info.get("actor")
    user_id = actor.user_id if actor is not None else session.info.get("user_id")
    now = utcnow()
    rows = []

    def row(obj, action, field=None, old=None, new=None):
        record_id = inspect(type(obj)).primary_key_from_instance(obj)[0]
        if not isinstance(record_id, int):
            return
        rows.append(
            {
                "at": now,
                "user_id": user_id,
                "table_name": obj.__tablename__,
                "record_id": record_id,
                "action": action,
                "field": field,
                "old_value": _text(old),
                "new_value": _text(new),
            }
        )

    for obj in session.new:
        if audited(type(obj)):
            row(obj, "create")
    for obj in session.dirty:
        if not audited(type(obj)):
            continue
        hidden = getattr(obj, "__audit_exclude__", ())
        mapper = inspect(type(obj))
        for attr in mapper.column_attrs:
            if attr.key in hidden:
                continue
            history = inspect(obj).attrs[attr.key].history
            if history.has_changes():
                old = history.deleted[0] if history.deleted else None
                new = history.added[0] if history.added else None
                if old != new:
                    row(obj, "update", attr.key, old, new)
    for obj in session.deleted:
        if audited(type(obj)):
            row(obj, "delete", old=_label(obj))
    if rows:
        session.connection().execute(insert(AuditLog.__table__), rows)


def _label(obj) -> str:
    for name in ("display_name", "name", "login", "code"):
        value = getattr(obj, name, None)
        if isinstance(value, str):
            return value
    return f"{type(obj).__name__} {inspect(type(obj)).primary_key_from_instance(obj)[0]}"


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        text = value.isoformat()
    elif isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, Enum):
        text = str(value.value)
    else:
        text = str(value)
    return text[:MAX_VALUE_LENGTH]
