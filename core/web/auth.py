"""Logging in and out, two-factor authentication, password change and preferences.

Passwords are checked with Argon2 (core.security.passwords), always once per
attempt whatever the account (core.security.credentials.check_login); TOTP
uses pyotp and the enrolment QR code is drawn by segno. The Flask session
holds the user id and a *stamp* derived from the password hash and the TOTP
secret: changing either logs every other session of that user out. Each
login starts a new session (the old one is cleared). Attempts are throttled
per address, per (account, address) and with a growing wait per account
(core.security.throttle); logins, failures and credential changes go to the
security log.
"""
from __future__ import annotations

import hashlib
import math
import time
from urllib.parse import urlsplit

import pyotp
import segno
from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale, gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from core.models import User
from core.security import credentials, log_event
from core.security.password_policy import password_problem
from core.security.throttle import LoginThrottle
from core.timezones import timezone_choices

from .context import public, state
from .forms import select_choices
from .i18n import LANGUAGES
from .limiter import limiter, pending_login_key

blueprint = Blueprint("auth", __name__)

PENDING_SECONDS = 300  # a password-checked login waits this long for its second factor
ISSUER = "Bottega"
UNSAFE_IN_NEXT = "\\"  # browsers read a backslash as a slash: "/\\evil.example" is another site


class LoginForm(FlaskForm):
    login = StringField(_l("Login"), [InputRequired(), Length(max=120)])
    password = PasswordField(_l("Password"), [InputRequired(), Length(max=1024)])


class CodeForm(FlaskForm):
    code = StringField(_l("Code"), [InputRequired(), Length(max=32)])


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), [InputRequired()])
    new = PasswordField(_l("New password"), [InputRequired(), Length(max=1024)])
    confirm = PasswordField(_l("Repeat the new password"),
                            [InputRequired(), EqualTo("new", message=_l("The passwords do not match."))])


class PreferencesForm(FlaskForm):
    lang = SelectField(_l("Language"), choices=select_choices(LANGUAGES))
    timezone = SelectField(_l("Time zone"), choices=select_choices((("", "UTC"), *timezone_choices())),
                           description=_l("Dates and times are shown in it."))


def session_stamp(system, user_id: int) -> str:
    return stamp_of(user_id, credentials.stamp_material(system, user_id))


def stamp_of(user_id: int, material: str) -> str:
    """The stamp a login's cookie carries: it changes when the user's password or 2FA does."""
    return hashlib.sha256(f"{user_id}|{material}".encode()).hexdigest()[:32]


def login_throttle() -> LoginThrottle:
    return LoginThrottle(limiter.storage, current_app.config["BOTTEGA_LOGIN_POLICY"])


def wait_message(seconds: int) -> str:
    if seconds <= 90:
        return ngettext("Too many attempts. Wait %(num)s second and try again.",
                        "Too many attempts. Wait %(num)s seconds and try again.", seconds)
    return ngettext("Too many attempts. Wait %(num)s minute and try again.",
                    "Too many attempts. Wait %(num)s minutes and try again.", math.ceil(seconds / 60))


def record_event(kind: str, **fields) -> None:
    """Write a security event in a transaction of its own.

    Login pages keep their database work and the throttle's counters (which
    commit on connections of their own) in separate transactions: on SQLite,
    a transaction that has read cannot write after another connection did.
    """
    with state().session_factory() as system:
        log_event(system, kind, **fields)
        system.commit()


def refuse_for_now(login: str, wait: int) -> None:
    """Note a throttled attempt in the security log, once per wait rather than once per attempt."""
    if login_throttle().first_refusal(login, get_remote_address(), wait):
        record_event("login_throttled", login=login, detail=f"wait {wait} s")


def throttled_check(login: str, check, failure_event: str, user_id: int | None = None, detail: str | None = None):
    """Run ``check()`` unless ``login`` must wait; returns (seconds to wait, what ``check`` returned).

    A falsy result counts as a failure (towards the account's wait) and is
    written to the security log as ``failure_event``; a truthy one ends the
    account's run of failures.
    """
    throttle, address = login_throttle(), get_remote_address()
    wait = throttle.attempt(login, address)
    if wait:
        refuse_for_now(login, wait)
        return wait, None
    result = check()
    if result:
        throttle.succeeded(login)
    else:
        delay = throttle.failed(login, address)
        record_event(failure_event, user_id=user_id, login=login,
                     detail="; ".join(filter(None, (detail, f"account waits {delay} s" if delay else None))) or None)
    return 0, result


