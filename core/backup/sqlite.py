"""SQLite through its online backup API: a consistent copy while the server keeps writing.

``Connection.backup`` with its default ``pages=-1`` copies the whole file in
one step, inside one read transaction: with the write-ahead log Bottega
turns on, writers go on meanwhile and the copy is the database as of one
instant. Restoring uses the same API the other way, in one write
transaction of the target: it has all of the backup or none of it.
"""
from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from . import BackupError
from .archive import State

BUSY_TIMEOUT = 30  # seconds to wait for another connection's write to end


def database_file(url: str) -> Path:
    name = make_url(url).database
    if not name or name == ":memory:":
        raise BackupError(f"{url}: an in-memory database cannot be backed up or restored")
    return Path(name)


def dump(url: str, target: Path) -> State:
    """Copy the database into ``target``; return what the copy holds."""
    source_path = database_file(url)
    if not source_path.is_file():
        raise BackupError(f"cannot back up {url}: {source_path} does not exist")
    with closing(sqlite3.connect(source_path, timeout=BUSY_TIMEOUT)) as source, \
            closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, without -wal and -shm beside it
    return read_state(target)


def read_state(path: Path) -> State:
    with closing(sqlite3.connect(path)) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"core_addon", "alembic_version"} <= tables:
            raise BackupError("the database is not initialized (run `bottega init`): there is nothing to back up")
        addons = {name: {"version": version, "state": state}
                  for name, version, state in connection.execute("SELECT name, version, state FROM core_addon")}
        revisions = sorted(row[0] for row in connection.execute("SELECT version_num FROM alembic_version"))
    return State(addons, revisions)


def check_dump(path: Path, source: Path) -> None:
    """The unpacked dump must be a sound SQLite database."""
    try:
        with closing(sqlite3.connect(path)) as connection:
            problems = [row[0] for row in connection.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} is truncated or corrupt: its database cannot be read ({exc})") from None
    if problems != ["ok"]:
        raise BackupError(f"{source} is corrupt: its database fails SQLite's check ({problems[0]})")


def restore(path: Path, url: str) -> None:
    """Replace the content of the database at ``url`` with the dump at ``path``, in one transaction."""
    target_path = database_file(url)
    with closing(sqlite3.connect(path)) as dump_connection, \
            closing(sqlite3.connect(target_path, timeout=BUSY_TIMEOUT)) as target:
        dump_connection.backup(target)
