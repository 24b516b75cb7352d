"""The Flask application: one per set of installed addons.

:func:`build_app` makes a Flask app for a registry: the core's blueprints,
then, for each installed addon, one blueprint named after it with its own
pages and its generic views. :class:`Dispatcher` is the WSGI entry point: it
notices when the installed addons change (a cheap query per request, so
several stateless workers stay in step) and builds a new app for them, so an
addon installed from the web UI, the CLI or another worker has its routes at
once, and an uninstalled addon has none.
"""
from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, g, redirect, request, session, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_wtf.csrf import CSRFProtect
from heroicons.jinja import heroicon_outline
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader
from sqlalchemy import Engine, select
from sqlalchemy.orm import sessionmaker
from werkzeug.middleware.proxy_fix import ProxyFix

from core import api, encrypted_columns
from core.catalog import Catalog
from core.config import Config
from core.errors import AccessDenied, AddonError
from core.lifecycle import Lifecycle
from core.models import AddonState
from core.registry import CORE, Registry
from core.security import actor_session, credentials
from core.security.actor import actor_of, allowed_companies
from core.security.throttle import LoginPolicy
from core.sessions import make_session_factory

from . import (analysis_pages, api_key_pages, auth, chatter, enrolment, errors, i18n, login_sessions, palette,
               reauth, saved_filter_pages, shell, task_pages, webhook_pages)
from .context import CSRF_EXEMPT_ATTRIBUTE, PUBLIC_ATTRIBUTE
from .limiter import limiter, storage_uri
from .pickers import date_input, picker_texts
from .views import mount

WEB_DIR = Path(__file__).resolve().parent
log = logging.getLogger("bottega.web")
CORE_URL_PREFIX = "/settings"
SESSION_LIFETIME = dt.timedelta(hours=12)  # the absolute end of a login; [security] session_idle_minutes ends it earlier
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
                           "form-action 'self'")
HSTS = "max-age=31536000; includeSubDomains"


@dataclass
class WebState:
    """What every request needs; one per app build, shared by its requests."""

    config: Config
    catalog: Catalog
    engine: Engine
    registry: Registry
    session_factory: sessionmaker
    addons_changed: Callable[[], None] = lambda: None  # tells the Dispatcher to look again at once

    def lifecycle(self) -> Lifecycle:
        return Lifecycle(self.engine, self.catalog)


def build_app(state: WebState) -> Flask:
    app = Flask(__name__, static_folder=str(WEB_DIR / "static"), static_url_path="/static/core",
                template_folder=None)
    enrolment.check_required_groups(state.config, state.catalog)
    _configure(app, state)
    app.extensions["bottega"] = state
    app.before_request(_refuse_too_large)  # before the CSRF check, which would read the body and miss its token
    csrf = CSRFProtect(app)
    i18n.init_app(app, state)
    limiter.init_app(app)
    app.jinja_loader = _template_loader(state)
    app.jinja_env.globals.update(format_date=format_date, format_datetime=format_datetime, get_locale=get_locale,
                                  heroicon_outline=heroicon_outline, picker_texts=picker_texts,
                                  date_input=date_input,
                                  search_options=analysis_pages.search_options,
                                  saved_filter_options=saved_filter_pages.Options)
    for blueprint in (auth.blueprint, reauth.blueprint, login_sessions.blueprint, api_key_pages.blueprint,
                      shell.blueprint, task_pages.blueprint, palette.blueprint, chatter.blueprint,
                      webhook_pages.blueprint):
        app.register_blueprint(blueprint)
    _register_addon_blueprints(app, state.registry)
    api.init_app(app, csrf)
    for endpoint, function in app.view_functions.items():
        if getattr(function, CSRF_EXEMPT_ATTRIBUTE, False):
            if not getattr(function, PUBLIC_ATTRIBUTE, False):
                raise AddonError(f"{endpoint}: only a public endpoint may accept posts from other sites")
            csrf.exempt(function)
    errors.init_app(app)
    app.before_request(_refuse_nul_bytes)
    app.before_request(_authenticate)
    app.before_request(enrolment.send_to_enrolment)
    app.before_request(reauth.ask_again)
    app.after_request(_security_headers)
    app.teardown_request(_close_sessions)
    proxies = state.config.get("server", "trusted_proxies")
    if proxies:  # the client's address and scheme as the trusted proxies in front report them
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    return app


