"""The queue: huey storage, the jobs of the installed addons, and sending on commit.

A job is first a ``core_job`` row written in the caller's transaction; its
id goes to huey only once that transaction commits (an ``after_commit``
listener on the session), so a worker never sees a job whose data is not
there yet, and a rolled back transaction (or savepoint) sends nothing. The
jobs of one commit are sent together: a SQLite queue takes them in one write.

huey carries one task, ``bottega_run_job(job_id)``, with the job's retries and
retry delay; the worker looks the job up by name in the registry of the
installed addons. Where a process sends its jobs: the queue in
``session.info["bottega.job_queue"]`` when the session has one, else the one
:mod:`core.jobs.target` chooses.
"""
from __future__ import annotations

import dataclasses
import json
import logging
import threading
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Connection, Engine, event, update
from sqlalchemy.orm import Session

from core.config import Config
from core.db import SQLITE_BUSY_TIMEOUT, utcnow
from core.errors import AddonError, RecordNotFound, ValidationError
from core.models.job import FAILED, QUEUED, JobRecord

from core.sessions import system_rows

from .declarations import Job, JobError
from .target import default_queue

if TYPE_CHECKING:
    from huey import Huey

    from core.registry import Registry

log = logging.getLogger("bottega.jobs")

QUEUE_INFO = "bottega.job_queue"
DEFAULT_NAME = "bottega"
RUN_TASK = "bottega_run_job"
_PENDING = "bottega.jobs_pending"
_REGISTRY_CACHE = "bottega.jobs_registry"
MAX_ERROR = 2000


# --- the queue ----------------------------------------------------------------------


def make_huey(config: Config, name: str = DEFAULT_NAME) -> Huey:
    """The huey instance ``[jobs]`` describes: SQLite file (default) or Redis."""
    from huey import RedisHuey, SqliteHuey

    jobs = config.values["jobs"]
    if jobs["backend"] == "redis":
        return RedisHuey(name, url=jobs["redis_url"], results=False)
    path = Path(jobs["sqlite_path"]).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    # the queue file is written by every process that enqueues: wait for the lock as long as the database does
    return SqliteHuey(name, filename=str(path), results=False, timeout=SQLITE_BUSY_TIMEOUT)


class JobQueue:
    """A huey queue of one installation: where jobs are sent, and where ``bottega worker`` takes them.

    ``overrides`` maps a job name to declaration fields (``retries``,
    ``retry_delay``, ``timeout``) this installation sets instead of the
    declaration's (the core's mail job takes them from ``[mail]``).
    """

    def __init__(self, huey: Huey, overrides: Mapping[str, Mapping[str, int]] | None = None):
        self.huey = huey
        self.overrides = {name: dict(fields) for name, fields in (overrides or {}).items()}
        self.executor = None  # the Worker running jobs from this queue, in a worker process
        self._task = huey.task(context=True, name=RUN_TASK)(self._run)

    @classmethod
    def from_config(cls, config: Config, name: str = DEFAULT_NAME) -> JobQueue:
        from core.mail import SEND_MAIL, job_settings

        return cls(make_huey(config, name), {SEND_MAIL: job_settings(config)})

    def describe(self) -> str:
        storage = self.huey.storage
        where = getattr(storage, "filename", None) or getattr(storage, "queue_key", "")
        return f"{type(self.huey).__name__} {self.huey.name} ({where})"

    def settings_for(self, job: Job) -> Job:
        """``job`` as this installation runs it: its declaration with the overrides applied."""
        overrides = self.overrides.get(job.name)
        return dataclasses.replace(job, **overrides) if overrides else job

    def send(self, job_id: int, job: Job, retries: int | None = None) -> None:
        """Hand a recorded job to huey (call only once its row is committed).

        ``retries``: how many more times huey may try it after this run (default: all the job's retries).
        """
        self.huey.enqueue(self._signature(job_id, job, retries))

    def send_all(self, jobs: list[tuple[int, Job]]) -> list[tuple[int, Job, Exception]]:
        """Hand the jobs one transaction committed to huey; returns those that could not be sent, with why.

        Each stays a task of its own. A SQLite queue takes them in one write
        (one disk sync, all or none) instead of one write each; other queues
        take them one by one.
        """
        from huey.storage import SqliteStorage

        storage = self.huey.storage
        if len(jobs) > 1 and isinstance(storage, SqliteStorage) and not self.huey.immediate:
            tasks = [self._signature(job_id, job) for job_id, job in jobs]
            rows = [(storage.name, storage.to_blob(self.huey.serialize_task(task)), task.priority or 0)
                    for task in tasks]
            try:
                with storage.db(commit=True) as cursor:  # what SqliteStorage.enqueue writes, for all at once
                    cursor.executemany("insert into task (queue, data, priority) values (?, ?, ?)", rows)
            except Exception as exc:
                return [(job_id, job, exc) for job_id, job in jobs]
            return []
        unsent = []
        for job_id, job in jobs:
            try:
                self.send(job_id, job)
            except Exception as exc:
                unsent.append((job_id, job, exc))
        return unsent

    def _signature(self, job_id: int, job: Job, retries: int | None = None):
        job = self.settings_for(job)
        return self._task.s(job_id, retries=job.retries if retries is None else retries, retry_delay=job.retry_delay)

    def _run(self, job_id: int, task=None):
        if self.executor is None:
            raise JobError(f"job {job_id} reached a process that runs no worker for this queue")
        return self.executor.execute(job_id, task)


