"""Import pages for every generic view: upload a CSV or XLSX file, check the mapping and lines, import.

Mounted by :func:`core.web.views.mount` as ``/<addon>/<slug>/import`` when
the view is importable. The view's :meth:`~core.web.views.ModelView.import_spec`
says what a file may fill; :mod:`core.imports` reads, checks and imports it
all or nothing.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from core.imports import ERROR, EXISTS, NEW, ImportFileError, UploadStore, read_file, run_import
from core.imports.engine import resolve_mapping

from .context import current_actor, db, require

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
    commit = request.method == "POST" and request.form.get("action") == "import"
    report = run_import(session, spec, table, overrides, dry_run=not commit)
    if report.committed:
        session.commit()
        uploads.discard(actor.user_id, token)
        message = gettext("%(records)s imported: %(num)s.", records=view.label_plural, num=report.created)
        if report.existing:
            message += " " + gettext("Lines already there, skipped: %(num)s.", num=report.existing)
        flash(message, "success")
        return redirect(url_for(view.endpoint("list")))
    session.rollback()
    mapping, _issues = resolve_mapping(spec, table.headers, overrides)
    status = 422 if commit or (request.method == "POST" and not report.ok) else 200
    lines = report.lines[:PREVIEW_LINES]
    return render_template("core/import_preview.html", report=report, table=table, mapping=mapping,
                           lines=lines, rows=table.rows.head(max(len(lines), 1)),
                           issues=report.issues[:ISSUES_SHOWN],
                           statuses={NEW: gettext("New"), EXISTS: gettext("Already there"), ERROR: gettext("Error")},
                           **page), status
