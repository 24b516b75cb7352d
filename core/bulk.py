"""Set-based writes for batch services: a whole batch of rows per statement, with the checks of a flush.

A batch service (posting a hundred invoices, importing a hundred thousand
leads) that wrote one ORM object per row would pay the unit of work, the
access checks and the audit log once per row. :func:`insert_rows` and
:func:`update_rows` write a batch with one executemany statement per table
and do, once for the batch, what a flush does for each object:

- the bounds of every integer, decimal and date value (:mod:`core.bounds`);
- the acting user's create or write access on the model, and their record
  rules on the rows: before the change for updated rows, after it for written
  ones; checked in Python when the user's only rule is the allowed companies,
  else by one SELECT of the batch's ids;
- the addons' ``validate_rows`` hook, where they refuse writes that would
  break their invariants (accounting lets only its own batch services write
  the ledger this way);
- the audit log: one row per record, written with one executemany.

Rows are dicts of column values keyed by column name; a column a row leaves
out takes its default, else NULL, as with the ORM. The ORM session is
flushed first, so the batch sees what the session holds; objects of updated
rows held in the session are expired.
Deleting is not offered: deletes stay on the ORM path.
"""
from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from sqlalchemy import bindparam, func, insert, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from core.audit import audited, created_changes, created_json, labels, updated_changes, write_audit
from core.bounds import check_values, rows_to_check
from core.db import hold_write_lock, utcnow
from core.errors import AccessDenied, ValidationError
from core.executemany import insert_many
from core.transaction_cache import forget

#: Ids per ``IN (...)`` list, below every supported database's limit of bound parameters.
ID_CHUNK = 5000


def insert_rows(session: Session, model: type, rows: Sequence[dict],
                collections: Mapping[str, Sequence[Sequence]] | None = None) -> list[int]:
    """Insert ``rows`` of ``model``; return their new ids, in the order of ``rows``.

    ``collections`` fills many-to-many relationships of the new rows: for a
    relationship name, the related objects of each row (``{"taxes": [[vat],
    [vat, re], ...]}``), linked through its association table and logged with
    the record by display name.
    """
    if not rows:
        return []
    session.flush()
    table = model.__table__
    rows = _completed(table, rows)
    for index in rows_to_check(model, rows):
        _check_bounds(model, rows[index], index)
    actor, registry, check = _access(session, model, "create")
    if check is not None:
        if check.companies is not None:
            refused = sorted({row.get("company_id") for row in rows} - check.companies, key=str)
            if refused:
                _refuse(registry, actor, model, "create", f"in companies {refused}")
    _validate(session, registry, model, "create", rows)
    with session.begin_nested():  # a row refused by a record rule below takes the whole batch back
        ids = _insert(session.connection(), table, rows)
        links = {key: _insert_links(session, model, key, ids, related)
                 for key, related in (collections or {}).items()}
        if check is not None and check.clause is not None and check.companies is None:
            _require_rows_within(session, registry, actor, model, "create", check.clause, ids)
    forget(session, [model])
    if audited(model):
        entries = []
        for index, (record_id, row) in enumerate(zip(ids, rows, strict=True)):
            linked = {key: (None, labels(related[index])) for key, related in links.items() if related[index]}
            changes = {**created_changes(model, row), **linked} if linked else created_json(model, row)
            entries.append((model, record_id, "create", changes))
        write_audit(session, entries)
    return ids


def update_rows(session: Session, model: type, changes: Mapping[int, dict]) -> None:
    """Write ``changes`` (record id -> column values) to rows of ``model``."""
    if not changes:
        return
    session.flush()
    table = model.__table__
    ids = list(changes)
    for record_id, values in changes.items():
        _check_bounds(model, values, record_id)
    actor, registry, check = _access(session, model, "write")
    if check is not None:
        if check.clause is not None:
            _require_rows_within(session, registry, actor, model, "write", check.clause, ids)
    _validate(session, registry, model, "write", [{"id": record_id, **values} for record_id, values in changes.items()])
    keys = sorted({key for values in changes.values() for key in values})
    old = _current_values(session, table, ids, keys) if audited(model) else {}
    by_shape: dict[tuple, list] = {}
    for record_id, values in changes.items():
        by_shape.setdefault(tuple(sorted(values)), []).append({"_id": record_id, **values})
    with session.begin_nested():  # a row moved out of the user's rules takes the whole batch back
        for shape, params in by_shape.items():
            statement = update(table).where(table.c.id == bindparam("_id")).values(
                {key: bindparam(key) for key in shape})
            session.connection().execute(statement, params)
        moved = check is not None and check.clause is not None and (
            check.companies is None or any("company_id" in values for values in changes.values()))
        if moved:
            _require_rows_within(session, registry, actor, model, "write", check.clause, ids)
    forget(session, [model])
    for record_id in ids:
        obj = session.identity_map.get(identity_key(model, record_id))
        if obj is not None:
            session.expire(obj)
    if old:
        write_audit(session, [(model, record_id, "update", found) for record_id, values in changes.items()
                              if (found := updated_changes(model, old.get(record_id, {}), values))])


def ids_of(records: Sequence) -> list[int]:
    """The ids of ``records`` (ORM objects or rows), without loading again the objects a batch write expired."""
    found = []
    for record in records:
        state = inspect(record, raiseerr=False)
        identity = state.identity if state is not None else None
        found.append(identity[0] if identity else record.id)
    return found


