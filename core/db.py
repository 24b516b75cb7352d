"""Database plumbing: the declarative base, column types, engines and sessions.

Every table of every addon lives in the one ``Base.metadata``; which addon owns
a table is told by its name prefix (``crm_lead`` belongs to ``crm``) and by the
addon's ``register_models`` hook.
"""
from __future__ import annotations

import datetime as dt
import re
import weakref
from decimal import Decimal
from typing import Annotated

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    MetaData,
    Numeric,
    String,
    Integer,
    create_engine,
    event,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

from core.timeouts import SQLITE_BUSY_TIMEOUT

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

intpk = Annotated[int, mapped_column(primary_key=True)]
str40 = Annotated[str, mapped_column(String(40))]
str120 = Annotated[str, mapped_column(String(120))]
str255 = Annotated[str, mapped_column(String(255))]
money = Annotated[Decimal, mapped_column(Numeric(18, 2))]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        str: String(255),
        dt.datetime: DateTime(),
        Decimal: Numeric(18, 2),
    }


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def install_batch_ids(factory: sessionmaker) -> None:
    """On SQLite, the new rows of one table in a flush get their ids first, so they go in one executemany.

    SQLite cannot return the ids of a many-row INSERT in the rows' order, so
    SQLAlchemy would insert such rows with one statement each. Numbered after
    the table's largest id while the transaction holds SQLite's single write
    lock (no other connection inserts meanwhile), they get the very ids SQLite
    would have given them.
    """
    event.listen(factory, "before_flush", _number_new_rows)


def _number_new_rows(session: Session, _flush_context, _instances) -> None:
    if len(session.new) < 2 or session.get_bind().dialect.name != "sqlite":
        return
    waiting: dict = {}
    for obj in session.new:
        state = inspect(obj)
        key = _serial_key(state.mapper)
        if key is not None and state.dict.get(key) is None:
            waiting.setdefault(state.mapper, []).append(obj)
    batches = {mapper: objs for mapper, objs in waiting.items() if len(objs) > 1}
    if not batches:
        return
    connection = session.connection()
    hold_write_lock(connection)
    for mapper, objs in batches.items():
        column = mapper.primary_key[0]
        first = (connection.execute(select(func.max(column))).scalar() or 0) + 1
        key = _serial_key(mapper)
        for number, obj in enumerate(objs, first):
            setattr(obj, key, number)


_SERIAL_KEY: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _serial_key(mapper) -> str | None:
    """The attribute of a mapper's own integer primary key that the database numbers, if it has one."""
    if mapper not in _SERIAL_KEY:
        key = None
        if len(mapper.primary_key) == 1 and mapper.inherits is None:
            column = mapper.primary_key[0]
            if (isinstance(column.type, Integer) and column.autoincrement in (True, "auto")
                    and not column.foreign_keys and column.table is mapper.local_table):
                key = mapper.get_property_by_column(column).key
        _SERIAL_KEY[mapper] = key
    return _SERIAL_KEY[mapper]


def install_known_nulls(factory: sessionmaker) -> None:
    """A new record's attributes that were never set are known to be NULL once it is inserted.

    SQLAlchemy writes them as NULL but leaves them unloaded, so reading one
    afterwards, or the audit looking for the old value of one being set,
    would select the row again.
    """
    event.listen(factory, "pending_to_persistent", _known_nulls)


def _known_nulls(_session: Session, obj) -> None:
    state = inspect(obj)
    for key in _null_on_insert(state.mapper):
        if key not in state.dict and key not in state.expired_attributes:
            set_committed_value(obj, key, None)


_NULL_ON_INSERT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _null_on_insert(mapper) -> tuple[str, ...]:
    """The attributes an INSERT writes as NULL when not given: no default of any kind, and NULL meaning NULL
    (not a JSON null)."""
    keys = _NULL_ON_INSERT.get(mapper)
    if keys is None:
        keys = _NULL_ON_INSERT[mapper] = tuple(
            attr.key for attr in mapper.column_attrs
            if isinstance(column := attr.columns[0], Column) and not column.primary_key
            and column.default is None and column.server_default is None and not column.type.should_evaluate_none
        )
    return keys


_WRITING = "bottega.sqlite_writing"
_CHANGES = "bottega.sqlite_changes"
_NO_WRITE = re.compile(r"\s*(SELECT|VALUES|EXPLAIN|PRAGMA|BEGIN|COMMIT|ROLLBACK|RELEASE|END)\b", re.IGNORECASE)
_DML = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL, and real transactions whose writers wait their turn.

    pysqlite by default neither begins a transaction before DDL nor lets
    SQLite see BEGIN at all; we switch its own handling off and emit BEGIN
    ourselves (the recipe from SQLAlchemy's SQLite dialect docs), so that an
    addon install that fails halfway rolls back its CREATE TABLEs too.

    Writers wait for each other (see :func:`_take_write_lock`); readers never
    wait, as WAL lets them read while another connection writes.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        kwargs.setdefault("connect_args", {}).setdefault("timeout", SQLITE_BUSY_TIMEOUT)
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if parsed.database and parsed.database != ":memory:":
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            conn.info[_WRITING] = False
            conn.info[_CHANGES] = conn.connection.dbapi_connection.total_changes
            conn.exec_driver_sql("BEGIN")

        event.listen(engine, "before_cursor_execute", _take_write_lock)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _take_write_lock(conn, _cursor, statement, _parameters, context, _executemany) -> None:
    """Before a SQLite transaction's first write, trade its read snapshot for the write lock (BEGIN IMMEDIATE).

    A transaction begins DEFERRED, so that reading takes no lock: a page can
    read through two sessions at once, and a long report holds up nobody. A
    deferred transaction that has read and then writes cannot wait for the
    lock: if another connection committed meanwhile, its snapshot is stale
    and SQLite fails at once with "database is locked". So before the first
    write (or SAVEPOINT, or SELECT ... FOR UPDATE) the transaction is begun
    again with BEGIN IMMEDIATE, which waits up to :data:`SQLITE_BUSY_TIMEOUT`
    seconds for the writer ahead of it. What was read before is re-read from
    the database by later queries, as on PostgreSQL (read committed), and
    what is written from then on is serialized with every other writer.
    """
    if _will_write(statement, context):
        hold_write_lock(conn)


def hold_write_lock(conn) -> None:
    """Make sure the SQLite transaction of ``conn`` holds the write lock (see :func:`_take_write_lock`)."""
    info = conn.info
    if info.get(_WRITING, True):
        return
    info[_WRITING] = True
    dbapi_connection = conn.connection.dbapi_connection
    if dbapi_connection.total_changes == info[_CHANGES]:  # only read so far: nothing to lose
        dbapi_connection.execute("ROLLBACK")
        dbapi_connection.execute("BEGIN IMMEDIATE")


def _will_write(statement: str, context) -> bool:
    compiled = getattr(context, "compiled", None)
    if compiled is not None and getattr(compiled.statement, "_for_update_arg", None) is not None:
        return True
    if _NO_WRITE.match(statement):
        return False
    if statement.lstrip()[:4].upper() == "WITH":
        return bool(_DML.search(statement))
    return True
