"""``bottega worker``: the huey consumer that runs the jobs of the installed addons.

Each job runs with its ``core_job`` row kept up to date: *running* with one
more attempt and a deadline (``timeout_at``: the start plus the job's
timeout) when it starts, *done* when it returns; when it raises, *queued*
again (huey tries it again after the retry delay) or, after the last
attempt, *failed* with the error and its traceback. Periodic jobs are
recorded as a new row each time they fire, then run like any other.

Stopping: SIGTERM makes the worker take no new job and wait up to its grace
period for the running ones; a job still running then is given back
(*queued* and sent to the queue again, to run anew on the next worker).
SIGINT, or a second SIGTERM, gives the running jobs back at once. A worker
killed outright (SIGKILL, a crash, a lost machine) leaves its jobs
*running*: every minute the periodic worker takes back those past their
deadline (:meth:`Worker.take_back_stalled`). A run records its outcome only
while it holds the job's latest attempt, so a run given up on that ends
late cannot overwrite what a newer run did.

When the installed addons change, the worker notices (a job it does not
know, or a check every minute) and loads their jobs and schedules.

Starting: a worker is ready to take jobs before it imports SQLAlchemy, the
models or Flask-Babel, which would take about four times as long as the rest
of its start (a worker restarted by a service manager, or one of several,
should be back at once). It reads the installed addons with the database's
driver alone (:mod:`core.lifecycle.installed_names`; other URLs through
SQLAlchemy), finds their jobs through the plugin manager (each job's
function is imported when it first runs) and starts its consumer. The
engine, the registry (models mapped, access rules and record rules
collected) and the sessions are made when first needed: by the first job,
the first periodic job, or the housekeeping run every minute. Every job
then runs in the same sessions as if they had been made at start, with the
same access checks, rules and audit; only their cost moves to the first job.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import traceback
from typing import TYPE_CHECKING

from huey import crontab
from huey.consumer import Consumer
from huey.signals import SIGNAL_INTERRUPTED

from core.catalog import Catalog
from core.config import Config
from core.errors import BottegaError
from core.lifecycle.installed_names import INSTALLED, known_in_order, recorded_addons
from core.plugin_manager import plugin_manager

from .declarations import Job, JobContext, JobError
from .queue import MAX_ERROR, QUEUE_INFO, RUN_TASK, JobQueue, jobs_of, queue_for_config

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import sessionmaker

    from core.registry import Registry

log = logging.getLogger("bottega.jobs")
MAX_DETAIL = 20000
REFRESH_TASK = "bottega_refresh_jobs"
STALLED_TASK = "bottega_take_back_stalled_jobs"
#: Seconds a stopping worker waits for its running jobs before giving them back to the queue.
DEFAULT_GRACE_PERIOD = 20
#: Fails unless the database has the job tables (read by the driver before the addons' rows).
JOB_TABLES_CHECK = "SELECT id FROM core_job WHERE 1 = 0"


def seconds_from(now: dt.datetime, seconds: int) -> dt.datetime:
    return now + dt.timedelta(seconds=seconds)


def describe_error(exc: BaseException) -> str:
    text = str(exc).strip()
    return (f"{type(exc).__name__}: {text}" if text else type(exc).__name__)[:MAX_ERROR]


class _ForegroundConsumer(Consumer):
    """huey's consumer with its signal handlers set before it starts its threads, not after.

    Between the two, SIGINT or SIGTERM would raise in the main thread
    (KeyboardInterrupt, SystemExit) while the scheduler and worker threads
    run: the process would end without stopping them or giving back a job
    they had taken. Set first, a signal that comes while the threads start
    is only noted, and the consumer's loop stops them as for any other.
    """

    def start(self):
        self._set_signal_handlers()
        super().start()


class _BackgroundConsumer(Consumer):
    """A consumer started from a thread that does not own the process's signals (tests, embedding)."""

    def _set_signal_handlers(self):
        pass


