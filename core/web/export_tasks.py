"""Large list exports as the user's task: more than :data:`QUEUED_ROWS` rows are written by the worker.

A small export is sent at once, as the list's Export link always did. A
larger one would hold a request (and a web worker) while every row is read
and formatted: it is queued instead (:mod:`core.tasks`), with the list's
filters, search and sort as they were asked for; the worker writes the same
CSV or XLSX file to the tasks' folder as the user (their rules, their
language), reporting its progress every :data:`~core.web.exports.EXPORT_BATCH`
rows and stopping there when cancelled. The result page offers the file to
that user alone until it expires (:data:`LIFETIME`).
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from flask import redirect, request, url_for
from flask_babel import gettext

from core.db import utcnow
from core.models.task import CANCELLED, DONE
from core.tasks import TaskCancelled, TaskFiles, start_task

from .context import current_actor, db, state
from .exports import EXPORT_BATCH, write_export

if TYPE_CHECKING:
    from .views import ModelView

#: an export of more rows than this runs as a task
QUEUED_ROWS = 5000
#: how long a finished export may be downloaded
LIFETIME = dt.timedelta(hours=24)


def export_table(view: ModelView, session, statement):
    """The export's header and its lines (text cells), read ``EXPORT_BATCH`` rows at a time."""
    columns = view.export_columns

    def lines():
        for row in session.scalars(statement.execution_options(yield_per=EXPORT_BATCH)):
            yield [view.display(row, f) for f in columns]

    return [str(view.label_of(f)) for f in columns], lines()


def queue_export(view: ModelView, fmt: str, total: int):
    """Queue the export the request asks for and show its progress page."""
    session = db()
    task_id = start_task(session, current_actor(), kind="export", view=view.endpoint("list"), total=total,
                         title=gettext("Export of %(records)s", records=view.label_plural),
                         arguments={"format": fmt, "query": request.query_string.decode("latin-1")})
    session.commit()
    return redirect(url_for("tasks.page", task_id=task_id))


def run_export_task(view: ModelView, task, progress) -> tuple[str, dict]:
    """The export of ``task``, run by the worker as its user inside a request carrying the list's query."""
    from .views import ListParams

    session, actor = db(), current_actor()
    params = ListParams.from_request(view)
    total = session.scalar(view.count_rows(params, actor, 10 ** 12))
    progress.start(total)
    header, lines = export_table(view, session, view.select_rows(params, actor))
    files = TaskFiles.of(state().config)
    fmt = task.arguments["format"]
    name = files.new_name("export", fmt)
    path = files.write(name, b"")
    written = 0

    def counted():
        nonlocal written
        for line in lines:
            yield line
            written += 1
            if written % EXPORT_BATCH == 0:
                progress.advance(written)

    try:
        write_export(fmt, path, str(view.label_plural), header, counted())
    except TaskCancelled:
        files.delete(name)
        return CANCELLED, {"rows": written, "list_url": url_for(view.endpoint("list"))}
    except BaseException:
        files.delete(name)
        raise
    progress.advance(written)
    return DONE, {"rows": written, "file_name": name, "download_name": f"{view.slug}.{fmt}",
                  "expires_at": (utcnow() + LIFETIME).isoformat(), "list_url": url_for(view.endpoint("list"))}
