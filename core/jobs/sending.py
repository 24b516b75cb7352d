"""Jobs written in the caller's transaction and sent to the queue when it commits.

A job is first a ``core_job`` row written in the caller's transaction; its
id goes to huey only once that transaction commits (an ``after_commit``
listener on the session), so a worker never sees a job whose data is not
there yet, and a rolled back transaction (or savepoint) sends nothing. The
jobs of one commit are sent together: a SQLite queue takes them in one write.

Where a process sends its jobs: the queue in
``session.info["bottega.job_queue"]`` when the session has one, else the one
:mod:`core.jobs.target` chooses.
"""
from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Connection, Engine, event, update
from sqlalchemy.orm import Session

from core.db import utcnow
from core.errors import RecordNotFound, ValidationError
from core.models.job import FAILED, QUEUED, JobRecord
from core.sessions import system_rows

from .declarations import Job, JobError
from .queue import MAX_ERROR, QUEUE_INFO, JobQueue, jobs_of
from .target import default_queue

if TYPE_CHECKING:
    from core.registry import Registry

log = logging.getLogger("bottega.jobs")

_PENDING = "bottega.jobs_pending"
_REGISTRY_CACHE = "bottega.jobs_registry"
_catalog = None


def queue_for(session: Session) -> JobQueue:
    return session.info.get(QUEUE_INFO) or default_queue()


def registry_of(session: Session) -> Registry:
    """The registry a session carries (``actor_session`` puts it there), else the one of its database."""
    registry = session.info.get("registry") or session.info.get(_REGISTRY_CACHE)
    if registry is None:
        global _catalog
        from core.catalog import Catalog
        from core.lifecycle.installed import installed_registry

        if _catalog is None:
            _catalog = Catalog.discover()
        registry = installed_registry(_catalog, session.connection())
        session.info[_REGISTRY_CACHE] = registry
    return registry


def job_named(registry: Registry, name: str) -> Job:
    jobs = jobs_of(registry)
    if name not in jobs:
        raise JobError(f"unknown job {name!r}: no installed addon declares it "
                       f"(known: {', '.join(sorted(jobs)) or 'none'})")
    return jobs[name]


# --- writing job rows in the caller's transaction -------------------------------------


def add_job(session: Session, system: Session, name: str, arguments: dict[str, Any],
            delay: float | None = None) -> JobRecord:
    """Record job ``name`` with ``system`` and send it when ``session`` commits; see :func:`enqueue`."""
    job = job_named(registry_of(session), name)
    try:
        json.dumps(arguments, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise JobError(f"job {name}: arguments must be JSON values (numbers, strings, lists, "
                       f"dicts, true/false/null): {exc}") from None
    record = JobRecord(name=name, arguments=dict(arguments), state=QUEUED, attempts=0)
    system.add(record)
    system.flush()
    send_on_commit(session, record.id, job, delay)
    return record


def enqueue(session: Session, name: str, /, **arguments: Any) -> JobRecord:
    """Record job ``name`` (``<addon>.<name>``) with ``arguments`` and send it when ``session`` commits.

    The job's row is written in ``session``'s transaction; nothing reaches
    the queue if it rolls back. An unknown name (or a job of an addon that is
    not installed) is a :class:`JobError`; ``arguments`` must be JSON values.
    """
    with system_rows(session) as system:
        return add_job(session, system, name, arguments)


def enqueue_later(session: Session, delay: float, name: str, /, **arguments: Any) -> JobRecord:
    """Like :func:`enqueue`, but the job runs ``delay`` seconds after ``session`` commits (a retry's backoff)."""
    with system_rows(session) as system:
        return add_job(session, system, name, arguments, delay)


def retry_job(session: Session, job_id: int) -> JobRecord:
    """Queue a failed job again (with its full retries); it is sent when ``session`` commits."""
    record = session.get(JobRecord, job_id, with_for_update=True)
    if record is None:
        raise RecordNotFound(_l("There is no job %(id)s.", id=job_id))
    if record.state != FAILED:
        raise ValidationError(_l("Only a failed job can be retried."))
    job = job_named(registry_of(session), record.name)
    record.state = QUEUED
    record.finished_at = None
    session.flush()
    send_on_commit(session, record.id, job)
    return record


# --- sending on commit ------------------------------------------------------------------


def send_on_commit(session: Session, job_id: int, job: Job, delay: float | None = None) -> None:
    transaction = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_PENDING, []).append((queue_for(session), job_id, job, transaction, delay))


@event.listens_for(Session, "after_commit")
def _send_pending(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint was released: the transaction goes on
        return
    pending = session.info.pop(_PENDING, None)
    by_queue: dict[int, tuple[JobQueue, list[tuple[int, Job]]]] = {}
    unsent: list[tuple[int, Job, Exception]] = []
    for queue, job_id, job, _transaction, delay in pending or ():
        if not delay:
            by_queue.setdefault(id(queue), (queue, []))[1].append((job_id, job))
            continue
        try:  # a delayed job goes to huey's schedule on its own
            queue.send(job_id, job, delay=delay)
        except Exception as exc:
            unsent.append((job_id, job, exc))
    for queue, jobs in by_queue.values():
        unsent += queue.send_all(jobs)
    failed: list[tuple[int, str]] = []
    for job_id, job, exc in unsent:  # the rows are committed: make them visible as failed
        log.error("job %s (%s) could not be sent to the job queue", job_id, job.name, exc_info=exc)
        failed.append((job_id, f"could not be sent to the job queue: {type(exc).__name__}: {exc}"[:MAX_ERROR]))
    if failed:
        _mark_unsent(session, failed)


def _mark_unsent(session: Session, failed: list[tuple[int, str]]) -> None:
    try:
        bind = session.get_bind()
        statements = [update(JobRecord).where(JobRecord.id == job_id, JobRecord.state == QUEUED)
                      .values(state=FAILED, last_error=error, finished_at=utcnow()) for job_id, error in failed]
        if isinstance(bind, Connection):
            for statement in statements:
                bind.execute(statement)
        elif isinstance(bind, Engine):
            with bind.begin() as connection:
                for statement in statements:
                    connection.execute(statement)
    except Exception:
        log.exception("jobs %s could not be marked failed", [job_id for job_id, _ in failed])


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, previous_transaction) -> None:
    pending = session.info.get(_PENDING)
    if not pending:
        return

    def inside(transaction) -> bool:
        while transaction is not None:
            if transaction is previous_transaction:
                return True
            transaction = transaction.parent
        return False

    session.info[_PENDING] = [entry for entry in pending if not inside(entry[3])]


@event.listens_for(Session, "after_transaction_end")
def _forget_at_end(session: Session, transaction) -> None:
    if transaction.parent is None:  # the session's transaction ended without commit: nothing to send
        session.info.pop(_PENDING, None)
