"""Friendly error pages (HTML, or JSON for API and kanban calls); never a stack trace.

A refused input (:class:`core.errors.ValidationError`) is a 400 whose JSON
names the field. Some bad requests are refused before the page runs
(:func:`core.web.inputs.init_app`): a JSON body sent to a page that takes a
form, an id in the URL past the database's integers.
"""
from __future__ import annotations

import logging

from flask import current_app, jsonify, render_template, request
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from core.errors import AccessDenied, RecordNotFound, ValidationError

from . import inputs

log = logging.getLogger("bottega.web")


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (gettext("Bad request"), gettext("The request could not be understood.")),
        403: (gettext("Not allowed"), gettext("You do not have access to this page or record.")),
        404: (gettext("Not found"), gettext("This page or record does not exist, or you may not see it.")),
        405: (gettext("Not allowed"), gettext("This action cannot be done this way.")),
        413: (gettext("Too large"), gettext("What you sent is larger than the %(size)s MB a page accepts; nothing "
                                            "was saved.", size=(current_app.config["MAX_CONTENT_LENGTH"] or 0)
                                            // (1024 * 1024))),
        429: (gettext("Too many attempts"), gettext("Too many attempts. Wait a minute and try again.")),
        500: (gettext("Something went wrong"),
              gettext("An unexpected error happened. It was logged; nothing was saved.")),
    }


def render_error(code: int, detail: str | None = None, field: str | None = None):
    from core.api.errors import http_problem, is_api_request

    if is_api_request():  # no such API route, a method it does not take: a problem, not a page
        return http_problem(code, detail)
    title, message = _messages().get(code, (str(code), ""))
    if request.is_json or request.accept_mimetypes.best == "application/json" or request.path.endswith(".json"):
        return jsonify(error=detail or message, **({"field": field} if field else {})), code
    try:
        return render_template("core/error.html", code=code, title=title, message=detail or message), code
    except Exception:  # the error page must not fail in turn: plain text still tells the user
        log.exception("cannot render the error page")
        return f"{code} {title}: {detail or message}", code, {"Content-Type": "text/plain; charset=utf-8"}


def init_app(app) -> None:
    inputs.init_app(app)  # bad requests are refused before any view: ids past the database, misplaced JSON

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return render_error(400, gettext("This form has expired or was not sent from Bottega. "
                                         "Reload the page and try again; nothing was saved."))

    @app.errorhandler(AccessDenied)
    def access_denied(error):
        return render_error(403, str(error))

    @app.errorhandler(ValidationError)
    def refused(error):
        return render_error(400, str(error), error.field)

    @app.errorhandler(RecordNotFound)
    def not_found(_error):
        return render_error(404)

    @app.errorhandler(HTTPException)
    def http_error(error):
        return render_error(error.code if error.code in _messages() else 400)

    @app.errorhandler(Exception)
    def unexpected(error):
        log.exception("unexpected error on %s %s", request.method, request.path)
        return render_error(500)
