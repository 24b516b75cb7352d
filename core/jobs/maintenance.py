"""The core's periodic housekeeping jobs: ``core.clean_jobs`` and ``core.refresh_statistics``."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, text
from sqlalchemy.engine import Connection

from core.db import utcnow
from core.models.job import DONE, JobRecord

from .declarations import JobContext

KEEP_DONE_DAYS = 30


def clean_jobs(context: JobContext, days: int = KEEP_DONE_DAYS) -> int:
    """Forget jobs that finished well more than ``days`` ago; failed ones stay until retried."""
    cutoff = utcnow() - dt.timedelta(days=days)
    with context.session() as session:
        result = session.execute(delete(JobRecord).where(JobRecord.state == DONE, JobRecord.finished_at < cutoff))
        session.commit()
        return result.rowcount


def refresh_statistics(connection: Connection) -> None:
    """Let the database's query planner know how many rows each table and index holds.

    Without statistics SQLite takes any equality on an indexed column as
    selective, so the company filter every record rule adds (``company_id IN
    (...)``) would make it read a whole company's rows through that column's
    index instead of the narrow composite index a lookup was written for.
    PostgreSQL's autovacuum keeps its own statistics; ``ANALYZE`` there only
    brings them up to date sooner. Every row is read (no sampling limit):
    a sample of a skewed table misleads the planner as much as no statistics.
    """
    connection.execute(text("ANALYZE"))


def refresh_statistics_job(context: JobContext) -> None:
    """The nightly ``core.refresh_statistics``: the planner's statistics follow the data as it grows."""
    with context.session() as session:
        refresh_statistics(session.connection())
        session.commit()
