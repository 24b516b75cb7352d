"""Asking for the password again before a sensitive change (roles, lock date, addons).

Mark a view with :func:`recent_auth_required`; a ``ModelView`` lists the
actions that need it in ``recent_auth_actions``. Unless the user gave their
password (or their TOTP code, when they use two-factor authentication)
within ``[security] reauth_minutes``, they are sent to ``/reauth`` first and
brought back: to the page itself for a GET, to the page they came from for
a POST (a form cannot be replayed, so they submit it again).
"""
from __future__ import annotations

import time

from flask import Blueprint, current_app, g, redirect, request, session, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from core.security import credentials

from .auth import record_event, safe_next, throttled_check, throttled_response, use_code, wait_message
from .context import state

blueprint = Blueprint("reauth", __name__)
RECENT_AUTH_ATTRIBUTE = "bottega_recent_auth"


def recent_auth_required(view):
    """Make the user confirm their identity first unless they did in the last few minutes."""
    setattr(view, RECENT_AUTH_ATTRIBUTE, True)
    return view


def has_recent_auth() -> bool:
    window = state().config.get("security", "reauth_minutes") * 60
    return time.time() - session.get("auth_at", 0) < window


def _needs_recent_auth() -> bool:
    function = current_app.view_functions.get(request.endpoint or "")
    if getattr(function, RECENT_AUTH_ATTRIBUTE, False):
        return True
    view = getattr(function, "model_view", None)
    actions = getattr(view, "recent_auth_actions", ())
    return bool(actions) and request.endpoint.rpartition(".")[2].removeprefix(f"{view.name}_") in actions


def ask_again():
    """``before_request``: send the user to confirm their identity when the page needs a recent one."""
    if g.get("actor") is None or not _needs_recent_auth() or has_recent_auth():
        return None
    back = request.full_path.rstrip("?") if request.method == "GET" else _same_site_referrer()
    return redirect(url_for("reauth.confirm", next=back))


def _same_site_referrer() -> str | None:
    referrer = request.referrer or ""
    root = request.host_url.rstrip("/")
    return safe_next(referrer[len(root):]) if referrer.startswith(root + "/") else None


class PasswordAgainForm(FlaskForm):
    password = PasswordField(_l("Password"), [InputRequired(), Length(max=1024)])


class CodeAgainForm(FlaskForm):
    code = StringField(_l("Code from your authenticator app"), [InputRequired(), Length(max=32)])


def _password_is_right(user_id: int, password: str) -> bool:
    with state().session_factory() as system:
        return credentials.check_password(system, user_id, password)


@blueprint.route("/reauth", methods=["GET", "POST"])
def confirm():
    user = g.user
    with state().session_factory() as system:
        with_code = bool(credentials.totp_secret(system, user.id))
    form = CodeAgainForm() if with_code else PasswordAgainForm()
    status, wait = 200, 0
    if form.validate_on_submit():
        wait, confirmed = throttled_check(
            user.login, lambda: use_code(user.id, form.code.data) if with_code
            else _password_is_right(user.id, form.password.data), "reauthentication_failed", user.id)
        if wait:
            form.form_errors.append(wait_message(wait))
            status = 429
        elif confirmed:
            record_event("reauthenticated", user_id=user.id, login=user.login)
            session["auth_at"] = time.time()
            return redirect(safe_next(request.args.get("next")) or url_for("web.home"))
        else:
            form.form_errors.append(gettext("This code is not valid.") if with_code
                                    else gettext("This is not your password."))
            status = 401
    return throttled_response("core/reauth.html", status, wait, form=form, with_code=with_code)