def _is_static(endpoint: str | None) -> bool:
    return endpoint == "static" or (endpoint or "").endswith(".static")


def _refuse_too_large():
    """A body announced larger than the app takes is refused at once, unread, with a 413 that says so."""
    if (request.content_length or 0) > current_app.config["MAX_CONTENT_LENGTH"]:
        abort(413)


def _refuse_nul_bytes():
    """A NUL character is never valid input (and PostgreSQL refuses it in text): say so at once."""
    values = [*request.args.values(), *request.args.keys()]
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        values += [*request.form.values(), *request.form.keys()]
    if any("\x00" in value for value in values):
        abort(400)


def _security_headers(response):
    function = current_app.view_functions.get(request.endpoint or "")
    embeddable = getattr(function, CSRF_EXEMPT_ATTRIBUTE, False)  # a web-to-lead form lives in other sites
    if embeddable:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    else:
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY + "; frame-ancestors 'none'")
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if not _is_static(request.endpoint):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _configure(app: Flask, state: WebState) -> None:
    server = state.config.values["server"]
    app.config.update(
        SECRET_KEY=server["secret_key"] or _instance_secret(),
        SESSION_COOKIE_NAME="bottega_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=server["https"],
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        MAX_CONTENT_LENGTH=32 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        RATELIMIT_STORAGE_URI=storage_uri(server["ratelimit_storage"]),
        RATELIMIT_STRATEGY="fixed-window",
        RATELIMIT_HEADERS_ENABLED=True,
        BOTTEGA_LOGIN_POLICY=LoginPolicy(),
    )


def _instance_secret() -> str:
    """A per-installation secret kept in instance/, for development without one configured."""
    path = Path("instance/secret_key")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _template_loader(state: WebState) -> ChoiceLoader:
    """Addon templates first (most dependent addon wins), then the core's.

    An addon overrides a core template by shipping the same path, and can
    still extend the original as ``"default:core/base.html"``.
    """
    core = FileSystemLoader(str(WEB_DIR / "templates"))
    loaders = []
    for name in reversed(state.registry.installed):
        folder = state.catalog[name].package_dir and state.catalog[name].package_dir / "templates"
        if folder and folder.is_dir():
            loaders.append(FileSystemLoader(str(folder)))
    return ChoiceLoader([*loaders, core, PrefixLoader({"default": core}, delimiter=":")])


def _register_addon_blueprints(app: Flask, registry: Registry) -> None:
    """One blueprint per addon, named after it, with its own pages and its generic views.

    The blueprint is the one the addon returns from ``register_blueprints``
    (at most one, named exactly after the addon) or, for an addon with only
    generic views, an empty one made here. It is mounted at ``/<addon>``
    (the core's at ``/settings``), then the addon's views are added to it, so
    every endpoint of an addon reads ``<addon>.<name>``.
    """
    views: dict[str, list] = {}
    for impl in registry.hook.register_views.get_hookimpls():
        views.setdefault(impl.plugin_name, []).extend(impl.function() or ())
    own = {}
    for impl in registry.hook.register_blueprints.get_hookimpls():
        blueprints = list(impl.function() or ())
        if len(blueprints) > 1 or any(blueprint.name != impl.plugin_name for blueprint in blueprints):
            names = ", ".join(repr(blueprint.name) for blueprint in blueprints)
            raise AddonError(f"addon {impl.plugin_name}: register_blueprints returned {names}; an addon has one "
                             f"blueprint, named {impl.plugin_name!r}")
        if blueprints:
            own[impl.plugin_name] = blueprints[0]
    for addon in (CORE, *registry.installed):
        if addon not in own and addon not in views:
            continue
        blueprint = own.get(addon) or Blueprint(addon, __name__)
        options = {"url_prefix": CORE_URL_PREFIX if addon == CORE else f"/{addon}"}
        app.register_blueprint(blueprint, **options)
        state = blueprint.make_setup_state(app, options)  # adds routes to the app under the blueprint's name
        for view in views.get(addon, ()):
            view.addon = addon
            mount(view, state)


