"""Logging in and out, two-factor authentication, password change and preferences.

Passwords are checked with Argon2 (core.security.passwords); TOTP uses pyotp
and the enrolment QR code is drawn by segno. The Flask session holds the user
id and a *stamp* derived from the password hash and the TOTP secret: changing
either logs every other session of that user out. Secrets are only touched
through core.security.credentials. Each login starts a new
session (the old one is cleared), and attempts are rate-limited per address
and per account.
"""
from __future__ import annotations

import hashlib
import time

import pyotp
import segno
from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from core.models import User
from core.security import credentials, hash_password, verify_password

from .context import public, state
from .forms import select_choices
from .i18n import LANGUAGES
from .limiter import account_key, limiter, pending_login_key

blueprint = Blueprint("auth", __name__)

LOGIN_LIMIT = "10 per minute"  # per account, and (below) per address
ADDRESS_LIMIT = "30 per minute"
PENDING_SECONDS = 300  # a password-checked login waits this long for its second factor
DUMMY_HASH = hash_password("not a password: used to spend the same time on unknown logins")
ISSUER = "Bottega"


class LoginForm(FlaskForm):
    login = StringField(_l("Login"), [InputRequired(), Length(max=120)])
    password = PasswordField(_l("Password"), [InputRequired(), Length(max=1024)])


class CodeForm(FlaskForm):
    code = StringField(_l("Code"), [InputRequired(), Length(max=32)])


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), [InputRequired()])
    new = PasswordField(_l("New password"), [InputRequired(), Length(min=8, max=1024)])
    confirm = PasswordField(_l("Repeat the new password"),
                            [InputRequired(), EqualTo("new", message=_l("The passwords do not match."))])


class PreferencesForm(FlaskForm):
    lang = SelectField(_l("Language"), choices=select_choices(LANGUAGES))


def session_stamp(system, user_id: int) -> str:
    material = f"{user_id}|{credentials.stamp_material(system, user_id)}".encode()
    return hashlib.sha256(material).hexdigest()[:32]


def _start_session(system, user_id: int) -> None:
    """A new login: a fresh cookie (the old one is dropped) tied to a new server-side session row."""
    credentials.close_login_session(system, session.get("sid"))
    session.clear()
    session.permanent = True
    session["user_id"] = user_id
    session["sid"] = credentials.open_login_session(system, user_id, current_app.permanent_session_lifetime)
    session["stamp"] = session_stamp(system, user_id)
    system.commit()


def _safe_next(default: str) -> str:
    target = request.args.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else default


@blueprint.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, key_func=account_key, methods=["POST"])
@limiter.limit(ADDRESS_LIMIT, methods=["POST"])
@public
def login():
    form = LoginForm()
    if form.validate_on_submit():
        with state().session_factory() as system:
            user = system.scalars(select(User).where(User.login == form.login.data.strip())).first()
            if user is None:
                verify_password(DUMMY_HASH, form.password.data)  # same time as a real check: no login probing
            if user is None or not user.active or not credentials.check_password(system, user.id, form.password.data):
                form.form_errors.append(gettext("Wrong login or password."))
            elif credentials.totp_secret(system, user.id):
                session.clear()
                session["pending_user_id"] = user.id
                session["pending_stamp"] = session_stamp(system, user.id)
                session["pending_until"] = time.time() + PENDING_SECONDS
                return redirect(url_for("auth.two_factor", next=request.args.get("next")))
            else:
                _start_session(system, user.id)
                return redirect(_safe_next(url_for("web.home")))
    return render_template("core/login.html", form=form), 401 if form.form_errors else 200


@blueprint.route("/login/2fa", methods=["GET", "POST"])
@limiter.limit("5 per minute", key_func=pending_login_key, methods=["POST"])
@limiter.limit(ADDRESS_LIMIT, methods=["POST"])
@public
def two_factor():
    user_id = session.get("pending_user_id")
    if user_id is None or time.time() > session.get("pending_until", 0):
        session.clear()
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        with state().session_factory() as system:
            user = system.get(User, user_id)
            if user is None or session.get("pending_stamp") != session_stamp(system, user_id):
                session.clear()  # the password or 2FA changed since: start again
                return redirect(url_for("auth.login"))
            if user.active and _check_code(system, user.id, form.code.data):
                system.commit()
                _start_session(system, user.id)
                return redirect(_safe_next(url_for("web.home")))
        form.code.errors = [gettext("This code is not valid.")]
    return render_template("core/two_factor.html", form=form)


def _check_code(system, user_id: int, code: str) -> bool:
    code = code.replace(" ", "").strip()
    return credentials.use_totp_code(system, user_id, code) or credentials.use_recovery_code(system, user_id, code)


@blueprint.route("/logout", methods=["POST"])
def logout():
    with state().session_factory() as system:
        credentials.close_login_session(system, session.get("sid"))
        system.commit()
    session.clear()
    flash(gettext("You are logged out."), "success")
    return redirect(url_for("auth.login"))


@blueprint.route("/account", methods=["GET", "POST"])
def account():
    preferences = PreferencesForm(prefix="pref", lang=g.user.lang)
    password = PasswordForm(prefix="pw")
    if _submitted_with(preferences) and preferences.validate_on_submit():
        with state().session_factory() as system:
            system.get(User, g.user.id).lang = preferences.lang.data
            system.commit()
        flash(gettext("Preferences saved."), "success")
        return redirect(url_for("auth.account"))
    if _submitted_with(password) and password.validate_on_submit():
        with state().session_factory() as system:
            if not credentials.check_password(system, g.user.id, password.current.data):
                password.current.errors = [gettext("This is not your current password.")]
            else:
                credentials.set_password(system, g.user.id, password.new.data)
                credentials.close_other_login_sessions(system, g.user.id)
                _start_session(system, g.user.id)
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
                _start_session(system, g.user.id)
            return render_template("core/recovery_codes.html", codes=codes)
        form.code.errors = [gettext("This code is not valid. Check the time on your phone and try again.")]
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, dark="#1f2937")
    return render_template("core/enable_two_factor.html", form=form, qr=qr, secret=secret)


@blueprint.route("/account/2fa/disable", methods=["POST"])
def disable_two_factor():
    with state().session_factory() as system:
        if not credentials.check_password(system, g.user.id, request.form.get("current_password", "")):
            flash(gettext("This is not your current password."), "error")
            return redirect(url_for("auth.account"))
        credentials.disable_totp(system, g.user.id)
        credentials.close_other_login_sessions(system, g.user.id)
        _start_session(system, g.user.id)
    flash(gettext("Two-factor authentication is off."), "success")
    return redirect(url_for("auth.account"))
