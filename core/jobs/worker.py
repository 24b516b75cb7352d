"""``bottega worker``: the huey consumer that runs the jobs of the installed addons.

Each job runs with its ``core_job`` row kept up to date: *running* with one
more attempt when it starts, *done* when it returns; when it raises, *queued*
again (huey tries it again after the retry delay) or, after the last
attempt, *failed* with the error and its traceback. Periodic jobs are
recorded as a new row each time they fire, then run like any other.

When the installed addons change, the worker notices (a job it does not
know, or a check every minute) and loads their jobs and schedules.
"""
from __future__ import annotations

import logging
import threading
import traceback

from huey import crontab
from huey.consumer import Consumer
from sqlalchemy import Engine, select, update

from core.catalog import Catalog
from core.config import Config
from core.db import utcnow
from core.lifecycle import Lifecycle
from core.models import AddonState
from core.models.job import DONE, FAILED, QUEUED, RUNNING, JobRecord
from core.security import actor_session
from core.sessions import make_session_factory

from .declarations import Job, JobContext, JobError
from .queue import MAX_ERROR, QUEUE_INFO, JobQueue, jobs_of, queue_for_config

log = logging.getLogger("bottega.jobs")
MAX_DETAIL = 20000
REFRESH_TASK = "bottega_refresh_jobs"


def describe_error(exc: BaseException) -> str:
    text = str(exc).strip()
    return (f"{type(exc).__name__}: {text}" if text else type(exc).__name__)[:MAX_ERROR]


class _BackgroundConsumer(Consumer):
    """A consumer started from a thread that does not own the process's signals (tests, embedding)."""

    def _set_signal_handlers(self):
        pass


