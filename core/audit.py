"""The audit log: every create, update and delete of a business record, written by the core.

Installed on a session factory, it records at each flush who changed which
record, one ``core_audit_log`` row per record with its field changes together
(``changes``: field -> ``[old, new]`` as text), all rows of a flush written
with one executemany:

- a created record: its initial non-null values (old empty);
- a changed record: each changed column (old -> new), and the records added
  to (new) or removed from (old) a many-to-many collection, by display name,
  under the relationship's name. One-to-many and many-to-one changes are
  logged where the foreign key lives, as a change of that column;
- a deleted record: its last non-null values (new empty), or its label under
  ``record`` when it had none.

Old values are what the database held before the flush: when an attribute was
expired before it was changed (``session.expire()``, a rollback), a
``before_flush`` listener reads it from the database first. Batch services
that write with :mod:`core.bulk` get the same rows from :func:`audit_rows`.

A model opts out with ``__audit__ = False`` (the core's own bookkeeping tables
do) and hides secrets (columns or relationships) with ``__audit_exclude__``;
encrypted columns (:mod:`core.encrypted_columns`) are logged as changed, with
:data:`MASK` for their values;
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
from functools import cache
from json.encoder import encode_basestring_ascii as _quoted

from sqlalchemy import Column, Text, bindparam, cast, event, insert, inspect, select, tuple_
from sqlalchemy.orm import Session, sessionmaker

from core.db import utcnow
from core.executemany import insert_many
from core.models.audit import AuditLog

MAX_VALUE_LENGTH = 2000
MASK = "****"  # the old and new values of an encrypted column
LABEL_ATTRIBUTES = ("display_name", "name", "label", "login", "code", "key")
_OLD_VALUES = "bottega.audit_old_values"
_UNKNOWN = object()


def install_audit(factory: sessionmaker) -> None:
    event.listen(factory, "before_flush", _read_unloaded_old_values)
    event.listen(factory, "after_flush", _write_audit_rows)


def audited(model: type) -> bool:
    return getattr(model, "__audit__", True) and model is not AuditLog


# --- what to look at ---------------------------------------------------------------

ALWAYS_HIDDEN = ("created_at", "updated_at")  # each audit row carries its own time
_SHAPES: dict = {}


def _shape(model: type) -> tuple[tuple, tuple, tuple]:
    """The audited (key, column) pairs of ``model`` without and with its primary key, and its
    audited many-to-many relationships; computed once per model."""
    excluded = tuple(getattr(model, "__audit_exclude__", ()) or ())
    shape = _SHAPES.get((model, excluded))
    if shape is None:
        mapper = inspect(model)
        hidden = set(ALWAYS_HIDDEN) | set(excluded)
        primary_key = set(mapper.primary_key)
        columns = [(attr.key, attr.columns[0]) for attr in mapper.column_attrs
                   if attr.key not in hidden and isinstance(attr.columns[0], Column)]
        collections = tuple(rel for rel in mapper.relationships
                            if rel.secondary is not None and rel.uselist and not rel.viewonly
                            and rel.key not in hidden)
        shape = _SHAPES[model, excluded] = (tuple(c for c in columns if c[1] not in primary_key), tuple(columns),
                                  collections)
    return shape


@cache
def _masked(model: type) -> frozenset[str]:
    """The keys of ``model``'s encrypted columns."""
    from core.encrypted_columns import Encrypted

    return frozenset(attr.key for attr in inspect(model).column_attrs if isinstance(attr.columns[0].type, Encrypted))


def _mask(model: type, changes: dict) -> dict:
    for key in _masked(model).intersection(changes):
        old, new = changes[key]
        changes[key] = (None if old is None else MASK, None if new is None else MASK)
    return changes


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
        keys = [key for key, _column in _shape(type(obj))[1]
                if _changed_without_old_value(state.attrs[key].history)]
        if keys:
            wanted[state.mapper][state] = keys
    for obj in session.deleted:
        if not audited(type(obj)):
            continue
        state = inspect(obj)
        keys = [key for key, _column in _shape(type(obj))[0] if _loaded_old_value(state, key) is _UNKNOWN]
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
    entries = []
    for obj in session.new:
        if audited(type(obj)):
            state = inspect(obj)
            entries.append((state, "create", _created(state)))
    for obj in session.dirty:
        if audited(type(obj)):
            state = inspect(obj)
            changes = _updated(state, old_values.get(state, {}))
            if changes:
                entries.append((state, "update", changes))
    for obj in session.deleted:
        if audited(type(obj)):
            state = inspect(obj)
            entries.append((state, "delete", _deleted(state, old_values.get(state, {}))))
    write_audit(session, [(state.class_, _record_id(state), action, changes)
                          for state, action, changes in entries])


def write_audit(session: Session, entries) -> None:
    """Insert one audit row per ``(model, record id, action, changes)`` with one executemany.

    ``changes`` maps fields to ``(old, new)`` values, turned into text here, or
    is already the JSON text (:func:`created_json`).
    """
    actor = session.info.get("actor")
    user_id = actor.user_id if actor is not None else session.info.get("user_id")
    now = utcnow()
    rows = [{"at": now, "user_id": user_id, "table_name": model.__tablename__, "record_id": record_id,
             "action": action, "changes": changes if isinstance(changes, str) else changes_json(changes)}
            for model, record_id, action, changes in entries if isinstance(record_id, int)]
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "sqlite":  # the JSON text as it is stored
        insert_many(connection, AuditLog.__table__, rows, as_text=("changes",))
    else:
        connection.execute(_insert_statement(), rows)


