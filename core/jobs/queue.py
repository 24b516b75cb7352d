"""The queue: huey storage, and the jobs of the installed addons.

huey carries one task, ``bottega_run_job(job_id)``, with the job's retries and
retry delay; the worker looks the job up by name among the jobs of the
installed addons. Jobs are written and sent by :mod:`core.jobs.sending`.

This module imports neither SQLAlchemy nor the models, so that a worker is
ready before it needs them (:mod:`core.jobs.worker`); huey itself is imported
through :func:`import_huey`.
"""
from __future__ import annotations

import dataclasses
import importlib
import sys
import threading
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from core.config import Config
from core.errors import AddonError
from core.timeouts import SQLITE_BUSY_TIMEOUT

from .declarations import Job, JobError

if TYPE_CHECKING:
    from huey import Huey
    from pluggy import PluginManager

    from core.registry import Registry

QUEUE_INFO = "bottega.job_queue"
DEFAULT_NAME = "bottega"
RUN_TASK = "bottega_run_job"
MAX_ERROR = 2000
#: Clients huey's storage module imports if they are installed, for storages a SQLite queue does not use.
UNUSED_BY_SQLITE_QUEUES = ("redis", "psycopg")


def import_huey(config: Config) -> None:
    """Import huey; for a SQLite queue, without the Redis and PostgreSQL clients.

    huey's storage module imports both clients at its own import when they
    are installed (about 0.25 s of CPU, more than all the rest of a worker's
    start), for its Redis and PostgreSQL storages. A SQLite queue uses
    neither, so while huey is imported they are hidden (an entry ``None`` in
    ``sys.modules`` makes ``import`` fail, which huey takes as "not
    installed"), then visible again to whatever imports them next (the
    database's driver). Nothing happens once huey is imported.
    """
    if "huey" in sys.modules:
        return
    hidden = [] if config.values["jobs"]["backend"] == "redis" else [
        name for name in UNUSED_BY_SQLITE_QUEUES if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None
    try:
        importlib.import_module("huey")
    finally:
        for name in hidden:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]


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
        from core.mail.job import SEND_MAIL, job_settings

        return cls(make_huey(config, name), {SEND_MAIL: job_settings(config)})

    def describe(self) -> str:
        storage = self.huey.storage
        where = getattr(storage, "filename", None) or getattr(storage, "queue_key", "")
        return f"{type(self.huey).__name__} {self.huey.name} ({where})"

    def settings_for(self, job: Job) -> Job:
        """``job`` as this installation runs it: its declaration with the overrides applied."""
        overrides = self.overrides.get(job.name)
        return dataclasses.replace(job, **overrides) if overrides else job

    def send(self, job_id: int, job: Job, retries: int | None = None, delay: float | None = None) -> None:
        """Hand a recorded job to huey (call only once its row is committed).

        ``retries``: how many more times huey may try it after this run (default: all the job's retries);
        ``delay``: seconds to wait before it runs (huey keeps it in its schedule until then).
        """
        self.huey.enqueue(self._signature(job_id, job, retries, delay))

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

    def _signature(self, job_id: int, job: Job, retries: int | None = None, delay: float | None = None):
        job = self.settings_for(job)
        later = {"delay": delay} if delay else {}
        return self._task.s(job_id, retries=job.retries if retries is None else retries, retry_delay=job.retry_delay,
                            **later)

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


# --- the jobs of the installed addons ----------------------------------------------

_jobs_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def jobs_of(plugins: Registry | PluginManager) -> Mapping[str, Job]:
    """The jobs the core and the installed addons declare, by name (from a registry or its plugin manager)."""
    try:
        return _jobs_cache[plugins]
    except KeyError:
        pass
    jobs: dict[str, Job] = {}
    for impl in plugins.hook.register_jobs.get_hookimpls():
        addon = impl.plugin_name
        for job in impl.function() or ():
            if not isinstance(job, Job):
                raise AddonError(f"addon {addon}: register_jobs() must return core.jobs.Job, got {job!r}")
            if not job.name.startswith(f"{addon}."):
                raise AddonError(f"addon {addon}: job {job.name!r} must start with '{addon}.'")
            if job.name in jobs:
                raise AddonError(f"job {job.name!r} is declared twice")
            jobs[job.name] = job
    _jobs_cache[plugins] = jobs
    return jobs