class Worker:
    """Runs the jobs of one installation's queue: the executor behind its huey task, and its consumer."""

    def __init__(self, config: Config, catalog: Catalog, engine: Engine, queue: JobQueue | None = None):
        self.config = config
        self.catalog = catalog
        self.engine = engine
        self.queue = queue or queue_for_config(config)
        self._lock = threading.RLock()
        self._periodic: dict[str, object] = {}
        self.consumer: Consumer | None = None
        if self.queue.executor is not None:
            raise JobError(f"the queue {self.queue.describe()} already has a worker in this process")
        self._load()
        self._refresh_task = self.queue.huey.periodic_task(crontab(), name=REFRESH_TASK)(self.refresh)
        self.queue.executor = self

    # --- what is installed ----------------------------------------------------------

    def _fingerprint(self) -> tuple:
        with self.engine.connect() as connection:
            return tuple(connection.execute(
                select(AddonState.name, AddonState.version, AddonState.state).order_by(AddonState.name)).all())

    def _load(self) -> None:
        with self._lock:
            self.fingerprint = self._fingerprint()
            self.registry = Lifecycle(self.engine, self.catalog).registry()
            self.jobs = jobs_of(self.registry)
            self.session_factory = make_session_factory(self.engine, info={QUEUE_INFO: self.queue})
            self._schedule_periodic()

    def refresh(self) -> bool:
        """Load the jobs again if the installed addons changed; returns whether they did."""
        with self._lock:
            if self._fingerprint() == self.fingerprint:
                return False
            log.info("installed addons changed: loading their jobs again")
            self._load()
            return True

    def _schedule_periodic(self) -> None:
        for wrapper in self._periodic.values():
            wrapper.unregister()
        self._periodic = {}
        for job in self.jobs.values():
            if job.schedule is not None:
                self._periodic[job.name] = self.queue.huey.periodic_task(
                    job.schedule, name=f"bottega_periodic:{job.name}")(self._periodic_runner(job.name))

    def _periodic_runner(self, name: str):
        def fire():
            self.fire(name)

        fire.__name__ = f"periodic_{name}"
        return fire

    def job(self, name: str) -> Job | None:
        job = self.jobs.get(name)
        if job is None and self.refresh():
            job = self.jobs.get(name)
        return job

    def session(self):
        return actor_session(self.session_factory, self.registry, None)

    # --- running -----------------------------------------------------------------------

    def fire(self, name: str) -> int | None:
        """Record a run of periodic job ``name`` and send it; returns the new row's id."""
        job = self.jobs.get(name)
        if job is None:
            return None
        with self.session() as session:
            record = JobRecord(name=name, arguments={}, state=QUEUED, attempts=0)
            session.add(record)
            session.commit()
        self.queue.send(record.id, job)
        return record.id

    def execute(self, job_id: int, task=None) -> None:
        """Run recorded job ``job_id`` (called by huey with its task; ``task.retries`` is what is left).

        Each write comes first in its own short transaction, so concurrent
        workers on SQLite wait for their turn instead of failing on a stale read.
        """
        last_attempt = task is None or not task.retries
        with self.session() as session:
            started = session.execute(
                update(JobRecord).where(JobRecord.id == job_id, JobRecord.state.in_((QUEUED, RUNNING)))
                .values(state=RUNNING, attempts=JobRecord.attempts + 1, started_at=utcnow(), finished_at=None))
            record = session.get(JobRecord, job_id)
            if not started.rowcount:
                session.rollback()
                if record is None:
                    log.warning("job %s is not recorded (its transaction rolled back?): skipped", job_id)
                else:
                    log.info("job %s (%s) is already %s: skipped", job_id, record.name, record.state)
                return
            job = self.job(record.name)
            if job is None:
                record.state, record.finished_at = FAILED, utcnow()
                record.last_error = f"unknown job {record.name!r}: its addon is not installed"
                session.commit()
                return
            session.commit()
            attempt, arguments, name = record.attempts, dict(record.arguments or {}), record.name
        context = JobContext(self.session_factory, self.registry, self.config, job_id=job_id, name=name,
                             attempt=attempt, last_attempt=last_attempt)
        try:
            job.function(context, **arguments)
        except Exception as exc:
            state = FAILED if last_attempt else QUEUED
            self._finish(job_id, state, describe_error(exc), traceback.format_exc()[-MAX_DETAIL:])
            if last_attempt:
                log.error("job %s (%s) failed after %s attempts: %s", job_id, name, attempt, describe_error(exc))
            raise
        self._finish(job_id, DONE, None, None)

    def _finish(self, job_id: int, state: str, error: str | None, detail: str | None) -> None:
        values = {"state": state}
        if error is not None or state == DONE:
            values.update(last_error=error, error_detail=detail)
        if state in (DONE, FAILED):
            values["finished_at"] = utcnow()
        with self.session() as session:
            session.execute(update(JobRecord).where(JobRecord.id == job_id).values(**values))
            session.commit()

    # --- the consumer --------------------------------------------------------------------

    def create_consumer(self, workers: int = 2, periodic: bool = True, background: bool = False,
                        max_delay: float = 1.0) -> Consumer:
        """A huey consumer with ``workers`` threads; ``max_delay`` caps the idle polling interval (seconds)."""
        consumer_class = _BackgroundConsumer if background else Consumer
        self.consumer = consumer_class(self.queue.huey, workers=workers, worker_type="thread", periodic=periodic,
                                       initial_delay=0.05, backoff=1.5, max_delay=max_delay)
        return self.consumer

    def run(self, workers: int = 2, periodic: bool = True) -> None:
        """Run the consumer in the foreground until SIGINT/SIGTERM (``bottega worker``)."""
        self.create_consumer(workers, periodic).run()

    def start(self, workers: int = 2, periodic: bool = True, max_delay: float = 0.2) -> Worker:
        """Start the consumer's threads in the background; :meth:`stop` ends them."""
        self.create_consumer(workers, periodic, background=True, max_delay=max_delay).start()
        return self

    def stop(self) -> None:
        """Stop the consumer (letting running jobs finish) and detach from the queue."""
        if self.consumer is not None:
            self.consumer.stop(graceful=True)
            self.consumer = None
        with self._lock:
            for wrapper in (*self._periodic.values(), self._refresh_task):
                wrapper.unregister()
            self._periodic = {}
            if self.queue.executor is self:
                self.queue.executor = None