def start_session(system, user_id: int, event: str | None = None) -> None:
    """A new login: a fresh cookie (the old one is dropped) tied to a new server-side session row.

    Giving the password (or code) just now also counts as a recent
    confirmation of identity (see core.web.reauth).
    """
    credentials.close_login_session(system, session.get("sid"))
    session.clear()
    session.permanent = True
    session["user_id"] = user_id
    session["sid"] = credentials.open_login_session(system, user_id, current_app.permanent_session_lifetime,
                                                    get_remote_address(), request.user_agent.string)
    session["stamp"] = session_stamp(system, user_id)
    session["auth_at"] = time.time()
    if event:
        log_event(system, event, user_id=user_id, login=system.get(User, user_id).login)
    system.commit()


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site, else None.

    Browsers drop tabs and newlines inside URLs and read a backslash as a
    slash, so ``/\\t/evil.example`` or ``/\\evil.example`` would lead to
    another site: anything with a control character, a backslash, a scheme
    or a host is refused, as is a path starting with ``//``.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if any(ord(c) < 0x20 or ord(c) == 0x7F or c in UNSAFE_IN_NEXT for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def throttled_response(template: str, status: int, wait: int = 0, **context):
    response = make_response(render_template(template, **context), status)
    if wait:
        response.headers["Retry-After"] = str(wait)
    return response


@blueprint.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm()
    status, wait = 200, 0
    if form.validate_on_submit():
        name = form.login.data.strip()
        wait, user_id = throttled_check(name, lambda: _check_login(name, form.password.data), "login_failed")
        if wait:
            form.form_errors.append(wait_message(wait))
            status = 429
        elif user_id is None:
            form.form_errors.append(gettext("Wrong login or password."))
            status = 401
        else:
            return _password_accepted(user_id, safe_next(request.args.get("next")))
    return throttled_response("core/login.html", status, wait, form=form)


def _check_login(login: str, password: str) -> int | None:
    with state().session_factory() as system:
        return credentials.check_login(system, login, password)


def _password_accepted(user_id: int, target: str | None):
    with state().session_factory() as system:
        second_factor = bool(credentials.totp_secret(system, user_id))
        stamp = session_stamp(system, user_id)
    if second_factor:
        session.clear()
        session["pending_user_id"] = user_id
        session["pending_stamp"] = stamp
        session["pending_until"] = time.time() + PENDING_SECONDS
        return redirect(url_for("auth.two_factor", next=target))
    with state().session_factory() as system:
        start_session(system, user_id, "login_succeeded")
    return redirect(target or url_for("web.home"))


@blueprint.route("/login/2fa", methods=["GET", "POST"])
@limiter.limit("5 per minute", key_func=pending_login_key, methods=["POST"])
@public
def two_factor():
    user_id = session.get("pending_user_id")
    if user_id is None or time.time() > session.get("pending_until", 0):
        session.clear()
        return redirect(url_for("auth.login"))
    form = CodeForm()
    status, wait = 200, 0
    if form.validate_on_submit():
        with state().session_factory() as system:
            user = system.get(User, user_id)
            if user is None or session.get("pending_stamp") != session_stamp(system, user_id):
                session.clear()  # the password or 2FA changed since: start again
                return redirect(url_for("auth.login"))
        wait, used = throttled_check(user.login, lambda: user.active and use_code(user.id, form.code.data),
                                     "login_failed", user.id, "wrong second-factor code")
        if wait:
            form.code.errors = [wait_message(wait)]
            status = 429
        elif used:
            if used == "recovery":
                record_event("recovery_code_used", user_id=user.id, login=user.login)
            with state().session_factory() as system:
                start_session(system, user.id, "login_succeeded")
            return redirect(safe_next(request.args.get("next")) or url_for("web.home"))
        else:
            form.code.errors = [gettext("This code is not valid.")]
    return throttled_response("core/two_factor.html", status, wait, form=form)


def use_code(user_id: int, code: str) -> str | None:
    """Use up a TOTP or recovery code of the user: which kind was accepted ("totp", "recovery"), or None."""
    with state().session_factory() as system:
        used = check_code(system, user_id, code)
        system.commit()
    return used


