"""Every failure of an API request as a problem (:mod:`.problems`), the request's transaction rolled back."""
from __future__ import annotations

import logging

from flask import g, request
from flask_babel import gettext
from flask_limiter.errors import RateLimitExceeded
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from core.errors import AccessDenied, BottegaError, RecordNotFound, ValidationError

from .endpoints import blueprint, field_path
from .problems import ApiProblem, problem

log = logging.getLogger("bottega.api")
PREFIX = "/api/"


def is_api_request() -> bool:
    return request.path.startswith(PREFIX)


def _rollback() -> None:
    session = g.get("db")
    if session is not None:
        session.rollback()


@blueprint.errorhandler(ApiProblem)
def _api_problem(error: ApiProblem):
    _rollback()
    return problem(error.status, error.detail, error.errors, error.headers)


@blueprint.errorhandler(ValidationError)
def _refused(error: ValidationError):
    _rollback()
    errors = [(field_path(name), message) for name, message in error.errors.items()] or (
        [(field_path(error.field), str(error))] if error.field else None)
    return problem(422, str(error), errors)


@blueprint.errorhandler(AccessDenied)
def _denied(error: AccessDenied):
    _rollback()
    return problem(403, str(error))


@blueprint.errorhandler(RecordNotFound)
def _not_found(error: RecordNotFound):
    _rollback()
    return problem(404, str(error))


@blueprint.errorhandler(BottegaError)
def _other_refusal(error: BottegaError):
    _rollback()
    return problem(422, str(error))


@blueprint.errorhandler(IntegrityError)
def _clash(error: IntegrityError):
    _rollback()
    log.info("a constraint refused an API change: %s", error.orig)
    return problem(409, gettext("This clashes with another record (a value that must be unique is already used, "
                                "or a related record is missing). Nothing was saved."))


@blueprint.errorhandler(RateLimitExceeded)
def _rate_limited(error: RateLimitExceeded):
    _rollback()
    from .limits import retry_after

    return problem(429, gettext("Too many requests with this API key: %(limit)s. Wait and try again.",
                                limit=str(error.description)), headers={"Retry-After": str(retry_after())})


@blueprint.errorhandler(HTTPException)
def _http(error: HTTPException):
    _rollback()
    return http_problem(error.code or 400)


@blueprint.errorhandler(Exception)
def _unexpected(error: Exception):
    _rollback()
    log.exception("unexpected error on %s %s", request.method, request.path)
    return problem(500, gettext("An unexpected error happened. It was logged; nothing was saved."))


def http_problem(code: int, detail: str | None = None):
    """A problem for an HTTP error met outside the API's views (no such route, a method not allowed)."""
    details = {
        404: gettext("There is no such API endpoint."),
        405: gettext("This endpoint does not take the method %(method)s.", method=request.method),
        413: gettext("The body is too large; nothing was saved."),
    }
    return problem(code, detail or details.get(code, gettext("The request could not be understood.")))
