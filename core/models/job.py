from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, TimestampMixin, intpk

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
JOB_STATES = (QUEUED, RUNNING, DONE, FAILED)


class JobRecord(TimestampMixin, Base):
    """One run of a background job (see core.jobs): what, with which arguments, and how it went.

    ``queued`` until a worker takes it (again ``queued`` between retries, with
    ``last_error`` set), ``running`` while it runs, then ``done`` or, after its
    last attempt, ``failed`` with the error, for an administrator to see and retry.

    ``timeout_at`` is when the worker's periodic check takes the job back if
    it is still ``running`` (its worker was killed, or it hangs), or sends it
    again if it is ``queued`` after a hand-over (a retry, a job given back by a
    stopping worker) and no worker has taken it by then.
    """

    __tablename__ = "core_job"
    __audit__ = False
    __table_args__ = (Index("ix_core_job_state_id", "state", "id"),)

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(128), index=True)
    arguments: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default=QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    error_detail: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    timeout_at: Mapped[dt.datetime | None]

    def __repr__(self) -> str:
        return f"<JobRecord {self.id} {self.name} {self.state}>"
