"""The security log: logins, throttling, credential, role, lock-date, bank account and addon changes.

Any part of Bottega records an event with::

    log_event(session, "lock_date_changed", detail="2025-12-31 → 2026-03-31")

The row is written on the session's connection, inside the caller's
transaction: it is kept exactly when the change it describes is committed.
Who acted defaults to the session's actor; the address and browser to the
current web request's, when there is one. Administrators read the log under
*Settings → Security log*; ``core.security_housekeeping`` forgets events
older than ``[security] log_retention_days``.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, delete, insert, inspect
from sqlalchemy.orm import Session

from core.db import utcnow
from core.models import SecurityEvent

_events = SecurityEvent.__table__

KINDS = (
    "login_succeeded",
    "login_failed",
    "login_throttled",
    "logout",
    "reauthenticated",
    "reauthentication_failed",
    "password_changed",
    "two_factor_enabled",
    "two_factor_disabled",
    "recovery_code_used",
    "sessions_ended",
    "user_created",
    "user_changed",
    "group_changed",
    "lock_date_changed",
    "company_iban_changed",
    "addon_installed",
    "addon_uninstalled",
    "api_key_created",
    "api_key_revoked",
)  # their labels: core.web.security_log.KIND_LABELS


def log_event(target: Session | Connection, kind: str, *, user_id: int | None = None, login: str | None = None,
              detail: str | None = None, ip: str | None = None, user_agent: str | None = None) -> None:
    """Record one security event in ``target``'s transaction (see the module's docstring)."""
    if kind not in KINDS:
        raise ValueError(f"unknown security event kind {kind!r} (known: {', '.join(KINDS)})")
    if isinstance(target, Session):
        actor = target.info.get("actor")
        if user_id is None and actor is not None:
            user_id = actor.user_id
        connection = target.connection()
    else:
        connection = target
    request_ip, request_agent = _request_origin()
    connection.execute(insert(_events).values(
        at=utcnow(), kind=kind, user_id=user_id, login=_cut(login, 120), detail=_cut(detail, 1000),
        ip=_cut(ip or request_ip, 45), user_agent=_cut(user_agent or request_agent, 255)))


def _request_origin() -> tuple[str | None, str | None]:
    """The client's address and browser when called while serving a web request."""
    from flask import has_request_context, request

    if not has_request_context():
        return None, None
    return request.remote_addr, request.user_agent.string or None


def _cut(text: str | None, length: int) -> str | None:
    return text[:length] if text else None


ADDON_EVENTS = {"install": "addon_installed", "reactivate": "addon_installed", "deactivate": "addon_uninstalled",
                "purge": "addon_uninstalled"}


def log_addon_step(connection: Connection, action: str, addon: str, description: str) -> None:
    """Record an addon installed or uninstalled by the lifecycle (from the CLI or the web UI)."""
    kind = ADDON_EVENTS.get(action)
    if kind and inspect(connection).has_table(_events.name):  # not before the core's own upgrade made it
        user_id = _request_user_id()
        log_event(connection, kind, user_id=user_id, login=addon, detail=description)


def _request_user_id() -> int | None:
    from flask import g, has_request_context

    actor = g.get("actor") if has_request_context() else None
    return actor.user_id if actor is not None else None


def purge_events(session: Session, days: int) -> int:
    """Forget events older than ``days`` days; return how many."""
    cutoff = utcnow() - dt.timedelta(days=days)
    return session.connection().execute(delete(_events).where(_events.c.at < cutoff)).rowcount