def check_code(system, user_id: int, code: str) -> str | None:
    """Use a TOTP or recovery code of the user: which kind was accepted ("totp", "recovery"), or None."""
    code = code.replace(" ", "").strip()
    if credentials.use_totp_code(system, user_id, code):
        return "totp"
    return "recovery" if credentials.use_recovery_code(system, user_id, code) else None


@blueprint.route("/logout", methods=["POST"])
def logout():
    with state().session_factory() as system:
        credentials.close_login_session(system, session.get("sid"))
        log_event(system, "logout", user_id=g.user.id, login=g.user.login)
        system.commit()
    session.clear()
    flash(gettext("You are logged out."), "success")
    return redirect(url_for("auth.login"))


@blueprint.route("/account", methods=["GET", "POST"])
def account():
    preferences = PreferencesForm(prefix="pref", lang=g.user.lang, timezone=g.user.timezone or "")
    password = PasswordForm(prefix="pw")
    if _submitted_with(preferences) and preferences.validate_on_submit():
        with state().session_factory() as system:
            user = system.get(User, g.user.id)
            user.lang = preferences.lang.data
            user.timezone = preferences.timezone.data or None
            system.commit()
        with force_locale(preferences.lang.data):  # said in the language just chosen
            flash(gettext("Preferences saved."), "success")
        return redirect(url_for("auth.account"))
    if _submitted_with(password) and password.validate_on_submit():
        problem = password_problem(password.new.data, (g.user.login, g.user.name, g.user.email))
        with state().session_factory() as system:
            if not credentials.check_password(system, g.user.id, password.current.data):
                password.current.errors = [gettext("This is not your current password.")]
            elif problem:
                password.new.errors = [problem]
            else:
                credentials.set_password(system, g.user.id, password.new.data)
                credentials.close_other_login_sessions(system, g.user.id)
                log_event(system, "password_changed", user_id=g.user.id, login=g.user.login)
                start_session(system, g.user.id)
                flash(gettext("Password changed. Other sessions were logged out."), "success")
                return redirect(url_for("auth.account"))
    with state().session_factory() as system:
        two_factor = bool(credentials.totp_secret(system, g.user.id))
    return render_template("core/account.html", preferences=preferences, password=password,
                           two_factor=two_factor)


def _submitted_with(form: FlaskForm) -> bool:
    """Which of several forms on one page was posted (their fields carry the form's prefix)."""
    return request.method == "POST" and any(key.startswith(form._prefix) for key in request.form)


@blueprint.route("/account/2fa", methods=["GET", "POST"])
def enable_two_factor():
    with state().session_factory() as system:
        if credentials.totp_secret(system, g.user.id):
            flash(gettext("Two-factor authentication is already on: turn it off first to set up a new device."),
                  "error")
            return redirect(url_for("auth.account"))
    secret = session.get("totp_enrolment") or pyotp.random_base32()
    session["totp_enrolment"] = secret
    uri = pyotp.TOTP(secret).provisioning_uri(name=g.user.login, issuer_name=ISSUER)
    form = CodeForm()
    if form.validate_on_submit():
        if pyotp.TOTP(secret).verify(form.code.data.replace(" ", ""), valid_window=1):
            with state().session_factory() as system:
                codes = credentials.enable_totp(system, g.user.id, secret)
                credentials.close_other_login_sessions(system, g.user.id)
                log_event(system, "two_factor_enabled", user_id=g.user.id, login=g.user.login)
                start_session(system, g.user.id)
            return render_template("core/recovery_codes.html", codes=codes)
        form.code.errors = [gettext("This code is not valid. Check the time on your phone and try again.")]
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, dark="#1f2937")
    return render_template("core/enable_two_factor.html", form=form, qr=qr, secret=secret)


@blueprint.route("/account/2fa/disable", methods=["POST"])
def disable_two_factor():
    from .enrolment import two_factor_required

    if two_factor_required(g.actor):
        flash(gettext("Your role requires two-factor authentication: it cannot be turned off."), "error")
        return redirect(url_for("auth.account"))
    with state().session_factory() as system:
        if not credentials.check_password(system, g.user.id, request.form.get("current_password", "")):
            flash(gettext("This is not your current password."), "error")
            return redirect(url_for("auth.account"))
        credentials.disable_totp(system, g.user.id)
        credentials.close_other_login_sessions(system, g.user.id)
        log_event(system, "two_factor_disabled", user_id=g.user.id, login=g.user.login)
        start_session(system, g.user.id)
    flash(gettext("Two-factor authentication is off."), "success")
    return redirect(url_for("auth.account"))
