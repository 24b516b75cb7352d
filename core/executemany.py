"""Many rows into one table with one DBAPI ``executemany``, the values bound column by column.

SQLAlchemy's ``connection.execute(insert(table), rows)`` builds a parameter
dict for every row and runs every value through its column type's bind
processor one row at a time: for the hundred thousand rows of an import,
that is most of what the insert costs besides the database's own work.
:func:`insert_many` compiles the INSERT once per table and set of columns,
binds each column's values with the same processors in one pass (a column
holding one value, as a batch's timestamp, is processed once), and hands the
driver tuples. The statement goes through the connection, so its events (the
write lock SQLite takes, statement counters) see it as any other.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert

_COMPILED: dict = {}


def insert_many(connection, table, rows: Sequence[dict], *, ids: Sequence[int] | None = None,
                as_text: tuple[str, ...] = ()) -> None:
    """Insert ``rows`` (all with the same keys, every column with a default among them) into ``table``.

    ``ids``: the primary keys of the rows, in order. ``as_text``: columns whose
    values are already the text the database stores (the audit log's JSON).
    """
    if not rows:
        return
    columns = {key: [row[key] for row in rows] for key in rows[0]}
    if ids is not None:
        columns["id"] = list(ids)
    sql, processors = _compiled(connection.dialect, table, tuple(columns), as_text)
    bound = []
    for key, process in processors:
        values = columns[key]
        if process is not None:
            if len(set(map(id, values))) == 1:
                values = [process(values[0])] * len(values)
            else:
                values = list(map(process, values))
        bound.append(values)
    connection.exec_driver_sql(sql, list(zip(*bound)))


def _compiled(dialect, table, keys: tuple[str, ...], as_text: tuple[str, ...]) -> tuple[str, list]:
    """The INSERT's SQL for ``keys`` and (key, bind processor) in the order of its parameters."""
    cache_key = (dialect, table, keys, as_text)
    found = _COMPILED.get(cache_key)
    if found is None:
        compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
        if not compiled.positional or set(compiled.positiontup) != set(keys):
            raise ValueError(f"insert_many: {table.name} takes positional parameters for exactly {sorted(keys)}")
        processors = [(key, None if key in as_text else table.c[key].type.dialect_impl(dialect).bind_processor(dialect))
                      for key in compiled.positiontup]
        found = _COMPILED[cache_key] = (compiled.string, processors)
    return found
