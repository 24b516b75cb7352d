"""The pages of a user's task (:mod:`core.tasks`): its progress, its result, cancel, and an export's download.

Only the user who started a task finds it: the session acting as them reads
tasks through the "own tasks" record rule, so another user's task is a 404.
The progress page updates itself by polling :func:`status` (``progress.js``);
without JavaScript it refreshes itself until the task has finished.
"""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, redirect, render_template, send_file, url_for
from flask_babel import format_number, gettext

from core.models.task import CANCELLED, DONE, FAILED, QUEUED, RUNNING, UserTask
from core.db import utcnow
from core.tasks import TaskFiles, cancel_task

from .actions import run_service
from .context import record_or_404, state

blueprint = Blueprint("tasks", __name__, url_prefix="/tasks")


def state_labels() -> dict[str, str]:
    return {QUEUED: gettext("Waiting to start"), RUNNING: gettext("Running"), DONE: gettext("Finished"),
            FAILED: gettext("Failed"), CANCELLED: gettext("Cancelled")}


def _status(task: UserTask) -> dict:
    return {"state": task.state, "label": state_labels()[task.state], "done": task.done, "total": task.total,
            "percent": task.percent, "finished": task.finished, "cancel_requested": task.cancel_requested,
            "text": gettext("%(done)s of %(total)s rows", done=format_number(task.done), total=format_number(task.total))}


@blueprint.get("/<int:task_id>")
def page(task_id: int):
    task = record_or_404(UserTask, task_id)
    return render_template("core/task.html", task=task, status=_status(task), result=task.result or {},
                           downloadable=task.downloadable(utcnow()))


@blueprint.get("/<int:task_id>/status")
def status(task_id: int):
    return jsonify(_status(record_or_404(UserTask, task_id)))


@blueprint.post("/<int:task_id>/cancel")
def cancel(task_id: int):
    record_or_404(UserTask, task_id)
    run_service(lambda session: cancel_task(session, task_id),
                success=gettext("Cancelling: the work stops at the end of the current batch."))
    return redirect(url_for("tasks.page", task_id=task_id))


@blueprint.get("/<int:task_id>/download")
def download(task_id: int):
    task = record_or_404(UserTask, task_id)
    if not task.downloadable(utcnow()):
        abort(404)
    path = TaskFiles.of(state().config).path(task.file_name)
    if not path.exists():
        abort(404)
    return send_file(path, as_attachment=True, download_name=task.result.get("download_name") or path.name)
