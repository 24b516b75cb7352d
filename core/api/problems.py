"""Errors as RFC 9457 problem details (``application/problem+json``), never a traceback or SQL.

Every refusal of the API answers ``{"type", "title", "status", "detail", "errors": [{"field", "message"}]}``;
``errors`` names each wrong field of the body or query (``lines.0.quantity``), when there is one.
"""
from __future__ import annotations

import json
from collections.abc import Mapping

from flask import Response
from flask_babel import gettext
from pydantic import BaseModel

MEDIA_TYPE = "application/problem+json"


def _titles() -> dict[int, tuple[str, str]]:
    return {
        400: ("bad-request", gettext("Bad request")),
        401: ("unauthenticated", gettext("Not authenticated")),
        403: ("forbidden", gettext("Not allowed")),
        404: ("not-found", gettext("Not found")),
        405: ("method-not-allowed", gettext("Method not allowed")),
        409: ("conflict", gettext("Conflict")),
        413: ("too-large", gettext("Request too large")),
        415: ("unsupported-media-type", gettext("Unsupported media type")),
        422: ("invalid", gettext("Invalid input")),
        429: ("rate-limited", gettext("Too many requests")),
        500: ("server-error", gettext("Unexpected error")),
    }


class ApiProblem(Exception):
    """A refusal the API answers as a problem: raise it anywhere in an API request."""

    def __init__(self, status: int, detail: str, errors: Mapping | list | None = None,
                 headers: Mapping[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = dict(headers or {})


def problem(status: int, detail: str, errors: Mapping | list | None = None,
            headers: Mapping[str, str] | None = None) -> Response:
    """The problem response for ``status``; ``errors`` maps fields to messages (or is a list of pairs)."""
    slug, title = _titles().get(status, ("error", str(status)))
    body = {"type": f"urn:bottega:problem:{slug}", "title": title, "status": status, "detail": detail}
    if errors:
        pairs = errors.items() if isinstance(errors, Mapping) else errors
        body["errors"] = [{"field": str(field) if field is not None else None, "message": str(message)}
                          for field, message in pairs]
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=MEDIA_TYPE)
    response.headers.update(headers or {})
    return response


class FieldError(BaseModel):
    field: str | None
    message: str


class Problem(BaseModel):
    """The problem document, as the OpenAPI document describes it."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] = []
