"""Starting, following, cancelling and running a user's task (see :mod:`core.tasks`)."""
from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from core.db import utcnow
from core.errors import RecordNotFound, ValidationError
from core.models.task import CANCELLED, DONE, FAILED, QUEUED, RUNNING, UserTask
from core.sessions import system_rows

from .files import TaskFiles

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.jobs import JobContext
    from core.security import Actor

log = logging.getLogger("bottega.tasks")
RUN_TASK = "core.run_task"


class TaskCancelled(Exception):
    """Raised by :meth:`TaskProgress.advance` when the user asked to stop (at a batch's end)."""


def start_task(session: Session, actor: Actor, *, kind: str, title: str, view: str, total: int = 0,
               arguments: dict[str, Any] | None = None, file_name: str | None = None) -> UserTask:
    """Record a task of ``actor`` and queue its job; both are sent when ``session`` commits.

    ``view`` is the endpoint of the list the task works on; ``file_name`` a
    file already written in the tasks' folder (an import's upload).
    """
    from core.jobs.sending import add_job

    with system_rows(session) as system:
        task = UserTask(user_id=actor.user_id, kind=kind, title=title[:255], view=view, total=total, done=0,
                        state=QUEUED, cancel_requested=False, file_name=file_name, result={},
                        arguments={**(arguments or {}), "company_ids": sorted(actor.company_ids),
                                   "company_id": actor.company_id})
        system.add(task)
        system.flush()
        task.job_id = add_job(session, system, RUN_TASK, {"task_id": task.id}).id
        task_id = task.id
    return task_id


def cancel_task(session: Session, task_id: int) -> bool:
    """Ask the user's task ``task_id`` to stop at its next batch; False when it has finished already.

    ``session`` acts as the user: another user's task is not found.
    """
    task = session.get(UserTask, task_id)
    if task is None:
        raise RecordNotFound(_l("There is no task %(id)s.", id=task_id))
    with system_rows(session) as system:
        asked = system.execute(update(UserTask).where(UserTask.id == task_id, UserTask.state.in_((QUEUED, RUNNING)))
                               .values(cancel_requested=True)).rowcount
    if not asked:
        raise ValidationError(_l("This task has finished: there is nothing to cancel."))
    return True


class TaskProgress:
    """What a running task reports: rows done of a total, written in short transactions of their own."""

    def __init__(self, context: JobContext, task_id: int):
        self.context, self.task_id = context, task_id

    def _write(self, **values) -> bool:
        with self.context.session() as system:
            system.execute(update(UserTask).where(UserTask.id == self.task_id).values(**values))
            cancelled = system.get(UserTask, self.task_id).cancel_requested
            system.commit()
        return cancelled

    def start(self, total: int) -> None:
        self._write(total=total, done=0)

    def advance(self, done: int) -> None:
        """Note ``done`` rows; raise :class:`TaskCancelled` when the user asked to stop."""
        if self._write(done=done):
            raise TaskCancelled


def run_task(context: JobContext, task_id: int) -> None:
    """The job ``core.run_task``: run task ``task_id`` as its user, then record how it ended.

    Not retried: an import commits batch by batch, so a run that failed half
    way is shown as failed with what it did, and the user starts again (the
    lines already imported are then skipped).
    """
    from core.web.task_runner import run_as_user

    files = TaskFiles.of(context.config)
    with context.session() as system:
        task = system.get(UserTask, task_id)
        if task is None or task.finished:
            return
        if task.cancel_requested:
            _finish(system, task, CANCELLED, {"cancelled_before_start": True}, files)
            return
        task.state = RUNNING
        system.commit()
    try:
        state, result = run_as_user(context, task_id, TaskProgress(context, task_id))
    except Exception as exc:
        log.exception("task %s failed", task_id)
        with context.session() as system:
            _finish(system, system.get(UserTask, task_id), FAILED, {"error": str(exc) or type(exc).__name__}, files)
        raise
    with context.session() as system:
        _finish(system, system.get(UserTask, task_id), state, result, files)


def _finish(system: Session, task: UserTask, state: str, result: dict, files: TaskFiles) -> None:
    """Record the outcome; an import's upload goes now, an export's file when it expires."""
    result = dict(result)
    written, expires = result.pop("file_name", None), result.pop("expires_at", None)
    task.state, task.finished_at = state, utcnow()
    task.result = {**(task.result or {}), **result}
    if written and state == DONE:
        task.file_name, task.expires_at = written, dt.datetime.fromisoformat(expires)
    else:
        files.delete(task.file_name)
        task.file_name = None
    system.commit()
