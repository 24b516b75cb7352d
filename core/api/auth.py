"""Who calls the API: the user of the ``Authorization: Bearer <key>`` key, never a session cookie.

A missing, unknown, revoked or expired key, or a key whose user is archived, is a 401 problem (with
``WWW-Authenticate: Bearer``). The key's user becomes the request's actor, with their groups, record rules and
companies, exactly as when they log in; ``last_used_at`` is written at most once a minute per key.
"""
from __future__ import annotations

import datetime as dt

from flask import g, request
from flask_babel import gettext

from core.db import utcnow
from core.errors import AccessDenied
from core.models import User
from core.security import actor_session
from core.security.actor import actor_of, allowed_companies
from core.web.context import state

from . import keys
from .problems import ApiProblem

#: how stale ``last_used_at`` may get before a request writes it again
LAST_USED_PRECISION = dt.timedelta(minutes=1)
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="bottega"'}


def bearer_key() -> str | None:
    """The key the request carries, or None."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def authenticate() -> None:
    """Load the key's user as ``g.actor`` with their session as ``g.db``, or raise a 401 problem."""
    raw = bearer_key()
    if raw is None:
        raise ApiProblem(401, gettext("Send an API key: Authorization: Bearer <key>."), headers=CHALLENGE)
    web = state()
    now = utcnow()
    with web.session_factory() as system:
        key = keys.find_key(system, raw)
        if key is None:
            raise ApiProblem(401, gettext("This API key is not valid."), headers=CHALLENGE)
        if key.revoked_at is not None:
            raise ApiProblem(401, gettext("This API key was revoked."), headers=CHALLENGE)
        if key.expires_at is not None and key.expires_at <= now:
            raise ApiProblem(401, gettext("This API key has expired."), headers=CHALLENGE)
        user = system.get(User, key.user_id)
        if user is None or not user.active:
            raise ApiProblem(401, gettext("The user of this API key is archived."), headers=CHALLENGE)
        try:
            actor = actor_of(system, web.registry, user, {company.id for company in allowed_companies(system, user)})
        except AccessDenied:
            raise ApiProblem(401, gettext("The user of this API key may work in no company."),
                             headers=CHALLENGE) from None
        if key.last_used_at is None or now - key.last_used_at > LAST_USED_PRECISION:
            key.last_used_at = now
            system.commit()
        system.expunge(key)
    g.api_key, g.user, g.actor = key, user, actor
    g.db = actor_session(web.session_factory, web.registry, actor)


def require_scope(addon: str, operation: str) -> None:
    """Refuse (403) a key whose scopes do not let it ``operation`` (read, write) ``addon``'s records."""
    if not keys.allows(g.api_key, addon, operation):
        raise ApiProblem(403, gettext("This API key may not %(operation)s the records of %(addon)s: it needs the "
                                      "scope %(scope)s or %(general)s.", operation=operation, addon=addon,
                                      scope=f"{addon}:{operation}", general=operation))
