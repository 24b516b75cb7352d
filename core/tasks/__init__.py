"""A user's long work (an import, a large export) run on the job queue, with progress, cancel and a result.

The web starts a task (:func:`start_task`): a :class:`~core.models.UserTask`
row and the job ``core.run_task`` that runs it, both sent when the request's
transaction commits, with its file (the uploaded import, then the written
export) in the tasks' folder (``[jobs] files_path``, shared by the web processes and the
workers), never in the database. The job runs the work as
the user who started it (:mod:`core.web.task_runner`), writing its progress
after each batch and stopping at a batch's end once the user asked to cancel
(:class:`TaskProgress`). Each user sees only their own tasks (a record rule).

Each name is imported on first use (:mod:`core.lazy`).
"""
from core.lazy import lazy_exports

_EXPORTS = {
    **dict.fromkeys(("TaskCancelled", "TaskProgress", "cancel_task", "run_task", "start_task"), ".service"),
    **dict.fromkeys(("TaskFiles",), ".files"),
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