def _access(session: Session, model: type, operation: str):
    """The acting user, the registry, and the user's rules for ``operation`` once their access is checked
    (no rules for a system session)."""
    actor, registry = session.info.get("actor"), session.info.get("registry")
    if actor is None:
        return None, registry, None
    registry.require(actor, model, operation)
    return actor, registry, registry.rule_check(actor, model, operation)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a batch is prepared and written.

    A batch allocates many short-lived objects, which sets off collections;
    each full one walks every object of the process (the ORM's mappers, the
    registry, the loaded addons), and measured a third of a batch's time.
    Reference counting still frees what the batch drops; the cycles wait
    until the collector resumes.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _insert(connection, table, rows: list[dict]) -> list[int]:
    """Insert ``rows`` with one executemany; their new ids, in order.

    PostgreSQL numbers them and returns the ids in the rows' order. SQLite
    can only keep that order by inserting one row per statement, so there
    the batch takes the ids following the table's largest, once the
    transaction holds SQLite's single write lock: no other connection can
    insert meanwhile (as :func:`core.db.install_batch_ids` does for flushes).
    """
    if connection.dialect.name != "sqlite":
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(connection.execute(statement, rows).scalars())
    hold_write_lock(connection)
    first = (connection.execute(select(func.max(table.c.id))).scalar() or 0) + 1
    ids = list(range(first, first + len(rows)))
    insert_many(connection, table, rows, ids=ids)
    return ids


def _completed(table, rows: Sequence[dict]) -> list[dict]:
    """The rows with the column defaults the ORM would have filled in (so the audit log sees them), all with the
    same keys (a value a row lacks and its column has no default for is NULL, as the ORM writes it): one
    executemany needs one shape. What a row lacks is worked out once per shape of row.

    A timestamp default (``utcnow``: created at, updated at) is read once for the batch, as PostgreSQL's
    ``now()`` is one instant for a transaction; other computed defaults (a random key) are made row by row.
    """
    defaults = _defaults(table)
    keys = set().union(*rows, (key for key, _default in defaults))
    now = utcnow()
    fillings: dict[tuple, tuple[dict, list]] = {}
    completed = []
    for row in rows:
        if len(row) == len(keys):
            completed.append(row)
            continue
        shape = tuple(row)
        filling = fillings.get(shape)
        if filling is None:
            missing = keys.difference(row)
            fixed = dict.fromkeys(missing)
            computed = []
            for key, default in defaults:
                if key in missing:
                    if default.is_scalar:
                        fixed[key] = default.arg
                    elif _is_timestamp(default):
                        fixed[key] = now
                    else:
                        computed.append((key, default.arg))
            filling = fillings[shape] = fixed, computed
        fixed, computed = filling
        row = {**row, **fixed}
        for key, make in computed:
            row[key] = make(None)
        completed.append(row)
    return completed


def _is_timestamp(default) -> bool:
    """A callable column default that is :func:`core.db.utcnow` (SQLAlchemy wraps it, keeping it as
    ``__wrapped__``)."""
    return getattr(default.arg, "__wrapped__", default.arg) is utcnow


_DEFAULTS: dict = {}


def _defaults(table) -> list:
    """(column key, default) of the table's columns with a Python-side default, computed once per table."""
    found = _DEFAULTS.get(table)
    if found is None:
        found = _DEFAULTS[table] = [(column.key, column.default) for column in table.columns
                                    if column.default is not None and not column.primary_key
                                    and (column.default.is_scalar or column.default.is_callable)]
    return found


def _check_bounds(model: type, values: dict, where) -> None:
    try:
        check_values(model, values)
    except ValidationError as error:
        raise ValidationError(f"{model.__name__} {where}: {error}", error.field) from None


def _validate(session: Session, registry, model: type, operation: str, rows: list[dict]) -> None:
    if registry is not None and registry.hook.validate_rows.get_hookimpls():
        registry.hook.validate_rows(session=session, model=model, operation=operation, rows=rows)


def _insert_links(session: Session, model: type, key: str, ids: list[int], related: Sequence[Sequence]) -> list:
    relationship = inspect(model).relationships[key]
    if relationship.secondary is None:
        raise ValueError(f"{model.__name__}.{key} is not a many-to-many relationship")
    ((local, own_column),) = relationship.synchronize_pairs
    ((remote, other_column),) = relationship.secondary_synchronize_pairs
    pairs = [{own_column.key: record_id, other_column.key: getattr(other, remote.key)}
             for record_id, others in zip(ids, related, strict=True) for other in others]
    if pairs:
        session.connection().execute(insert(relationship.secondary), pairs)
    return list(related)


def _current_values(session: Session, table, ids: list[int], keys: list[str]) -> dict[int, dict]:
    audited_keys = [key for key in keys if key in table.c]
    found = {}
    for first in range(0, len(ids), ID_CHUNK):
        chunk = ids[first:first + ID_CHUNK]
        statement = select(table.c.id, *(table.c[key] for key in audited_keys)).where(table.c.id.in_(chunk))
        for row in session.connection().execute(statement):
            found[row[0]] = dict(zip(audited_keys, row[1:]))
    return found


def _require_rows_within(session: Session, registry, actor, model: type, operation: str, clause,
                         ids: list[int]) -> None:
    pk = model.__table__.c.id
    refused = []
    for first in range(0, len(ids), ID_CHUNK):
        chunk = ids[first:first + ID_CHUNK]
        allowed = set(session.connection().execute(select(pk).where(pk.in_(chunk), clause)).scalars())
        refused += [record_id for record_id in chunk if record_id not in allowed]
    if refused:
        _refuse(registry, actor, model, operation, ", ".join(map(str, sorted(refused))))


def _refuse(registry, actor, model: type, operation: str, what: str) -> None:
    rules = ", ".join(registry.rule_names(actor, model, operation))
    raise AccessDenied(f"access denied: {actor.login} may not {operation} {model.__name__} {what} "
                       f"(record rules: {rules})")
