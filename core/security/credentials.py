"""Passwords and TOTP secrets: the only code that reads or writes ``core_credential``.

The table is granted to nobody, so no user session can select a hash. These
functions run Core statements on the caller's connection: inside the
caller's transaction, without going through the ORM access checks. Callers
decide who may set whose password (an administrator, or the user themself).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time

import pyotp

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from core.db import utcnow
from core.models import Credential, LoginSession, RecoveryCode

from .passwords import hash_password, verify_password

_credentials = Credential.__table__
_codes = RecoveryCode.__table__
_sessions = LoginSession.__table__
RECOVERY_CODES = 10
TOTP_STEP_SECONDS = 30


def _row(session: Session, user_id: int):
    return session.connection().execute(
        select(_credentials).where(_credentials.c.user_id == user_id)
    ).first()


def _upsert(session: Session, user_id: int, **values) -> None:
    connection = session.connection()
    if _row(session, user_id) is None:
        connection.execute(insert(_credentials).values(user_id=user_id, **values))
    else:
        connection.execute(update(_credentials).where(_credentials.c.user_id == user_id).values(**values))


def set_password(session: Session, user_id: int, password: str) -> None:
    _upsert(session, user_id, password_hash=hash_password(password))


def check_password(session: Session, user_id: int, password: str) -> bool:
    row = _row(session, user_id)
    return row is not None and verify_password(row.password_hash, password)


def totp_secret(session: Session, user_id: int) -> str | None:
    row = _row(session, user_id)
    return row.totp_secret if row else None


def stamp_material(session: Session, user_id: int) -> str:
    """What a login session is bound to: changing the password or 2FA ends other sessions."""
    row = _row(session, user_id)
    return f"{row.password_hash}|{row.totp_secret}" if row else ""


def enable_totp(session: Session, user_id: int, secret: str) -> list[str]:
    """Store the TOTP secret and return fresh recovery codes (only their hashes are kept)."""
    _upsert(session, user_id, totp_secret=secret)
    connection = session.connection()
    connection.execute(delete(_codes).where(_codes.c.user_id == user_id))
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    connection.execute(insert(_codes), [{"user_id": user_id, "code_hash": _digest(c), "used": False} for c in codes])
    return codes


def disable_totp(session: Session, user_id: int) -> None:
    _upsert(session, user_id, totp_secret=None)
    session.connection().execute(delete(_codes).where(_codes.c.user_id == user_id))


def use_recovery_code(session: Session, user_id: int, code: str) -> bool:
    result = session.connection().execute(
        update(_codes)
        .where(_codes.c.user_id == user_id, _codes.c.code_hash == _digest(code), _codes.c.used.is_(False))
        .values(used=True)
    )
    return result.rowcount == 1


def _digest(code: str) -> str:
    return hashlib.sha256(code.strip().lower().encode()).hexdigest()


def use_totp_code(session: Session, user_id: int, code: str, now: float | None = None) -> bool:
    """Accept a current TOTP code (one step of clock drift either way), each code only once."""
    secret = totp_secret(session, user_id)
    if not secret or not code.isdigit():
        return False
    now = time.time() if now is None else now
    totp = pyotp.TOTP(secret)
    step = int(now // TOTP_STEP_SECONDS)
    last = _row(session, user_id).totp_last_step or -1
    for candidate in (step - 1, step, step + 1):
        if candidate > last and secrets.compare_digest(totp.at(candidate * TOTP_STEP_SECONDS), code):
            _upsert(session, user_id, totp_last_step=candidate)
            return True
    return False


def open_login_session(session: Session, user_id: int, lifetime: dt.timedelta) -> str:
    """Record a new logged-in browser; returns the token its cookie carries."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.connection().execute(insert(_sessions).values(user_id=user_id, token_hash=_digest(token),
                                                         created_at=now, expires_at=now + lifetime))
    return token


def login_session_user(session: Session, token: str | None) -> int | None:
    """The user a session token belongs to, while it is valid."""
    if not token:
        return None
    return session.connection().execute(
        select(_sessions.c.user_id).where(_sessions.c.token_hash == _digest(token), _sessions.c.expires_at > utcnow())
    ).scalar()


def close_login_session(session: Session, token: str | None) -> None:
    if token:
        session.connection().execute(delete(_sessions).where(_sessions.c.token_hash == _digest(token)))


def close_other_login_sessions(session: Session, user_id: int, keep: str | None = None) -> None:
    """End every other browser of ``user_id`` (after a password or 2FA change), and expired ones."""
    statement = delete(_sessions).where((_sessions.c.user_id == user_id) | (_sessions.c.expires_at <= utcnow()))
    if keep:
        statement = statement.where(_sessions.c.token_hash != _digest(keep))
    session.connection().execute(statement)
