"""Reaching the database: clear errors for unreachable servers, creating a missing database."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from core.config import redacted
from core.db import make_engine
from core.errors import DatabaseError

__all__ = ["first_line", "is_initialized", "migration_transaction", "open_engine", "redacted", "require_initialized"]


def first_line(exc: Exception) -> str:
    original = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(original).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(original).__name__


def open_engine(url: str, create: bool = False) -> Engine:
    """An engine whose database answers; with ``create``, make a missing database first.

    Every failure to reach the database (a driver that cannot be loaded, a
    server that does not answer, a file that is not a SQLite database) is a
    :class:`DatabaseError` naming the URL, without its password.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"not a database URL: {url!r}") from None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        folder = path.parent
        if not folder.exists():
            if not create:
                raise DatabaseError(
                    f"cannot open database {url}: folder {folder} does not exist (run `bottega init`)"
                )
            folder.mkdir(parents=True)
        if path.is_dir():
            raise DatabaseError(f"cannot open database {url}: {path} is a folder, not a database file")
    try:
        engine = make_engine(url)
    except (ArgumentError, ImportError) as exc:
        raise DatabaseError(f"cannot open database {redacted(url)}: cannot load its driver: {first_line(exc)}") from None
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        engine.dispose()
        if (create and parsed.get_backend_name() == "postgresql" and isinstance(exc, OperationalError)
                and "does not exist" in str(exc.orig)):
            _create_postgresql_database(url)
            return open_engine(url)
        if parsed.get_backend_name() == "sqlite" and not isinstance(exc, OperationalError):
            raise DatabaseError(f"cannot open database {redacted(url)}: {first_line(exc)}") from None
        raise DatabaseError(f"cannot connect to database {redacted(url)}: {first_line(exc)}") from None
    except Exception as exc:  # a driver failing in its own way (missing library, bad option)
        engine.dispose()
        raise DatabaseError(
            f"cannot connect to database {redacted(url)}: {type(exc).__name__}: {first_line(exc)}"
        ) from None
    return engine


def _create_postgresql_database(url: str) -> None:
    parsed = make_url(url)
    maintenance = make_engine(parsed.set(database="postgres").render_as_string(hide_password=False),
                              isolation_level="AUTOCOMMIT")
    try:
        with maintenance.connect() as connection:
            name = parsed.database.replace('"', '""')
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except DBAPIError as exc:
        raise DatabaseError(f"cannot create database {redacted(url)}: {first_line(exc)}") from None
    finally:
        maintenance.dispose()


def is_initialized(engine: Engine) -> bool:
    with engine.connect() as connection:
        return inspect(connection).has_table("core_addon")


def require_initialized(engine: Engine) -> None:
    if not is_initialized(engine):
        raise DatabaseError(
            f"database {redacted(engine.url.render_as_string(hide_password=False))} is not initialized: run `bottega init`"
        )


@contextmanager
def migration_transaction(engine: Engine, commit: bool = True) -> Iterator[Connection]:
    """One transaction for a whole lifecycle run (or, with ``commit=False``, a dry run).

    On SQLite, Alembic alters a table by copying it and dropping the old one;
    with foreign keys enforced, that DROP would cascade into (or be refused
    by) the rows of other tables. So enforcement is switched off before BEGIN
    (SQLite ignores the switch inside a transaction), ``foreign_key_check``
    verifies everything before COMMIT, and enforcement is switched back on.
    PostgreSQL alters tables in place and needs none of this.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        transaction = connection.begin()
        try:
            yield connection
            if not commit:
                transaction.rollback()
                return
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    table, rowid, parent, _fk = broken[0]
                    raise DatabaseError(
                        f"{len(broken)} rows would point at missing rows "
                        f"(first: {table} row {rowid} -> {parent}); nothing was changed"
                    )
            transaction.commit()
        except BaseException:
            if transaction.is_active:
                transaction.rollback()
            raise
        finally:
            if sqlite:
                connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")
