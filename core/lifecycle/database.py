"""Reaching the database: clear errors for unreachable servers, creating a missing database."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from core.db import make_engine
from core.errors import DatabaseError


def redacted(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def first_line(exc: Exception) -> str:
    original = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(original).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(original).__name__


def open_engine(url: str, create: bool = False) -> Engine:
    """An engine whose database answers; with ``create``, make a missing database first."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        folder = Path(parsed.database).parent
        if not folder.exists():
            if not create:
                raise DatabaseError(f"cannot open database {url}: folder {folder} does not exist (run `bottega init`)")
            folder.mkdir(parents=True)
    engine = make_engine(url)
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        engine.dispose()
        if create and parsed.get_backend_name() == "postgresql" and "does not exist" in str(exc.orig):
            _create_postgresql_database(url)
            return open_engine(url)
        raise DatabaseError(f"cannot connect to database {redacted(url)}: {first_line(exc)}") from None
    return engine


def _create_postgresql_database(url: str) -> None:
    parsed = make_url(url)
    maintenance = make_engine(parsed.set(database="postgres").render_as_string(hide_password=False),
                              isolation_level="AUTOCOMMIT")
    try:
        with maintenance.connect() as connection:
            name = parsed.database.replace('"', '""')
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
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
