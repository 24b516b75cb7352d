"""A report's page and its download, for any addon's reports page (:mod:`core.reports`)."""
from __future__ import annotations

from collections.abc import Callable

from flask import Response, render_template, request

from core.errors import ValidationError
from core.reports import Report, display


def render_report(template: str, asked: Callable[[], dict], compute: Callable[[dict], Report],
                  more: Callable[[Report | None, dict], dict] | None = None, **context):
    """Render ``template`` with what was ``asked()`` (read from the request) and, once the user chose a report
    (``report`` in the query), its ``compute(asked)``; a refusal of either is shown as the page's ``error``
    (status 422). The template also gets ``cell`` (:func:`core.reports.display`), the query as ``args``, and
    ``more(report, asked)``."""
    error, report, values = None, None, {}
    try:
        values = asked()
        report = compute(values) if "report" in request.args else None
    except ValidationError as refused:
        error = str(refused)
    extra = more(report, values) if more is not None else {}
    return render_template(template, report=report, asked=values, error=error, cell=display,
                           args=request.args.to_dict(), **context, **extra), (422 if error else 200)


def download(data: bytes, mimetype: str, filename: str) -> Response:
    """A file to save: ``data`` as ``filename``."""
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
