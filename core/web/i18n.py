"""Languages (Flask-Babel): English, Spanish and Italian, chosen per user.

The user's own language wins; before login, the language picked on the login
page, then the browser's. Money, dates and numbers are formatted for that
locale. Each installed addon may ship ``translations/`` of its own.
"""
from __future__ import annotations

from pathlib import Path

from flask import g, request, session
from flask_babel import Babel, format_currency, format_decimal, get_locale

from core.languages import CODES, LANGUAGES  # noqa: F401 (LANGUAGES: the pages' language choices)

TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def select_locale() -> str:
    user = g.get("user")
    if user is not None and user.lang in CODES:
        return user.lang
    if session.get("lang") in CODES:
        return session["lang"]
    return request.accept_languages.best_match(CODES) or "en"


def select_timezone() -> str | None:
    """The logged-in user's time zone (None: Flask-Babel's default, UTC)."""
    user = g.get("user")
    return user.timezone if user is not None and user.timezone else None


def money(value, currency: str = "EUR") -> str:
    return "" if value is None else format_currency(value, currency)


def record_currency(record) -> str:
    """The currency of ``record``'s amounts: its own ``currency_code``, else its company's (else the user's)."""
    own = getattr(record, "currency_code", None)
    if isinstance(own, str) and own:
        return own
    from core.models import Company

    from .context import current_actor, system_session

    company_id = getattr(record, "company_id", None) or current_actor().company_id
    return system_session().get(Company, company_id).currency_code


def country_name(code: str) -> str:
    """A country's name in the user's language ("ES" reads "España" in Spanish), or the code when unknown."""
    return get_locale().territories.get(code, code)


def init_app(app, state) -> None:
    folders = [str(TRANSLATIONS)]
    for name in state.registry.installed:
        package = state.catalog[name].package_dir
        if package is not None and (package / "translations").is_dir():
            folders.append(str(package / "translations"))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(folders)
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    Babel(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["number"] = format_decimal
