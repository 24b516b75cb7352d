"""API keys: made for a user, shown once, kept as a SHA-256 digest, with scopes, an expiry and revocation.

A key reads ``btg_<prefix>_<secret>``: the prefix is public (it tells keys apart in lists), the secret 256 random
bits, so a fast digest is enough to keep it (no password to stretch). A key acts exactly as its user: their
groups, record rules and companies; its scopes can only narrow that:

- ``read`` / ``write``: every installed addon's records;
- ``<addon>:read`` / ``<addon>:write`` (``crm:read``): that addon's only;
- ``write`` implies ``read`` for the same addons.

Services take the acting session, as every service does: a user manages their own keys, an administrator
anyone's; the rows themselves are written in a system session inside that transaction (no user is granted the
table), and creation and revocation go to the security log.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import utcnow
from core.errors import AccessDenied, ValidationError
from core.models import ApiKey, User
from core.plugin_manager import CORE
from core.security.actor import ADMIN_GROUP
from core.security.events import log_event
from core.sessions import system_rows

KEY_START = "btg_"
OPERATIONS = ("read", "write")


def scope_choices(registry) -> list[str]:
    """Every scope a key may hold with the installed addons: ``read``, ``write``, then per addon."""
    return [*OPERATIONS, *(f"{addon}:{operation}" for addon in (CORE, *registry.installed)
                           for operation in OPERATIONS)]


def create_key(session: Session, user: User, *, name: str, scopes, expires_at: dt.datetime | None = None
               ) -> tuple[ApiKey, str]:
    """A new key of ``user`` and its secret, which is shown once and never kept."""
    _require_owner_or_admin(session, user)
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = gettext("Give the key a name that says where it is used.")
    elif len(name) > 120:
        errors["name"] = gettext("At most %(count)s characters.", count=120)
    known = scope_choices(session.info["registry"])
    scopes = sorted(set(scopes or ()))
    unknown = [scope for scope in scopes if scope not in known]
    if not scopes or unknown:
        errors["scopes"] = gettext("Choose one or more of: %(scopes)s.", scopes=", ".join(known))
    if expires_at is not None and expires_at <= utcnow():
        errors["expires_at"] = gettext("The expiry must be in the future.")
    if errors:
        first = next(iter(errors))
        raise ValidationError(errors[first], first, errors)
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    raw = f"{KEY_START}{prefix}_{secret}"
    with system_rows(session) as system:
        key = ApiKey(user_id=user.id, name=name, prefix=prefix, secret_hash=digest(raw), scopes=scopes,
                     expires_at=expires_at)
        system.add(key)
        system.flush()
        log_event(system, "api_key_created", user_id=_actor_id(session), login=user.login,
                  detail=f"{name} ({prefix}): {' '.join(scopes)}")
    return key, raw


def revoke_key(session: Session, key_id: int) -> ApiKey:
    """Revoke a key of the acting user (an administrator: anyone's); it is refused from then on."""
    with system_rows(session) as system:
        key = system.get(ApiKey, key_id)
        owner = system.get(User, key.user_id) if key is not None else None
        if key is None or not _may_manage(session, owner):
            raise AccessDenied(gettext("No such API key, or it is not yours."))
        if key.revoked_at is None:
            key.revoked_at = utcnow()
            log_event(system, "api_key_revoked", user_id=_actor_id(session), login=owner.login,
                      detail=f"{key.name} ({key.prefix})")
        system.flush()
    return key


def keys_of(session: Session, user: User) -> list[ApiKey]:
    """``user``'s keys, newest first (never their secrets)."""
    _require_owner_or_admin(session, user)
    with system_rows(session) as system:
        keys = list(system.scalars(select(ApiKey).where(ApiKey.user_id == user.id).order_by(ApiKey.id.desc())))
        system.expunge_all()
    return keys


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def find_key(system: Session, raw: str) -> ApiKey | None:
    """The stored key ``raw`` is the secret of (whatever its state), or None; compared in constant time."""
    if not raw.startswith(KEY_START) or len(raw) > 100:
        return None
    prefix = raw[len(KEY_START):].partition("_")[0]
    key = system.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).first()
    if key is None or not hmac.compare_digest(key.secret_hash, digest(raw)):
        return None
    return key


def is_usable(key: ApiKey, now: dt.datetime | None = None) -> bool:
    now = now or utcnow()
    return key.revoked_at is None and (key.expires_at is None or key.expires_at > now)


def allows(key: ApiKey, addon: str, operation: str) -> bool:
    """Whether ``key``'s scopes let it ``operation`` (read, write) records of ``addon``."""
    wanted = ("read", "write") if operation == "read" else ("write",)
    return any(scope in key.scopes for kind in wanted for scope in (kind, f"{addon}:{kind}"))


def _actor_id(session: Session) -> int | None:
    actor = session.info.get("actor")
    return actor.user_id if actor is not None else None


def _may_manage(session: Session, user: User | None) -> bool:
    actor = session.info.get("actor")
    return user is not None and (actor is None or actor.user_id == user.id or actor.in_group(ADMIN_GROUP))


def _require_owner_or_admin(session: Session, user: User) -> None:
    if not _may_manage(session, user):
        raise AccessDenied(gettext("Only the user or an administrator manages a user's API keys."))
