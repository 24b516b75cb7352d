"""What purging an addon drops, and the backup of that data written before it is dropped.

The list is not guessed from table names: :func:`dry_runs` runs the addons'
downgrades one after the other inside a savepoint, compares the schema before
and after each, and rolls the savepoint back. One after the other, as the purge
will: a bridge's table that refers to its side's goes first, and the side's
downgrade could not drop its own table while the bridge's still refers to it. The addon's groups go too, with the users' memberships
of them. The backup is a JSON file, readable by its owner only, of every
dropped table's rows, every dropped column's values (keyed by primary key)
and the members (logins) of every dropped group; :func:`restore_memberships`
gives those users their groups back once the addon is installed again.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, MetaData, Table, delete, func, insert, inspect, select

from core.backup.files import DEFAULT_BACKUP_DIR, write_private
from core.errors import AddonError
from core.models import Group, User, user_groups

from .migrations import Migrations


@dataclass(frozen=True)
class Drops:
    addon: str
    tables: tuple[tuple[str, int], ...]  # (table, row count)
    columns: tuple[tuple[str, str], ...]  # (table, column) dropped from tables that stay
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (group key, logins of its members)

    @property
    def has_data(self) -> bool:
        return (any(count for _t, count in self.tables) or bool(self.columns)
                or any(logins for _g, logins in self.groups))

    def lines(self) -> list[str]:
        lines = [f"drops table {name} ({count} rows)" for name, count in self.tables]
        lines += [f"drops column {table}.{column}" for table, column in self.columns]
        lines += [f"drops group {key} " + (f"and its members: {', '.join(logins)}" if logins else "(no members)")
                  for key, logins in self.groups]
        return lines or ["drops nothing"]


def _schema(connection: Connection) -> dict[str, set[str]]:
    inspector = inspect(connection)
    return {
        table: {column["name"] for column in inspector.get_columns(table)}
        for table in inspector.get_table_names()
        if table != "alembic_version"
    }


def dry_runs(connection: Connection, migrations: Migrations, addons: list[str]) -> list[Drops]:
    """What purging ``addons`` in this order drops, step by step (each on the schema the steps before it left)."""
    changes = []
    savepoint = connection.begin_nested()
    try:
        for addon in addons:
            before = _schema(connection)
            migrations.downgrade_to_base(connection, addon)
            after = _schema(connection)
            changes.append((addon, sorted(set(before) - set(after)), tuple(
                (table, column) for table in sorted(set(before) & set(after))
                for column in sorted(before[table] - after[table]))))
    finally:
        savepoint.rollback()
    return [Drops(addon, tuple((name, connection.execute(select(func.count()).select_from(
                Table(name, MetaData()))).scalar_one()) for name in tables), columns, _groups(connection, addon))
            for addon, tables, columns in changes]


def _groups(connection: Connection, addon: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    members: dict[str, list[str]] = {
        key: [] for key in connection.scalars(select(Group.key).where(Group.addon == addon).order_by(Group.key))
    }
    rows = connection.execute(
        select(Group.key, User.login)
        .join(user_groups, user_groups.c.group_id == Group.id)
        .join(User, User.id == user_groups.c.user_id)
        .where(Group.addon == addon)
        .order_by(Group.key, User.login)
    )
    for key, login in rows:
        members[key].append(login)
    return tuple((key, tuple(logins)) for key, logins in members.items())


def drop_groups(connection: Connection, addon: str) -> None:
    """Drop the addon's groups and who belonged to them (explicitly: SQLite's foreign keys are off here)."""
    doomed = select(Group.id).where(Group.addon == addon).scalar_subquery()
    connection.execute(delete(user_groups).where(user_groups.c.group_id.in_(doomed)))
    connection.execute(delete(Group).where(Group.addon == addon))


def backup(connection: Connection, drops: Drops, folder: Path | str | None = None) -> str:
    folder = Path(folder) if folder else DEFAULT_BACKUP_DIR
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = folder / f"{drops.addon}-{stamp}.json"
    metadata = MetaData()
    content: dict = {"addon": drops.addon, "written_at": stamp, "tables": {}, "columns": {},
                     "memberships": {key: list(logins) for key, logins in drops.groups}}
    for name, _count in drops.tables:
        table = Table(name, metadata, autoload_with=connection)
        rows = connection.execute(select(table)).mappings()
        content["tables"][name] = [dict(row) for row in rows]
    for table_name, column in drops.columns:
        table = Table(table_name, metadata, autoload_with=connection)
        keys = [c for c in table.primary_key.columns]
        rows = connection.execute(select(*keys, table.c[column])).mappings()
        content["columns"][f"{table_name}.{column}"] = [dict(row) for row in rows]
    text = json.dumps(content, default=_json_value, indent=1).encode("utf-8")
    return str(write_private(path, lambda handle: handle.write(text)))


@dataclass(frozen=True)
class Memberships:
    """Who belonged to which group of ``addon``, as read from a purge backup."""

    addon: str
    source: Path
    members: tuple[tuple[str, tuple[str, ...]], ...]  # (group key, logins)


def read_memberships(path: Path | str) -> Memberships:
    """The group memberships a purge backup recorded; a file that is not one is a clear error."""
    path = Path(path)
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AddonError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise AddonError(f"{path}: not a purge backup (not JSON: {exc})") from None
    addon = content.get("addon") if isinstance(content, dict) else None
    members = content.get("memberships") if isinstance(content, dict) else None
    if not isinstance(addon, str):
        raise AddonError(f"{path}: not a purge backup (it names no addon)")
    if members is None:
        raise AddonError(f"{path}: this backup of {addon} records no group memberships "
                         "(it was written before backups kept them)")
    if not (isinstance(members, dict) and all(
            isinstance(logins, list) and all(isinstance(login, str) for login in logins)
            for logins in members.values())):
        raise AddonError(f"{path}: \"memberships\" must map each group to a list of logins")
    return Memberships(addon, path, tuple((key, tuple(logins)) for key, logins in sorted(members.items())))


@dataclass(frozen=True)
class RestoredMemberships:
    restored: tuple[tuple[str, str], ...]  # (group key, login)
    unknown_users: tuple[tuple[str, str], ...]  # (group key, login): no such user any more
    unknown_groups: tuple[str, ...]  # no longer declared by the addon

    def lines(self) -> list[str]:
        lines = [f"restored: {login} in {key}" for key, login in self.restored]
        lines += [f"not restored: {login} in {key} (no user {login} any more)" for key, login in self.unknown_users]
        lines += [f"not restored: group {key} (the addon no longer declares it)" for key in self.unknown_groups]
        return lines or ["no memberships to restore"]


def restore_memberships(connection: Connection, memberships: Memberships) -> RestoredMemberships:
    """Put the recorded users back in the addon's groups; users or groups that are gone are reported."""
    groups = dict(connection.execute(select(Group.key, Group.id).where(Group.addon == memberships.addon)).all())
    logins = {login for _key, members in memberships.members for login in members}
    users = dict(connection.execute(select(User.login, User.id).where(User.login.in_(logins))).all())
    existing = set(connection.execute(select(user_groups.c.user_id, user_groups.c.group_id)).all())
    restored, unknown_users, unknown_groups = [], [], []
    for key, members in memberships.members:
        if key not in groups:
            unknown_groups.append(key)
            continue
        for login in members:
            if login not in users:
                unknown_users.append((key, login))
                continue
            if (users[login], groups[key]) not in existing:
                connection.execute(insert(user_groups).values(user_id=users[login], group_id=groups[key]))
            restored.append((key, login))
    return RestoredMemberships(tuple(restored), tuple(unknown_users), tuple(unknown_groups))


def _json_value(value):
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"cannot write {type(value).__name__} to the backup")
