"""*Settings → Security log*: what administrators filter by (:class:`LogFilter`) and the events' labels.

The pages themselves are in core.web.admin, with the other settings pages.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import request
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from core.errors import ValidationError
from core.models import SecurityEvent, User
from core.security.events import KINDS
from core.web.inputs import user_date

KIND_LABELS = {
    "login_succeeded": _l("Login"),
    "login_failed": _l("Failed login"),
    "login_throttled": _l("Login attempts held back"),
    "logout": _l("Logout"),
    "reauthenticated": _l("Identity confirmed"),
    "reauthentication_failed": _l("Identity not confirmed"),
    "password_changed": _l("Password changed"),
    "two_factor_enabled": _l("Two-factor authentication on"),
    "two_factor_disabled": _l("Two-factor authentication off"),
    "recovery_code_used": _l("Recovery code used"),
    "sessions_ended": _l("Sessions ended"),
    "user_created": _l("User created"),
    "user_changed": _l("User's access changed"),
    "group_changed": _l("Group changed"),
    "lock_date_changed": _l("Lock date changed"),
    "company_iban_changed": _l("Company bank account changed"),
    "addon_installed": _l("Addon installed"),
    "addon_uninstalled": _l("Addon uninstalled"),
    "api_key_created": _l("API key created"),
    "api_key_revoked": _l("API key revoked"),
}


@dataclass
class LogFilter:
    """What the administrator asked for: a kind, a login (who acted or was tried), a date range."""

    kind: str | None
    user: str
    since: dt.date | None
    until: dt.date | None
    errors: list[str]
    page: int = 1

    @classmethod
    def from_request(cls) -> LogFilter:
        args, errors = request.args, []
        kind = args.get("kind") or None
        if kind not in KINDS:
            kind = None
        dates = {}
        for name in ("since", "until"):
            raw = args.get(name, "").strip()
            try:
                dates[name] = user_date(raw, name) if raw else None
            except ValidationError as refused:
                dates[name] = None
                errors.append(str(refused))
        return cls(kind, args.get("user", "").strip()[:120], dates["since"], dates["until"], errors,
                   max(args.get("page", 1, type=int) or 1, 1))

    def conditions(self) -> list:
        conditions = []
        if self.kind:
            conditions.append(SecurityEvent.kind == self.kind)
        if self.user:
            pattern = "%" + self.user.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            conditions.append(or_(SecurityEvent.login.ilike(pattern, escape="\\"), User.login.ilike(pattern, escape="\\")))
        if self.since:
            conditions.append(SecurityEvent.at >= dt.datetime.combine(self.since, dt.time()))
        if self.until:
            conditions.append(SecurityEvent.at < dt.datetime.combine(self.until + dt.timedelta(days=1), dt.time()))
        return conditions

    def query_args(self, **changes) -> dict:
        values = {"kind": self.kind, "user": self.user or None,
                  "since": self.since.isoformat() if self.since else None,
                  "until": self.until.isoformat() if self.until else None, "page": self.page if self.page > 1 else None}
        values.update(changes)
        return {key: value for key, value in values.items() if value is not None}


def security_events(chosen: LogFilter):
    """The events ``chosen`` asks for, each with the login of the user who acted."""
    return (select(SecurityEvent, User.login.label("user_login"))
            .outerjoin(User, User.id == SecurityEvent.user_id).where(*chosen.conditions()))
