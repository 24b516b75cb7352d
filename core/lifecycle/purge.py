"""What purging an addon drops, and the backup of that data written before it is dropped.

The list is not guessed from table names: :func:`dry_run` runs the addon's
downgrade inside a savepoint, compares the schema before and after, and rolls
the savepoint back. The backup is a JSON file of every dropped table's rows
and every dropped column's values, keyed by primary key.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, MetaData, Table, func, inspect, select

from .migrations import Migrations

DEFAULT_BACKUP_DIR = Path("instance/backups")


@dataclass(frozen=True)
class Drops:
    addon: str
    tables: tuple[tuple[str, int], ...]  # (table, row count)
    columns: tuple[tuple[str, str], ...]  # (table, column) dropped from tables that stay

    @property
    def has_data(self) -> bool:
        return any(count for _t, count in self.tables) or bool(self.columns)

    def lines(self) -> list[str]:
        lines = [f"drops table {name} ({count} rows)" for name, count in self.tables]
        lines += [f"drops column {table}.{column}" for table, column in self.columns]
        return lines or ["drops nothing"]


def _schema(connection: Connection) -> dict[str, set[str]]:
    inspector = inspect(connection)
    return {
        table: {column["name"] for column in inspector.get_columns(table)}
        for table in inspector.get_table_names()
        if table != "alembic_version"
    }


def dry_run(connection: Connection, migrations: Migrations, addon: str) -> Drops:
    before = _schema(connection)
    savepoint = connection.begin_nested()
    try:
        migrations.downgrade_to_base(connection, addon)
        after = _schema(connection)
    finally:
        savepoint.rollback()
    dropped_tables = sorted(set(before) - set(after))
    counts = tuple(
        (name, connection.execute(select(func.count()).select_from(Table(name, MetaData()))).scalar_one())
        for name in dropped_tables
    )
    columns = tuple(
        (table, column)
        for table in sorted(set(before) & set(after))
        for column in sorted(before[table] - after[table])
    )
    return Drops(addon, counts, columns)


def backup(connection: Connection, drops: Drops, folder: Path | str | None = None) -> str:
    folder = Path(folder) if folder else DEFAULT_BACKUP_DIR
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = folder / f"{drops.addon}-{stamp}.json"
    metadata = MetaData()
    content: dict = {"addon": drops.addon, "written_at": stamp, "tables": {}, "columns": {}}
    for name, _count in drops.tables:
        table = Table(name, metadata, autoload_with=connection)
        rows = connection.execute(select(table)).mappings()
        content["tables"][name] = [dict(row) for row in rows]
    for table_name, column in drops.columns:
        table = Table(table_name, metadata, autoload_with=connection)
        keys = [c for c in table.primary_key.columns]
        rows = connection.execute(select(*keys, table.c[column])).mappings()
        content["columns"][f"{table_name}.{column}"] = [dict(row) for row in rows]
    path.write_text(json.dumps(content, default=_json_value, indent=1), encoding="utf-8")
    return str(path)


def _json_value(value):
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"cannot write {type(value).__name__} to the backup")