def _authenticate():
    """Load the logged-in user as an actor and open their session; send anonymous visitors to login."""
    from .context import state as web_state

    state = web_state()
    g.actor = None
    g.db = None
    if _is_static(request.endpoint) or request.blueprint == "api":  # the API takes keys (core.api.auth)
        return None
    if session.get("user_id") is not None:
        login = _logged_in(state)
        if login is None:
            session.clear()
        else:
            g.user, g.companies, g.actor = login
            g.db = actor_session(state.session_factory, state.registry, g.actor)
    if g.actor is None and request.endpoint is not None:
        function = current_app.view_functions.get(request.endpoint)
        if not getattr(function, PUBLIC_ATTRIBUTE, False):
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return None


def _logged_in(state: WebState) -> tuple | None:
    """The cookie's user, their allowed companies and their actor, checked afresh on every request.

    The login holds while the user is active, the cookie's stamp matches
    their password and 2FA, and its server-side session is open and not
    idle. One short transaction of four statements: the login session with
    its user's stamp, the user, their companies, their groups.
    """
    user_id = session["user_id"]
    idle = dt.timedelta(minutes=state.config.get("security", "session_idle_minutes")) or None
    with state.session_factory() as system:
        resumed = credentials.resume_login_session(system, session.get("sid"), idle)
        if resumed is None or resumed[0] != user_id or session.get("stamp") != auth.stamp_of(*resumed):
            return None
        user = system.get(auth.User, user_id)
        if user is None or not user.active:
            return None
        companies = allowed_companies(system, user)
        try:
            actor = actor_of(system, state.registry, user, {company.id for company in companies},
                             session.get("company_ids"))
        except AccessDenied:
            return None
    return user, companies, actor


def _close_sessions(_exc):
    for name in ("system_db", "db"):  # reverse of opening order (nested savepoints in tests)
        opened = g.pop(name, None)
        if opened is not None:
            opened.close()


class Dispatcher:
    """WSGI entry point that rebuilds the Flask app when the installed addons change.

    The installed-addon fingerprint is read at most every ``CHECK_SECONDS``.
    If a rebuild fails, the last good app keeps serving (the failure is
    logged) and the rebuild is tried again after ``RETRY_SECONDS``.
    """

    CHECK_SECONDS = 2.0
    RETRY_SECONDS = 30.0

    def __init__(self, config: Config, catalog: Catalog, engine: Engine, session_factory=None):
        self.config = config
        self.catalog = catalog
        self.engine = engine
        self.session_factory = session_factory or make_session_factory(engine)
        self._lock = threading.Lock()
        self._fingerprint = None
        self._checked_at = 0.0
        self._failed: tuple | None = None
        self._app: Flask | None = None

    def _installed_state(self) -> tuple:
        with self.session_factory() as session:
            return tuple(session.execute(
                select(AddonState.name, AddonState.version, AddonState.state).order_by(AddonState.name)
            ).all())

    def current(self) -> Flask:
        now = time.monotonic()
        if self._app is not None and now - self._checked_at < self.CHECK_SECONDS:
            return self._app
        with self._lock:
            if self._app is not None and now - self._checked_at < self.CHECK_SECONDS:
                return self._app
            fingerprint = self._installed_state()
            self._checked_at = now
            if fingerprint == self._fingerprint:
                return self._app
            if self._failed and self._failed[0] == fingerprint and now - self._failed[1] < self.RETRY_SECONDS:
                return self._app
            try:
                registry = Lifecycle(self.engine, self.catalog).registry()
                with self.engine.connect() as connection:
                    encrypted_columns.check_keys(connection, registry.models)
                self._app = build_app(WebState(self.config, self.catalog, self.engine, registry,
                                               self.session_factory, self.addons_changed))
                self._fingerprint = fingerprint
                self._failed = None
            except Exception:
                if self._app is None:
                    raise
                log.exception("cannot build the web app for the installed addons; serving the previous one")
                self._failed = (fingerprint, now)
            return self._app

    def addons_changed(self) -> None:
        self._checked_at = 0.0

    def __call__(self, environ, start_response):
        return self.current()(environ, start_response)
