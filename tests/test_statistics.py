"""core.refresh_statistics: the planner learns how many rows the tables hold (SQLite keeps none by itself)."""
from sqlalchemy import text

from core.jobs.maintenance import refresh_statistics


def _known(connection, table: str) -> bool:
    if connection.dialect.name == "sqlite":
        if not connection.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).scalar():
            return False  # not even the table where SQLite would keep them
        return bool(connection.execute(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = :table"),
                                       {"table": table}).scalar())
    # reltuples is -1 until a table is first analysed (PostgreSQL 14 and later), 0 for an analysed empty one
    return connection.execute(text("SELECT reltuples FROM pg_class WHERE relname = :table"),
                              {"table": table}).scalar() >= 0


def test_after_the_refresh_the_planner_knows_each_tables_size(db):
    session = db.system()
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        assert not _known(connection, "core_user")  # a new database: the planner guesses
    refresh_statistics(connection)
    assert _known(connection, "core_user") and _known(connection, "core_company")
