"""Import pages for every generic view: upload a CSV or XLSX file, check the mapping and lines, import.

Mounted by :func:`core.web.views.mount` as ``/<addon>/<slug>/import`` when
the view is importable. The view's :meth:`~core.web.views.ModelView.import_spec`
says what a file may fill; :mod:`core.imports` reads and checks it.

Importing is a task on the job queue (:mod:`core.tasks`): the request that
confirms a preview only queues it, once the same columns and encoding were
checked without error, and shows its progress page. The job
(:func:`run_import_task`) imports chunk by chunk, each committed, so that
cancelling keeps what was imported and the result page says which lines
those are; importing the file again skips them and imports the rest.
"""
from __future__ import annotations

import json

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from core.imports import ERROR, EXISTS, NEW, ImportFileError, UploadStore, read_file, run_import
from core.imports.engine import import_in_batches, line_ranges, resolve_mapping
from core.models.task import CANCELLED, DONE
from core.tasks import TaskCancelled, TaskFiles, start_task

from .context import current_actor, db, require, state

PREVIEW_LINES = 100
ISSUES_SHOWN = 200
ENCODINGS = (("", _l("Detect")), ("utf-8", "UTF-8"), ("cp1252", "Windows-1252"), ("latin-1", "Latin-1"))
uploads = UploadStore()


def upload(view):
    require(view.model, "create")
    page = {"view": view, "spec": view.import_spec(db(), current_actor())}
    if request.method == "POST":
        sent = request.files.get("file")
        if sent is None or not sent.filename:
            flash(gettext("Choose a CSV or XLSX file to import."), "error")
            return render_template("core/import_upload.html", **page), 422
        data = sent.read()
        try:
            read_file(data, sent.filename)
        except ImportFileError as error:
            flash(str(error), "error")
            return render_template("core/import_upload.html", **page), 422
        token = uploads.save(current_actor().user_id, sent.filename, data)
        return redirect(url_for(view.endpoint("import_preview"), token=token))
    return render_template("core/import_upload.html", **page)


def preview(view, token: str):
    require(view.model, "create")
    actor, session = current_actor(), db()
    try:
        filename, data = uploads.load(actor.user_id, token)
    except ImportFileError as error:
        flash(str(error), "error")
        return redirect(url_for(view.endpoint("import_upload")))
    encoding = request.form.get("encoding") or None
    if encoding not in {code for code, _label in ENCODINGS if code}:
        encoding = None
    spec = view.import_spec(session, actor)
    page = {"view": view, "token": token, "filename": filename, "spec": spec, "encodings": ENCODINGS,
            "encoding": encoding or ""}
    try:
        table = read_file(data, filename, encoding)
    except ImportFileError as error:
        flash(str(error), "error")
        return render_template("core/import_preview.html", report=None, table=None, **page), 422
    overrides = None
    if request.method == "POST":
        overrides = {str(index + 1): request.form.get(f"column-{index + 1}", "")
                     for index in range(len(table.headers))}
    mapping, _issues = resolve_mapping(spec, table.headers, overrides)
    settings = json.dumps({"mapping": mapping, "encoding": encoding}, sort_keys=True)
    commit = request.method == "POST" and request.form.get("action") == "import"
    if commit and uploads.checked_with(actor.user_id, token) == settings:
        return _queue_import(view, token, filename, data, table, overrides, encoding)
    report = run_import(session, spec, table, overrides, dry_run=True)
    session.rollback()
    if report.ok:
        uploads.note_checked(actor.user_id, token, settings)
        if commit:
            flash(gettext("The columns changed since the last check: look at the lines again, then import."),
                  "warning")
    status = 422 if request.method == "POST" and not report.ok else 200
    lines = report.lines[:PREVIEW_LINES]
    return render_template("core/import_preview.html", report=report, table=table, mapping=mapping,
                           lines=lines, rows=table.rows.head(max(len(lines), 1)),
                           issues=report.issues[:ISSUES_SHOWN],
                           statuses={NEW: gettext("New"), EXISTS: gettext("Already there"), ERROR: gettext("Error")},
                           **page), status


def _queue_import(view, token: str, filename: str, data: bytes, table, overrides, encoding):
    """Queue the checked file's import as the user's task and show its progress page."""
    actor, session = current_actor(), db()
    files = TaskFiles.of(state().config)
    name = files.new_name("import", "data")
    files.write(name, data)
    task_id = start_task(session, actor, kind="import", view=view.endpoint("list"), total=len(table.rows),
                         title=gettext("Import of %(file)s into %(records)s", file=filename,
                                       records=view.label_plural),
                         arguments={"filename": filename, "encoding": encoding, "mapping": overrides},
                         file_name=name)
    session.commit()
    uploads.discard(actor.user_id, token)
    return redirect(url_for("tasks.page", task_id=task_id))


def run_import_task(view, task, progress) -> tuple[str, dict]:
    """The import of ``task``, run by the worker as its user (:mod:`core.web.task_runner`)."""
    session, actor = db(), current_actor()
    arguments = task.arguments
    data = TaskFiles.of(state().config).path(task.file_name).read_bytes()
    table = read_file(data, arguments["filename"], arguments.get("encoding"))
    progress.start(len(table.rows))
    cancelled = []

    def after_batch(report, _lines) -> bool:
        try:
            progress.advance(report.checked)
        except TaskCancelled:
            cancelled.append(True)
            return False
        return True

    report = import_in_batches(session, view.import_spec(session, actor), table, arguments.get("mapping"),
                               after_batch=after_batch)
    issues = [{"line": issue.line, "column": issue.column, "message": str(issue.message), "level": issue.level}
              for issue in report.issues[:ISSUES_SHOWN]]
    return (CANCELLED if cancelled else DONE), {
        "created": report.created, "existing": report.existing, "checked": report.checked, "total": report.total,
        "error_count": report.error_count, "warning_count": report.warning_count, "issues": issues,
        "imported": line_ranges(report.imported), "stopped": report.stopped and not cancelled,
        "list_url": url_for(view.endpoint("list")), "again_url": url_for(view.endpoint("import_upload"))}
