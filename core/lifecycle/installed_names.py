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

if TYPE_CHECKING:
    from core.catalog import Catalog

#: :class:`core.models.AddonState`'s table, rows in state :data:`core.models.addon.INSTALLED`.
INSTALLED_QUERY = "SELECT name FROM core_addon WHERE state = 'installed'"


def installed_names(url: str) -> list[str] | None:
    """The addons the database at ``url`` records as installed, or None when this module cannot read that URL.

    A database that cannot be read (a missing file, no ``core_addon`` table,
    a server that refuses) raises the driver's error.
    """
    scheme, separator, rest = url.partition("://")
    if not separator:
        return None
    if scheme in ("sqlite", "sqlite+pysqlite"):
        return _sqlite_names(rest)
    if scheme == "postgresql+psycopg":
        return _postgresql_names(f"postgresql://{rest}")
    return None


def known_in_order(catalog: Catalog, names: Iterable[str]) -> list[str]:
    """The names whose code ``catalog`` has (an addon whose code is gone is left out), dependencies first."""
    return catalog.resolve(name for name in names if name in catalog)


def _sqlite_names(rest: str) -> list[str] | None:
    # sqlite:///relative/file.db or sqlite:////absolute/file.db, as SQLAlchemy reads them; no host, no options
    if not rest.startswith("/") or "?" in rest:
        return None
    database = unquote(rest[1:])
    if database in ("", ":memory:"):
        return None
    # mode=rw: a missing file is an error, where a plain connect would create an empty database
    connection = sqlite3.connect(f"file:{quote(database)}?mode=rw", uri=True)
    try:
        return [name for (name,) in connection.execute(INSTALLED_QUERY)]
    finally:
        connection.close()


def _postgresql_names(conninfo: str) -> list[str]:
    import psycopg

    with psycopg.connect(conninfo, autocommit=True) as connection:
        return [name for (name,) in connection.execute(INSTALLED_QUERY)]
