"""Background and scheduled jobs on huey: SQLite-backed by default, Redis-backed when configured.

An addon declares its jobs with the ``register_jobs()`` hook::

    @hookimpl
    def register_jobs():
        return (Job("crm.new_lead", "addons.crm.jobs:new_lead", retries=3, retry_delay=60),
                Job("crm.inactivity", "addons.crm.jobs:inactivity", schedule=crontab(minute="0", hour="6")))

(each function named by a ``"module:attribute"`` reference, imported when
the job first runs, so that a worker starts without the addon's models)
and a service enqueues one inside its transaction::

    enqueue(session, "crm.new_lead", lead_id=lead.id)

The job is recorded in ``core_job`` at once and sent to the queue when the
session's transaction commits (never on rollback). ``bottega worker`` runs
it as ``function(context, **arguments)`` with a :class:`JobContext`; failures
are retried, then shown to administrators under *Settings → Jobs*, where
they can be retried. Only the installed addons' jobs exist.

``[jobs] backend`` picks the storage: ``"sqlite"`` (a file at ``[jobs]
sqlite_path``) or ``"redis"`` (``[jobs] redis_url``).

Each name is imported on first use (:mod:`core.lazy`).
"""
from core.lazy import lazy_exports

_EXPORTS = {
    **dict.fromkeys(("DONE", "FAILED", "JOB_STATES", "QUEUED", "RUNNING", "JobRecord"), "core.models.job"),
    **dict.fromkeys(("Job", "JobContext", "JobError"), ".declarations"),
    **dict.fromkeys(("JobQueue", "import_huey", "jobs_of", "make_huey", "queue_for_config"), ".queue"),
    **dict.fromkeys(("enqueue", "enqueue_later", "queue_for", "retry_job"), ".sending"),
    **dict.fromkeys(("configure", "default_queue", "use_queue"), ".target"),
    "Worker": ".worker",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
