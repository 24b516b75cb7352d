"""A user's long work on the job queue (an import, a large export): its progress, its outcome, its file."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, TimestampMixin, intpk

QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
TASK_STATES = (QUEUED, RUNNING, DONE, FAILED, CANCELLED)
FINISHED = frozenset({DONE, FAILED, CANCELLED})


class UserTask(TimestampMixin, Base):
    """One long piece of work a user started (``kind``: an import or an export), run by a job (``job_id``) as them.

    ``done`` of ``total`` rows is the progress the job writes after each
    batch; ``cancel_requested`` is read by the job at each batch boundary.
    ``arguments`` is what the job needs (the view, the mapping, the filters),
    ``result`` what it reports (counts, errors by line and column).
    ``file_name`` names the task's file in the tasks' folder (the uploaded
    file while an import waits and runs, the written file of an export until
    ``expires_at``). Only its user sees it (a record rule).
    """

    __tablename__ = "core_user_task"
    __audit__ = False
    __table_args__ = (Index("ix_core_user_task_user_id_id", "user_id", "id"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id", ondelete="CASCADE"))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("core_job.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(255))
    view: Mapped[str] = mapped_column(String(128))
    state: Mapped[str] = mapped_column(String(16), default=QUEUED)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    arguments: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    file_name: Mapped[str | None] = mapped_column(String(255))
    expires_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    def downloadable(self, now: dt.datetime) -> bool:
        """An export's file, written and not expired."""
        return self.kind == "export" and self.state == DONE and bool(self.file_name) and self.expires_at > now

    @property
    def percent(self) -> int:
        if self.state == DONE:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0

    def __repr__(self) -> str:
        return f"<UserTask {self.id} {self.kind} {self.state} {self.done}/{self.total}>"
