"""The audit log: every create, update and delete of a business record, written by the core.

Installed on a session factory, it records at each flush who changed which
field of which record from what to what, one ``core_audit_log`` row per field:

- a created record: one ``create`` row per initial non-null value (old value
  empty), or a single plain ``create`` row when it has none;
- a changed record: one ``update`` row per changed column (old -> new), and
  per record added to (new value) or removed from (old value) a many-to-many
  collection, by its display name, with the relationship's name as field.
  One-to-many and many-to-one changes are logged where the foreign key lives,
  as a change of that column;
- a deleted record: one ``delete`` row per old non-null value (new value
  empty), or a single plain ``delete`` row with the record's label.

Old values are what the database held before the flush: when an attribute was
expired before it was changed (``session.expire()``, a rollback), a
``before_flush`` listener reads it from the database first.

A model opts out with ``__audit__ = False`` (the core's own bookkeeping tables
do) and hides secrets (columns or relationships) with ``__audit_exclude__``;
the timestamp columns are never logged, since each row has its own time.
Rows changed by the database itself (``ON DELETE CASCADE``) or by bulk
``update()``/``delete()`` statements are not seen here; audited models
therefore use no database-level cascades.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from enum import Enum

from sqlalchemy import Column, event, insert, inspect, select, tuple_
from sqlalchemy.orm import Session, sessionmaker

from core.db import utcnow
from core.models.audit import AuditLog

MAX_VALUE_LENGTH = 2000
LABEL_ATTRIBUTES = ("display_name", "name", "label", "login", "code", "key")
_OLD_VALUES = "bottega.audit_old_values"
_UNKNOWN = object()


def install_audit(factory: sessionmaker) -> None:
    event.listen(factory, "before_flush", _read_unloaded_old_values)
    event.listen(factory, "after_flush", _write_audit_rows)


def audited(model: type) -> bool:
    return getattr(model, "__audit__", True) and model is not AuditLog


# --- what to look at ---------------------------------------------------------------


def _columns(mapper, hidden, with_primary_key=True):
    """The audited column attributes of ``mapper``: (key, column)."""
    primary_key = set(mapper.primary_key)
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        if attr.key in hidden or not isinstance(column, Column):
            continue
        if not with_primary_key and column in primary_key:
            continue
        yield attr.key, column


def _collections(mapper, hidden):
    """The audited many-to-many relationships of ``mapper``."""
    for rel in mapper.relationships:
        if rel.secondary is not None and rel.uselist and not rel.viewonly and rel.key not in hidden:
            yield rel


ALWAYS_HIDDEN = ("created_at", "updated_at")  # each audit row carries its own time


def _hidden(obj) -> tuple:
    return ALWAYS_HIDDEN + tuple(getattr(obj, "__audit_exclude__", ()) or ())


def _loaded_old_value(state, key):
    """The value ``key`` had in the database before this flush, or ``_UNKNOWN`` if it was not loaded."""
    history = state.attrs[key].history
    if history.deleted:
        return history.deleted[0]
    if history.unchanged:
        return history.unchanged[0]
    return _UNKNOWN


def _changed_without_old_value(history) -> bool:
    """Set after being expired: SQLAlchemy records the new value but has no old one."""
    return bool(history.added) and not history.deleted


# --- before the flush: old values that were never loaded ----------------------------


def _read_unloaded_old_values(session: Session, _flush_context, _instances) -> None:
    """Read from the database the old values the flush would otherwise lose.

    For changed records, the changed columns whose old value was not loaded
    (expired before the change); for deleted records, every column not loaded.
    One Core select per model, on the session's connection, by primary key.
    """
    wanted: dict = defaultdict(dict)  # mapper -> {state: keys}
    for obj in session.dirty:
        if not audited(type(obj)):
            continue
        state = inspect(obj)
        keys = [
            key
            for key, _column in _columns(state.mapper, _hidden(obj))
            if _changed_without_old_value(state.attrs[key].history)
        ]
        if keys:
            wanted[state.mapper][state] = keys
    for obj in session.deleted:
        if not audited(type(obj)):
            continue
        state = inspect(obj)
        keys = [
            key
            for key, _column in _columns(state.mapper, _hidden(obj), with_primary_key=False)
            if _loaded_old_value(state, key) is _UNKNOWN
        ]
        if keys:
            wanted[state.mapper][state] = keys
    old_values: dict = {}
    for mapper, states in wanted.items():
        old_values.update(_select_old_values(session, mapper, states))
    session.info[_OLD_VALUES] = old_values


def _select_old_values(session: Session, mapper, states: dict) -> dict:
    keys = sorted({key for state_keys in states.values() for key in state_keys})
    columns = [mapper.attrs[key].columns[0] for key in keys]
    primary_key = list(mapper.primary_key)
    by_identity = {state.identity: state for state in states if state.identity is not None}
    if not by_identity:
        return {}
    if len(primary_key) == 1:
        where = primary_key[0].in_([identity[0] for identity in by_identity])
    else:
        where = tuple_(*primary_key).in_(list(by_identity))
    statement = select(*primary_key, *columns).select_from(mapper.persist_selectable).where(where)
    found = {}
    for row in session.connection().execute(statement):
        state = by_identity.get(tuple(row[: len(primary_key)]))
        if state is not None:
            found[state] = dict(zip(keys, row[len(primary_key):]))
    return found


# --- after the flush: the rows --------------------------------------------------------


def _write_audit_rows(session: Session, _flush_context) -> None:
    old_values = session.info.pop(_OLD_VALUES, None) or {}
    actor = session.info.get("actor")
    user_id = actor.user_id if actor is not None else session.info.get("user_id")
    now = utcnow()
    rows = []

    def row(state, record_id, action, field=None, old=None, new=None):
        if not isinstance(record_id, int):
            return
        rows.append(
            {
                "at": now,
                "user_id": user_id,
                "table_name": state.class_.__tablename__,
                "record_id": record_id,
                "action": action,
                "field": field,
                "old_value": _text(old),
                "new_value": _text(new),
            }
        )

    for obj in session.new:
        if audited(type(obj)):
            _created(inspect(obj), row)
    for obj in session.dirty:
        if audited(type(obj)):
            _updated(inspect(obj), old_values.get(inspect(obj), {}), row)
    for obj in session.deleted:
        if audited(type(obj)):
            _deleted(inspect(obj), old_values.get(inspect(obj), {}), row)
    if rows:
        session.connection().execute(insert(AuditLog.__table__), rows)


def _record_id(state):
    if state.identity is not None:
        return state.identity[0]
    return state.mapper.primary_key_from_instance(state.obj())[0]


def _created(state, row) -> None:
    hidden = _hidden(state.obj())
    record_id = _record_id(state)
    count = 0
    for key, _column in _columns(state.mapper, hidden, with_primary_key=False):
        value = state.dict.get(key)
        if value is not None:
            row(state, record_id, "create", key, None, value)
            count += 1
    for rel in _collections(state.mapper, hidden):
        for related in state.dict.get(rel.key) or ():
            row(state, record_id, "create", rel.key, None, _label(related))
            count += 1
    if not count:
        row(state, record_id, "create")


def _updated(state, read_old: dict, row) -> None:
    hidden = _hidden(state.obj())
    record_id = _record_id(state)
    for key, _column in _columns(state.mapper, hidden):
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        if history.deleted:
            old = history.deleted[0]
        else:
            old = read_old.get(key)
        new = history.added[0] if history.added else None
        if old != new:
            row(state, record_id, "update", key, old, new)
    for rel in _collections(state.mapper, hidden):
        history = state.attrs[rel.key].history
        for removed in history.deleted or ():
            row(state, record_id, "update", rel.key, _label(removed), None)
        for added in history.added or ():
            row(state, record_id, "update", rel.key, None, _label(added))


def _deleted(state, read_old: dict, row) -> None:
    hidden = _hidden(state.obj())
    record_id = _record_id(state)
    values = {}
    for key, _column in _columns(state.mapper, hidden, with_primary_key=False):
        value = _loaded_old_value(state, key)
        values[key] = read_old.get(key) if value is _UNKNOWN else value
    count = 0
    for key, value in values.items():
        if value is not None:
            row(state, record_id, "delete", key, value, None)
            count += 1
    for rel in _collections(state.mapper, hidden):
        history = state.attrs[rel.key].history
        for related in (*(history.unchanged or ()), *(history.deleted or ())):
            row(state, record_id, "delete", rel.key, _label(related), None)
            count += 1
    if not count:
        row(state, record_id, "delete", old=_label(state.obj(), {**state.dict, **values}, record_id))


def _label(obj, values=None, record_id=None) -> str:
    """The record's display name, from ``values`` or its loaded attributes, else loading them."""
    state = inspect(obj)
    loaded = values if values is not None else state.dict
    for name in LABEL_ATTRIBUTES:
        if isinstance(loaded.get(name), str):
            return loaded[name]
    if values is None and not state.deleted and not state.was_deleted:
        for name in LABEL_ATTRIBUTES:
            value = getattr(obj, name, None)
            if isinstance(value, str):
                return value
    if record_id is None:
        record_id = _record_id(state)
    return f"{type(obj).__name__} {record_id}"


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
