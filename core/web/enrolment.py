"""Two-factor authentication required for chosen groups (``[security] require_two_factor_groups``).

A user in one of those groups who has not set up 2FA is logged in by their
password, then sent to the enrolment page and can do nothing else (but log
out) until it is done. Administrators are ``core.group_admin``.
"""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext

from core.errors import ConfigError
from core.security import credentials

from .context import state

ALLOWED_BEFORE_ENROLMENT = {"auth.enable_two_factor", "auth.logout", "web.health"}


def required_groups() -> list[str]:
    return state().config.get("security", "require_two_factor_groups")


def two_factor_required(actor) -> bool:
    return actor is not None and any(actor.in_group(key) for key in required_groups())


def check_required_groups(config, known_addons) -> None:
    """Refuse a group key that no known addon could declare (a typo would silently require nothing)."""
    for key in config.get("security", "require_two_factor_groups"):
        addon, dot, _name = key.partition(".")
        if not dot or addon not in {"core", *known_addons}:
            raise ConfigError(f"{config.path}: [security] require_two_factor_groups: {key!r} is not a group key "
                              "such as 'core.group_admin' of the core or of a known addon")


def send_to_enrolment():
    """``before_request``: keep a user who must set up 2FA on the enrolment page."""
    if g.get("actor") is None or request.endpoint in ALLOWED_BEFORE_ENROLMENT:
        return None
    if (request.endpoint or "").endswith("static") or not two_factor_required(g.actor):
        return None
    with state().session_factory() as system:
        if credentials.totp_secret(system, g.actor.user_id):
            return None
    flash(gettext("Your role requires two-factor authentication: set it up to continue."), "info")
    return redirect(url_for("auth.enable_two_factor"))