_lock = threading.Lock()
_queues: dict[tuple, JobQueue] = {}


def queue_for_config(config: Config, name: str = DEFAULT_NAME) -> JobQueue:
    """The process's queue for this configuration (one huey instance per storage)."""
    jobs, mail = config.values["jobs"], config.values["mail"]
    where = jobs["redis_url"] if jobs["backend"] == "redis" else str(Path(jobs["sqlite_path"]).expanduser().resolve())
    key = (jobs["backend"], where, name, mail["retries"], mail["retry_delay"], mail["timeout"])
    with _lock:
        if key not in _queues:
            _queues[key] = JobQueue.from_config(config, name)
        return _queues[key]


def queue_for(session: Session) -> JobQueue:
    return session.info.get(QUEUE_INFO) or default_queue()


# --- the jobs of the installed addons ----------------------------------------------

_jobs_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_catalog = None


def jobs_of(registry: Registry) -> Mapping[str, Job]:
    """The jobs the core and the installed addons declare, by name."""
    try:
        return _jobs_cache[registry]
    except KeyError:
        pass
    jobs: dict[str, Job] = {}
    for impl in registry.hook.register_jobs.get_hookimpls():
        addon = impl.plugin_name
        for job in impl.function() or ():
            if not isinstance(job, Job):
                raise AddonError(f"addon {addon}: register_jobs() must return core.jobs.Job, got {job!r}")
            if not job.name.startswith(f"{addon}."):
                raise AddonError(f"addon {addon}: job {job.name!r} must start with '{addon}.'")
            if job.name in jobs:
                raise AddonError(f"job {job.name!r} is declared twice")
            jobs[job.name] = job
    _jobs_cache[registry] = jobs
    return jobs


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


def add_job(session: Session, system: Session, name: str, arguments: dict[str, Any]) -> JobRecord:
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
    send_on_commit(session, record.id, job)
    return record


def enqueue(session: Session, name: str, /, **arguments: Any) -> JobRecord:
    """Record job ``name`` (``<addon>.<name>``) with ``arguments`` and send it when ``session`` commits.

    The job's row is written in ``session``'s transaction; nothing reaches
    the queue if it rolls back. An unknown name (or a job of an addon that is
    not installed) is a :class:`JobError`; ``arguments`` must be JSON values.
    """
    with system_rows(session) as system:
        return add_job(session, system, name, arguments)


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


def send_on_commit(session: Session, job_id: int, job: Job) -> None:
    transaction = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_PENDING, []).append((queue_for(session), job_id, job, transaction))


@event.listens_for(Session, "after_commit")
def _send_pending(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint was released: the transaction goes on
        return
    pending = session.info.pop(_PENDING, None)
    by_queue: dict[int, tuple[JobQueue, list[tuple[int, Job]]]] = {}
    for queue, job_id, job, _transaction in pending or ():
        by_queue.setdefault(id(queue), (queue, []))[1].append((job_id, job))
    failed: list[tuple[int, str]] = []
    for queue, jobs in by_queue.values():
        for job_id, job, exc in queue.send_all(jobs):  # the rows are committed: make them visible as failed
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
