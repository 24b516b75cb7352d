"""The core's periodic housekeeping job ``core.clean_jobs``."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import delete

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