class Worker:
    """Runs the jobs of one installation's queue: the executor behind its huey task, and its consumer.

    ``engine``: the database's engine, if the caller has one; else it is
    opened from ``config`` when first needed (see the module's docstring).
    """

    def __init__(self, config: Config, catalog: Catalog, engine: Engine | None = None, queue: JobQueue | None = None):
        self.config = config
        self.catalog = catalog
        self._engine = engine
        self.queue = queue or queue_for_config(config)
        self._lock = threading.RLock()
        self._periodic: dict[str, object] = {}
        self._running: dict[int, int] = {}  # job id -> the attempt this process runs
        self.consumer: Consumer | None = None
        if self.queue.executor is not None:
            raise JobError(f"the queue {self.queue.describe()} already has a worker in this process")
        self._load()
        huey = self.queue.huey
        self._housekeeping = (huey.periodic_task(crontab(), name=REFRESH_TASK)(self.refresh),
                              huey.periodic_task(crontab(), name=STALLED_TASK)(self.take_back_stalled))
        huey.signal(SIGNAL_INTERRUPTED)(self._give_back)
        self.queue.executor = self

    # --- what is installed ----------------------------------------------------------

    def _recorded(self) -> tuple:
        """The addons' rows (name, version, state), checking that the database has the job tables.

        Read with the driver alone until the engine exists; through the engine
        otherwise, and whenever the driver cannot read the URL or fails, so
        that a database that is not ready gets the message every command gives.
        """
        if self._engine is None:
            try:
                rows = recorded_addons(self.config.database_url, JOB_TABLES_CHECK)
            except Exception:  # the engine's path below says what is wrong
                rows = None
            if rows is not None:
                return tuple(rows)
        from sqlalchemy import inspect, select

        from core.lifecycle.database import require_initialized
        from core.lifecycle.installed import ADDON_ROWS

        engine = self.engine
        require_initialized(engine)
        if not inspect(engine).has_table("core_job"):
            raise BottegaError("the database lacks the job tables: run `bottega addons upgrade` first")
        with engine.connect() as connection:
            return tuple(tuple(row) for row in connection.execute(
                select(ADDON_ROWS.c.name, ADDON_ROWS.c.version, ADDON_ROWS.c.state).order_by(ADDON_ROWS.c.name)))

    def _load(self) -> None:
        with self._lock:
            self.fingerprint = self._recorded()
            self.installed = known_in_order(self.catalog, [name for name, _version, state in self.fingerprint
                                                          if state == INSTALLED])
            self.jobs = jobs_of(plugin_manager(self.catalog, self.installed)[0])
            self._registry = None
            self._session_factory = None
            self._schedule_periodic()

    def refresh(self) -> bool:
        """Load the jobs again if the installed addons changed; returns whether they did."""
        with self._lock:
            if self._recorded() == self.fingerprint:
                return False
            log.info("installed addons changed: loading their jobs again")
            self._load()
            return True

    # --- made when first needed --------------------------------------------------------

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                from core.config import check_database_url
                from core.lifecycle.database import open_engine

                check_database_url(self.config)  # a configuration loaded for a worker left it to now
                self._engine = open_engine(self.config.database_url)
            return self._engine

    @property
    def registry(self) -> Registry:
        """The registry of the installed addons: their models mapped, access and record rules collected."""
        with self._lock:
            if self._registry is None:
                from core.registry import build_registry

                self._registry = build_registry(self.catalog, self.installed)
            return self._registry

    @property
    def session_factory(self) -> sessionmaker:
        with self._lock:
            if self._session_factory is None:
                from core.sessions import make_session_factory

                self._session_factory = make_session_factory(self.engine, info={QUEUE_INFO: self.queue})
            return self._session_factory

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
        """Job ``name`` as this installation runs it (``[mail]`` settings applied), or None if not installed."""
        job = self.jobs.get(name)
        if job is None and self.refresh():
            job = self.jobs.get(name)
        return self.queue.settings_for(job) if job is not None else None

    def session(self):
        from core.security import actor_session

        return actor_session(self.session_factory, self.registry, None)

    # --- running -----------------------------------------------------------------------

    def fire(self, name: str) -> int | None:
        """Record a run of periodic job ``name`` and send it; returns the new row's id."""
        from core.models.job import QUEUED, JobRecord

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
        """Run recorded job ``job_id`` (called by huey with its task; ``task.retries`` is what is left)."""
        from core.models.job import DONE, FAILED, QUEUED

        last_attempt = task is None or not task.retries
        claimed = self._claim(job_id)
        if claimed is None:
            return
        job, attempt, arguments = claimed
        context = JobContext(self.session_factory, self.registry, self.config, job_id=job_id, name=job.name,
                             attempt=attempt, last_attempt=last_attempt)
        self._running[job_id] = attempt
        try:
            job.run(context, **arguments)
        except Exception as exc:
            state = FAILED if last_attempt else QUEUED
            self._finish(job_id, attempt, state, describe_error(exc), traceback.format_exc()[-MAX_DETAIL:],
                         retry_by=None if last_attempt else job.retry_delay + job.timeout)
            if last_attempt:
                log.error("job %s (%s) failed after %s attempts: %s", job_id, job.name, attempt, describe_error(exc))
            raise
        finally:
            self._running.pop(job_id, None)
        self._finish(job_id, attempt, DONE, None, None)

    def _claim(self, job_id: int) -> tuple[Job, int, dict] | None:
        """Mark the job *running* with one more attempt and its deadline; None when it is not to run here.

        A job runs when it is *queued*, or *running* past its deadline (that run
        was lost); a job running elsewhere in time, done or failed is skipped.
        """
        from sqlalchemy import and_, or_, update

        from core.db import utcnow
        from core.models.job import FAILED, QUEUED, RUNNING, JobRecord

        now = utcnow()
        with self.session() as session:
            record = session.get(JobRecord, job_id)
            if record is None:
                log.warning("job %s is not recorded (its transaction rolled back?): skipped", job_id)
                return None
            job, arguments = self.job(record.name), dict(record.arguments or {})
            if job is None:
                session.execute(update(JobRecord).where(JobRecord.id == job_id, JobRecord.state == QUEUED).values(
                    state=FAILED, finished_at=now, timeout_at=None,
                    last_error=f"unknown job {record.name!r}: its addon is not installed"))
                session.commit()
                return None
            attempt = session.execute(
                update(JobRecord)
                .where(JobRecord.id == job_id, or_(JobRecord.state == QUEUED,
                                                   and_(JobRecord.state == RUNNING, JobRecord.timeout_at < now)))
                .values(state=RUNNING, attempts=JobRecord.attempts + 1, started_at=now, finished_at=None,
                        timeout_at=seconds_from(now, job.timeout))
                .returning(JobRecord.attempts)).scalar()
            if attempt is None:
                session.rollback()
                log.info("job %s (%s) is already %s: skipped", job_id, job.name, session.get(JobRecord, job_id).state)
                return None
            session.commit()
        return job, attempt, arguments

    def _finish(self, job_id: int, attempt: int, state: str, error: str | None, detail: str | None,
                retry_by: int | None = None) -> None:
        """Record how attempt ``attempt`` ended, unless a newer attempt took the job meanwhile.

        A job *queued* for a retry gets a deadline ``retry_by`` seconds on: if
        no worker has taken it by then (the retry was lost with its worker),
        :meth:`take_back_stalled` sends it again.
        """
        from sqlalchemy import update

        from core.db import utcnow
        from core.models.job import DONE, FAILED, JobRecord

        now = utcnow()
        values = {"state": state, "timeout_at": seconds_from(now, retry_by) if retry_by is not None else None}
        if error is not None or state == DONE:
            values.update(last_error=error, error_detail=detail)
        if state in (DONE, FAILED):
            values["finished_at"] = now
        with self.session() as session:
            session.execute(update(JobRecord).where(JobRecord.id == job_id, JobRecord.attempts == attempt)
                            .values(**values))
            session.commit()

    def _give_back(self, _signal, task, *_args) -> None:
        """A run the stopping worker could not wait for: queue the job again (huey's SIGNAL_INTERRUPTED)."""
        if task.name != RUN_TASK:
            return
        job_id = task.args[0]
        attempt = self._running.get(job_id)
        if attempt is None:
            return
        from sqlalchemy import update

        from core.db import utcnow
        from core.models.job import QUEUED, RUNNING, JobRecord

        now = utcnow()
        with self.session() as session:
            record = session.get(JobRecord, job_id)
            job = self.job(record.name) if record is not None else None
            if job is None:
                return
            given_back = session.execute(
                update(JobRecord).where(JobRecord.id == job_id, JobRecord.state == RUNNING,
                                        JobRecord.attempts == attempt)
                .values(state=QUEUED, timeout_at=seconds_from(now, job.timeout),
                        last_error=f"the worker stopped before attempt {attempt} finished: queued again")).rowcount
            session.commit()
        if given_back:
            self.queue.send(job_id, job, retries=task.retries)
            log.warning("job %s (%s) did not finish before the worker stopped: given back to the queue",
                        job_id, job.name)

    def take_back_stalled(self) -> int:
        """Queue again the jobs past their deadline; returns how many (run every minute by the periodic worker).

        A *running* one lost its run (its worker was killed, or it hangs): that
        counts as a failed attempt, so it is queued again, or *failed* if it was
        the last. A *queued* one was handed over (a retry, a job given back) but
        no worker took it in time: it is sent again.
        """
        from sqlalchemy import select, update

        from core.db import utcnow
        from core.models.job import FAILED, QUEUED, RUNNING, JobRecord

        now = utcnow()
        to_send: list[tuple[int, Job, int]] = []
        with self.session() as session:
            stalled = session.execute(select(JobRecord.id, JobRecord.name, JobRecord.state, JobRecord.attempts).where(
                JobRecord.state.in_((QUEUED, RUNNING)), JobRecord.timeout_at < now)).all()
            for job_id, name, state, attempts in stalled:
                job = self.job(name)
                fenced = update(JobRecord).where(JobRecord.id == job_id, JobRecord.state == state,
                                                 JobRecord.attempts == attempts)
                if job is None:
                    session.execute(fenced.values(state=FAILED, finished_at=now, timeout_at=None,
                                                  last_error=f"unknown job {name!r}: its addon is not installed"))
                    continue
                retries = job.retries - attempts if state == RUNNING else max(job.retries - attempts, 0)
                lost = f"attempt {attempts} did not finish within {job.timeout} s (its worker stopped?)"
                if retries < 0:
                    session.execute(fenced.values(state=FAILED, finished_at=now, timeout_at=None,
                                                  last_error=f"{lost}; it was the last attempt"))
                    continue
                values = {"state": QUEUED, "timeout_at": seconds_from(now, job.timeout)}
                if state == RUNNING:
                    values["last_error"] = f"{lost}: queued again"
                if session.execute(fenced.values(**values)).rowcount:
                    to_send.append((job_id, job, retries))
            session.commit()
        for job_id, job, retries in to_send:
            self.queue.send(job_id, job, retries=retries)
            log.warning("job %s (%s) was past its deadline: queued again", job_id, job.name)
        return len(stalled)

    # --- the consumer --------------------------------------------------------------------

    def create_consumer(self, workers: int = 2, periodic: bool = True, background: bool = False,
                        max_delay: float = 1.0, grace_period: float | None = DEFAULT_GRACE_PERIOD) -> Consumer:
        """A huey consumer with ``workers`` threads; ``max_delay`` caps the idle polling interval (seconds).

        SIGTERM stops it gracefully: running jobs get ``grace_period`` seconds
        (None: as long as they take) before they are given back to the queue.
        """
        consumer_class = _BackgroundConsumer if background else _ForegroundConsumer
        self.consumer = consumer_class(self.queue.huey, workers=workers, worker_type="thread", periodic=periodic,
                                       initial_delay=0.05, backoff=1.5, max_delay=max_delay,
                                       graceful_signal="TERM", shutdown_timeout=grace_period)
        return self.consumer

    def run(self, workers: int = 2, periodic: bool = True, grace_period: float = DEFAULT_GRACE_PERIOD) -> None:
        """Run the consumer in the foreground until SIGTERM or SIGINT (``bottega worker``)."""
        self.create_consumer(workers, periodic, grace_period=grace_period).run()

    def start(self, workers: int = 2, periodic: bool = True, max_delay: float = 0.2,
              grace_period: float | None = None) -> Worker:
        """Start the consumer's threads in the background; :meth:`stop` ends them."""
        self.create_consumer(workers, periodic, background=True, max_delay=max_delay,
                             grace_period=grace_period).start()
        return self

    def stop(self) -> None:
        """Stop the consumer (running jobs get its grace period, then are given back) and detach from the queue."""
        huey = self.queue.huey
        if self.consumer is not None:
            self.consumer.stop(graceful=True)
            huey.notify_interrupted_tasks()
            self.consumer = None
        with self._lock:
            for wrapper in (*self._periodic.values(), *self._housekeeping):
                wrapper.unregister()
            self._periodic = {}
            huey.disconnect_signal(self._give_back, SIGNAL_INTERRUPTED)
            if self.queue.executor is self:
                self.queue.executor = None
