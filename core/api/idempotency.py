"""``Idempotency-Key`` on creating requests: a retry gets the first answer, and nothing is done twice.

The answer to a POST sent with the header is kept per user and key for :data:`KEPT` (in the request's own
transaction, so it exists exactly when what it answers was committed). The same key again with the same method,
path and body returns that answer; with anything else it is a 422 problem. Two requests racing with one key meet
the table's unique key: the second gets a 409 problem and writes nothing.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json

from flask import Response, g, request
from flask_babel import gettext
from sqlalchemy import delete, select

from core.db import utcnow
from core.models import IdempotentRequest
from core.sessions import system_rows

from .problems import ApiProblem

HEADER = "Idempotency-Key"
KEPT = dt.timedelta(hours=24)
MAX_KEY = 255


def given_key() -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY:
        raise ApiProblem(400, gettext("An Idempotency-Key is 1 to %(max)s characters.", max=MAX_KEY),
                         {HEADER: gettext("Write a key of 1 to %(max)s characters.", max=MAX_KEY)})
    return key


def request_hash() -> str:
    return hashlib.sha256(b"\n".join([request.method.encode(), request.path.encode(),
                                      request.get_data(cache=True)])).hexdigest()


def replay(session, key: str) -> Response | None:
    """The stored answer to this key, if this request was sent before; a different request is refused."""
    with system_rows(session) as system:
        system.execute(delete(IdempotentRequest).where(IdempotentRequest.user_id == g.actor.user_id,
                                                       IdempotentRequest.key == key,
                                                       IdempotentRequest.expires_at <= utcnow()))
        found = system.scalars(select(IdempotentRequest).where(IdempotentRequest.user_id == g.actor.user_id,
                                                               IdempotentRequest.key == key)).first()
        if found is None:
            return None
        if found.request_hash != request_hash():
            raise ApiProblem(422, gettext("This Idempotency-Key was used for a different request; use a new key "
                                          "for a new request."), {HEADER: gettext("Already used for another "
                                                                                  "request.")})
        response = Response(found.body, status=found.status, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def remember(session, key: str, status: int, body: dict) -> None:
    """Keep the answer in ``session``'s transaction (committed with what it answers)."""
    with system_rows(session) as system:
        system.add(IdempotentRequest(user_id=g.actor.user_id, key=key, request_hash=request_hash(), status=status,
                                     body=json.dumps(body, ensure_ascii=False), expires_at=utcnow() + KEPT))
