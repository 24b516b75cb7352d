"""Which addons a database records as installed, read with its driver alone, without SQLAlchemy.

``bottega --help`` lists the commands of the installed addons, so it must
ask the database which they are; importing SQLAlchemy for that one query
would cost more than all the rest of the command. For the URLs whose
meaning is plain (a SQLite file; ``postgresql+psycopg``, whose URL libpq
reads as SQLAlchemy does) the ``core_addon`` table is read with ``sqlite3``
or psycopg directly. Any other URL (SQLite options, another driver, a
database in memory) gives None, and the caller asks through SQLAlchemy
(:func:`core.lifecycle.installed.installed_addons`), which reads them all.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from core.timeouts import SQLITE_BUSY_TIMEOUT

if TYPE_CHECKING:
    from core.catalog import Catalog

INSTALLED = "installed"  # the state of an installed addon's row (core.models.addon uses this one)
#: Every row of :class:`core.models.AddonState`'s table: name, version, state.
ADDONS_QUERY = "SELECT name, version, state FROM core_addon ORDER BY name"


def installed_names(url: str) -> list[str] | None:
    """The addons the database at ``url`` records as installed, or None when this module cannot read that URL.

    A database that cannot be read (a missing file, no ``core_addon`` table,
    a server that refuses) raises the driver's error.
    """
    rows = recorded_addons(url)
    return None if rows is None else [name for name, _version, state in rows if state == INSTALLED]


def recorded_addons(url: str, *checks: str) -> list[tuple[str, str, str]] | None:
    """Every addon row (name, version, state) of the database at ``url``, by name; None as for :func:`installed_names`.

    ``checks``: statements run first, on the same connection, that raise
    unless the database is as the caller needs (a worker's job tables).
    """
    scheme, separator, rest = url.partition("://")
    if not separator:
        return None
    if scheme in ("sqlite", "sqlite+pysqlite"):
        return _sqlite_rows(rest, checks)
    if scheme == "postgresql+psycopg":
        return _postgresql_rows(f"postgresql://{rest}", checks)
    return None


def known_in_order(catalog: Catalog, names: Iterable[str]) -> list[str]:
    """The names whose code ``catalog`` has (an addon whose code is gone is left out), dependencies first."""
    return catalog.resolve(name for name in names if name in catalog)


def _sqlite_rows(rest: str, checks: tuple[str, ...]) -> list[tuple] | None:
    # sqlite:///relative/file.db or sqlite:////absolute/file.db, as SQLAlchemy reads them; no host, no options
    if not rest.startswith("/") or "?" in rest:
        return None
    database = unquote(rest[1:])
    if database in ("", ":memory:"):
        return None
    # mode=rw: a missing file is an error, where a plain connect would create an empty database
    connection = sqlite3.connect(f"file:{quote(database)}?mode=rw", uri=True, timeout=SQLITE_BUSY_TIMEOUT)
    try:
        return _rows(connection, checks)
    finally:
        connection.close()


def _postgresql_rows(conninfo: str, checks: tuple[str, ...]) -> list[tuple]:
    import psycopg

    with psycopg.connect(conninfo, autocommit=True) as connection:
        return _rows(connection, checks)


def _rows(connection, checks: tuple[str, ...]) -> list[tuple]:
    for statement in checks:
        connection.execute(statement).fetchall()
    return [tuple(row) for row in connection.execute(ADDONS_QUERY)]
