"""Background and scheduled jobs on huey: SQLite-backed by default, Redis-backed when configured.

An addon declares its jobs with the ``register_jobs()`` hook::

    @hookimpl
    def register_jobs():
        return (Job("crm.new_lead", run_rules, retries=3, retry_delay=60),
                Job("crm.inactivity", remind, schedule=crontab(minute="0", hour="6")))

and a service enqueues one inside its transaction::

    enqueue(session, "crm.new_lead", lead_id=lead.id)

The job is recorded in ``core_job`` at once and sent to the queue when the
session's transaction commits (never on rollback). ``bottega worker`` runs
it as ``function(context, **arguments)`` with a :class:`JobContext`; failures
are retried, then shown to administrators under *Settings → Jobs*, where
they can be retried. Only the installed addons' jobs exist.

``[jobs] backend`` picks the storage: ``"sqlite"`` (a file at ``[jobs]
sqlite_path``) or ``"redis"`` (``[jobs] redis_url``).
"""
from core.models.job import DONE, FAILED, JOB_STATES, QUEUED, RUNNING, JobRecord

from .declarations import Job, JobContext, JobError
from .queue import (
    JobQueue,
    configure,
    default_queue,
    enqueue,
    jobs_of,
    make_huey,
    queue_for,
    queue_for_config,
    retry_job,
    use_queue,
)
from .worker import Worker

__all__ = [
    "DONE",
    "FAILED",
    "JOB_STATES",
    "QUEUED",
    "RUNNING",
    "Job",
    "JobContext",
    "JobError",
    "JobQueue",
    "JobRecord",
    "Worker",
    "configure",
    "default_queue",
    "enqueue",
    "jobs_of",
    "make_huey",
    "queue_for",
    "queue_for_config",
    "retry_job",
    "use_queue",
]
