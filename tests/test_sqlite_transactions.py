"""SQLite transactions of ``core.db.make_engine``: readers take no lock, writers wait for the write lock.

These run on a SQLite file of their own whatever the test engine is: the
behaviour is SQLite's (PostgreSQL readers never block writers anyway).
"""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, select, text, update
from sqlalchemy.orm import Session

from core.db import make_engine

metadata = MetaData()
counter = Table("counter", metadata, Column("id", Integer, primary_key=True), Column("name", String(20)),
                Column("value", Integer))


@pytest.fixture
def sqlite_file(tmp_path):
    path = tmp_path / "transactions.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, name VARCHAR(20), value INTEGER)"))
        connection.execute(counter.insert(), [{"id": 1, "name": "a", "value": 0}, {"id": 2, "name": "b", "value": 0}])
    yield engine, path
    engine.dispose()


def write_lock_is_free(path) -> bool:
    """Whether another connection could take the write lock right now (without waiting)."""
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return False
    finally:
        probe.close()


def value(session, row_id=1):
    return session.scalar(select(counter.c.value).where(counter.c.id == row_id))


def test_a_transaction_that_read_writes_after_another_process_committed(sqlite_file):
    """A deferred read snapshot made stale by another writer used to fail at once with 'database is locked'."""
    engine, _path = sqlite_file
    with Session(engine) as first, Session(engine) as second:
        assert value(first) == 0  # first reads: its snapshot is taken
        second.execute(update(counter).where(counter.c.id == 2).values(value=5))
        second.commit()
        first.execute(update(counter).where(counter.c.id == 1).values(value=counter.c.value + 1))
        assert value(first, 2) == 5  # from its first write on, it sees what the other committed
        first.commit()
    with Session(engine) as check:
        assert (value(check), value(check, 2)) == (1, 5)


def test_reading_takes_no_lock_and_two_sessions_of_one_request_can_read_while_one_writes(sqlite_file):
    engine, path = sqlite_file
    with Session(engine) as user_session, Session(engine) as system_session:
        assert value(user_session) == 0 and value(system_session) == 0
        assert write_lock_is_free(path)
        user_session.execute(update(counter).where(counter.c.id == 1).values(value=7))
        assert not write_lock_is_free(path)  # the writer holds the lock until it commits ...
        assert value(system_session) == 0  # ... and a reader still reads, without waiting
        user_session.commit()
        assert write_lock_is_free(path)


@pytest.mark.parametrize("lock", ["select for update", "savepoint", "ddl"])
def test_a_locking_read_a_savepoint_or_ddl_takes_the_write_lock_first(sqlite_file, lock):
    engine, path = sqlite_file
    with Session(engine) as session:
        assert value(session) == 0
        if lock == "select for update":
            session.execute(select(counter).where(counter.c.id == 1).with_for_update())
        elif lock == "savepoint":
            session.begin_nested()
            value(session)  # the SAVEPOINT goes out with the next statement
        else:
            session.execute(text("CREATE TABLE scratch (id INTEGER PRIMARY KEY)"))
        assert not write_lock_is_free(path)
        session.rollback()
    assert write_lock_is_free(path)


def test_a_transaction_never_loses_what_it_wrote_when_it_takes_the_lock(sqlite_file):
    """A write the engine did not see coming (a driver-level statement) is kept, not rolled back."""
    engine, _path = sqlite_file
    with engine.connect() as connection:
        connection.connection.dbapi_connection.execute("UPDATE counter SET value = 3 WHERE id = 1")
        connection.execute(update(counter).where(counter.c.id == 2).values(value=4))
        connection.commit()
    with Session(engine) as check:
        assert (value(check), value(check, 2)) == (3, 4)
