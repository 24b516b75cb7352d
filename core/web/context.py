"""Per-request state: the registry, the logged-in actor and their session.

``before_request`` (in core.web.app) loads the actor from the Flask session
and opens a session acting as them; views reach both through these helpers.
A view marked :func:`public` is served to anonymous visitors too.
"""
from __future__ import annotations

from flask import abort, current_app, g

PUBLIC_ATTRIBUTE = "bottega_public"
CSRF_EXEMPT_ATTRIBUTE = "bottega_csrf_exempt"


def public(view):
    """Let anonymous visitors reach this view (login page, web-to-lead forms, health)."""
    setattr(view, PUBLIC_ATTRIBUTE, True)
    return view


def csrf_exempt(view):
    """Accept posts from other sites (an embedded web-to-lead form, a mail gateway).

    Only for public endpoints that act for nobody: a logged-in user's forms
    always need the CSRF token.
    """
    setattr(view, CSRF_EXEMPT_ATTRIBUTE, True)
    return view


def state():
    return current_app.extensions["bottega"]


def current_registry():
    return state().registry


def current_actor():
    return g.get("actor")


def db():
    """The request's session, acting as the logged-in user."""
    return g.db


def open_sessions() -> list:
    """The request's sessions opened so far, in the order the request's teardown closes them."""
    return [g.get(name) for name in ("system_db", "db") if g.get(name) is not None]


def system_session():
    """An unrestricted session for the request, for work done on the user's behalf after a check."""
    if "system_db" not in g:
        g.system_db = new_system_session()
    return g.system_db


def new_system_session():
    """A new unrestricted session, apart from the request's: for work that commits and closes its own sessions
    (a message received through :func:`core.mail_in.receive.deliver`)."""
    from core.security import actor_session

    return actor_session(state().session_factory, state().registry, None)


def can(model, operation: str) -> bool:
    """Whether the logged-in user may do ``operation`` (read, create, write, delete) on ``model``."""
    return current_registry().can(current_actor(), model, operation)


def require(model, operation: str) -> None:
    """Raise :class:`core.errors.AccessDenied` (a 403 page) unless the user may do ``operation`` on ``model``."""
    current_registry().require(current_actor(), model, operation)


def record_or_404(model, record_id: int):
    """The record as the user may see it, or a 404 page (also for ids no database column can hold)."""
    from sqlalchemy import inspect

    from core.bounds import fits_id

    if not fits_id(inspect(model).primary_key[0], record_id):
        abort(404)
    record = db().get(model, record_id)
    if record is None:
        abort(404)
    return record