def changes_json(changes: dict) -> str:
    """``changes`` (field -> ``(old, new)``) as the JSON text of the ``changes`` column, the very text
    ``json.dumps`` gives for field -> ``[old, new]`` as text, written directly: a batch logs many records."""
    return "{" + ", ".join(f"{_quoted(key)}: [{_json_text(old)}, {_json_text(new)}]"
                           for key, (old, new) in changes.items()) + "}"


def _json_text(value) -> str:
    return "null" if value is None else _quoted(_text(value))


@cache
def _insert_statement():
    """The audit rows' INSERT, with ``changes`` given as JSON text cast to the column's type."""
    table = AuditLog.__table__
    return insert(table).values(changes=cast(bindparam("changes", type_=Text), table.c.changes.type))


def created_json(model: type, values: dict) -> str:
    """``changes_json(created_changes(model, values))``, filled into a template made once per model and set of
    non-null columns: a batch's rows mostly share a few."""
    keys, texts = [], []
    masked = _masked(model)
    for key in _created_keys(model):
        value = values.get(key)
        if value is not None and key in masked:
            value = MASK
        if value is not None:
            keys.append(key)
            kind = type(value)
            texts.append(_quoted(value[:MAX_VALUE_LENGTH]) if kind is str else _timestamp_text(value)
                         if kind is dt.datetime else _quoted(_text(value)))
    keys = tuple(keys)
    template = _CREATED.get((model, keys))
    if template is None:
        template = _CREATED[model, keys] = "{" + ", ".join(
            _quoted(key).replace("%", "%%") + ": [null, %s]" for key in keys) + "}"
    return template % tuple(texts)


@cache
def _created_keys(model: type) -> tuple[str, ...]:
    return tuple(key for key, _column in _shape(model)[0])


def _timestamp_text(value: dt.datetime) -> str:
    """``_quoted(_text(value))``, kept for the last datetime met: a batch's rows share one timestamp object."""
    global _LAST_SHARED
    last = _LAST_SHARED
    if value is last[0]:
        return last[1]
    text = _quoted(_text(value))
    _LAST_SHARED = (value, text)
    return text


_LAST_SHARED: tuple = (None, "null")


_CREATED: dict = {}


def created_changes(model: type, values: dict) -> dict:
    """The audited initial values of a record created with the column ``values`` (see :mod:`core.bulk`)."""
    return _mask(model, {key: (None, values[key]) for key, _column in _shape(model)[0]
                         if values.get(key) is not None})


def updated_changes(model: type, old: dict, new: dict) -> dict:
    """The audited changes of a record whose columns go from ``old`` to ``new`` (see :mod:`core.bulk`)."""
    return _mask(model, {key: (old[key], new[key]) for key, _column in _shape(model)[1]
                         if key in new and key in old and old[key] != new[key]})


def _record_id(state):
    if state.identity is not None:
        return state.identity[0]
    return state.mapper.primary_key_from_instance(state.obj())[0]


def _created(state) -> dict:
    columns, _all, collections = _shape(state.class_)
    values = state.dict
    changes = {key: (None, values[key]) for key, _column in columns if values.get(key) is not None}
    for rel in collections:
        related = values.get(rel.key)
        if related:
            changes[rel.key] = (None, labels(related))
    return _mask(state.class_, changes)


def _updated(state, read_old: dict) -> dict:
    _columns, columns, collections = _shape(state.class_)
    changes = {}
    for key, _column in columns:
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else read_old.get(key)
        new = history.added[0] if history.added else None
        if old != new:
            changes[key] = (old, new)
    for rel in collections:
        history = state.attrs[rel.key].history
        if history.added or history.deleted:
            changes[rel.key] = (labels(history.deleted) or None, labels(history.added) or None)
    return _mask(state.class_, changes)


def _deleted(state, read_old: dict) -> dict:
    columns, _all, collections = _shape(state.class_)
    values = {}
    for key, _column in columns:
        value = _loaded_old_value(state, key)
        values[key] = read_old.get(key) if value is _UNKNOWN else value
    changes = {key: (value, None) for key, value in values.items() if value is not None}
    for rel in collections:
        history = state.attrs[rel.key].history
        related = (*(history.unchanged or ()), *(history.deleted or ()))
        if related:
            changes[rel.key] = (labels(related), None)
    if not changes:
        changes["record"] = (_label(state.obj(), {**state.dict, **values}, _record_id(state)), None)
    return _mask(state.class_, changes)


def labels(objects) -> str:
    """The display names of ``objects``, comma separated (a collection's value in the log)."""
    return ", ".join(_label(obj) for obj in objects)


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
    if type(value) is str:
        return value[:MAX_VALUE_LENGTH]
    if isinstance(value, (dt.date, dt.datetime)):
        text = value.isoformat()
    elif isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, Enum):
        text = str(value.value)
    else:
        text = str(value)
    return text[:MAX_VALUE_LENGTH]
