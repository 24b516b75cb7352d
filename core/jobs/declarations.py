"""What an addon declares (:class:`Job`) and what a running job receives (:class:`JobContext`)."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.errors import BottegaError
from core.lazy import load

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from core.config import Config
    from core.registry import Registry

NAME_RE = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*")
REFERENCE_RE = re.compile(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*")
DEFAULT_TIMEOUT = 600


class JobError(BottegaError):
    """A job cannot be declared, enqueued or retried as asked (unknown name, bad arguments, wrong state)."""


@dataclass(frozen=True)
class Job:
    """A background job an addon runs on the queue, declared by ``register_jobs()``.

    ``function(context, **arguments)`` runs in ``bottega worker`` with a
    :class:`JobContext`; given as a ``"module:attribute"`` reference, it is
    imported when the job first runs, so that a worker starts without the
    addon's models and services (:mod:`core.jobs.worker`). When it raises, it is tried again ``retries`` times,
    ``retry_delay`` seconds apart; after the last attempt the job is *failed*
    and shown under *Settings → Jobs*. ``schedule`` (a ``huey.crontab(...)``,
    evaluated in UTC) makes the worker run it periodically, without arguments.

    ``timeout`` (seconds) is how long one run may take. A run still going
    after it is taken to be lost (its worker was killed, or it hangs): the
    worker's periodic check queues the job again, counting the lost run as a
    failed attempt. A job may therefore run again after a partial run, as
    after a retry: it must be safe to repeat (check what is already done).
    """

    name: str
    function: Callable[..., Any] | str
    retries: int = 3
    retry_delay: int = 60
    schedule: Callable[[dt.datetime], bool] | None = None
    timeout: int = DEFAULT_TIMEOUT

    def __post_init__(self):
        if not isinstance(self.name, str) or not NAME_RE.fullmatch(self.name):
            raise JobError(f"job name {self.name!r} must be '<addon>.<name>' in lower case")
        if isinstance(self.function, str):
            if not REFERENCE_RE.fullmatch(self.function):
                raise JobError(f"job {self.name}: function {self.function!r} is not a 'module:attribute' reference")
        elif not callable(self.function):
            raise JobError(f"job {self.name}: function {self.function!r} is not callable")
        for field in ("retries", "retry_delay"):
            value = getattr(self, field)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise JobError(f"job {self.name}: {field} must be a whole number of at least 0, got {value!r}")
        if not isinstance(self.timeout, int) or isinstance(self.timeout, bool) or self.timeout < 1:
            raise JobError(f"job {self.name}: timeout must be a whole number of seconds, at least 1, "
                           f"got {self.timeout!r}")
        if self.schedule is not None and not callable(self.schedule):
            raise JobError(f"job {self.name}: schedule must be a huey.crontab(...), got {self.schedule!r}")

    def run(self, context: JobContext, **arguments: Any) -> Any:
        """Call the job's function (importing it first when it is a reference)."""
        function = load(self.function) if isinstance(self.function, str) else self.function
        return function(context, **arguments)


@dataclass(frozen=True)
class JobContext:
    """What a running job gets: system sessions, the registry of installed addons, the configuration.

    ``session()`` opens a system session (no user, not restricted) whose jobs
    and mails go to the same queue. ``attempt`` counts from 1;
    ``last_attempt`` is true when a failure now makes the job *failed*.
    """

    session_factory: sessionmaker
    registry: Registry
    config: Config
    job_id: int | None = None
    name: str = ""
    attempt: int = 1
    last_attempt: bool = True

    def session(self) -> Session:
        from core.security import actor_session

        return actor_session(self.session_factory, self.registry, None)
