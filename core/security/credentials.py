"""Passwords, TOTP secrets and login sessions: the only code that reads or writes them.

``core_credential``, ``core_recovery_code`` and ``core_login_session`` are
granted to nobody, so no user session can select a hash. These functions run
Core statements on the caller's connection: inside the caller's transaction,
without going through the ORM access checks. Callers decide who may set whose
password (an administrator, or the user themself), after
:func:`core.security.password_policy.check_password_policy`.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
import time

import pyotp

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from core.db import utcnow
from core.models import Credential, LoginSession, RecoveryCode, User

from .passwords import hash_password, verify_password

_credentials = Credential.__table__
_codes = RecoveryCode.__table__
_sessions = LoginSession.__table__
_users = User.__table__
RECOVERY_CODES = 10
TOTP_STEP_SECONDS = 30
SEEN_EVERY = dt.timedelta(minutes=1)  # how often a busy session's last_seen_at is written


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
    """Whether ``password`` is the user's (a user without one spends the same time and fails)."""
    row = _row(session, user_id)
    stored = row.password_hash if row else None
    return verify_password(stored or _dummy_hash(), password) and bool(stored)


def check_login(session: Session, login: str, password: str) -> int | None:
    """The id of the active user with this login and password, else None.

    Exactly one Argon2 verification runs whatever the account's state
    (unknown, archived, without a password), so the time a wrong attempt
    takes tells nothing about the login.
    """
    row = session.connection().execute(
        select(_users.c.id, _users.c.active, _credentials.c.password_hash)
        .select_from(_users.outerjoin(_credentials, _credentials.c.user_id == _users.c.id))
        .where(_users.c.login == login)
    ).first()
    usable = row is not None and row.active and bool(row.password_hash)
    verified = verify_password(row.password_hash if usable else _dummy_hash(), password)
    return row.id if usable and verified else None


@functools.cache
def _dummy_hash() -> str:
    return hash_password("not a password: spends a real check's time on logins that cannot succeed")


def totp_secret(session: Session, user_id: int) -> str | None:
    row = _row(session, user_id)
    return row.totp_secret if row else None


def stamp_material(session: Session, user_id: int) -> str:
    """What a login session is bound to: changing the password or 2FA ends other sessions."""
    row = _row(session, user_id)
    return _material(row.password_hash, row.totp_secret) if row else ""


def _material(password_hash: str | None, totp_secret: str | None) -> str:
    return f"{password_hash}|{totp_secret}"


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


def open_login_session(session: Session, user_id: int, lifetime: dt.timedelta, ip: str | None = None,
                       user_agent: str | None = None) -> str:
    """Record a new logged-in browser; returns the token its cookie carries."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.connection().execute(insert(_sessions).values(
        user_id=user_id, token_hash=_digest(token), created_at=now, expires_at=now + lifetime, last_seen_at=now,
        ip=(ip or None) and ip[:45], user_agent=(user_agent or None) and user_agent[:255]))
    return token


def resume_login_session(session: Session, token: str | None,
                         idle: dt.timedelta | None = None) -> tuple[int, str] | None:
    """The user a session token belongs to and their :func:`stamp_material`, while the session is neither
    expired nor idle for ``idle`` (one query).

    Notes the visit at most every :data:`SEEN_EVERY` (a busy user does not
    write on every page), in a transaction of its own: the session's
    transaction is committed first, since on SQLite a transaction that has
    read may not write once another connection has.
    """
    if not token:
        return None
    now = utcnow()
    valid = (_sessions.c.token_hash == _digest(token)) & (_sessions.c.expires_at > now)
    if idle:
        valid &= _sessions.c.last_seen_at > now - idle
    row = session.connection().execute(
        select(_sessions.c.id, _sessions.c.user_id, _sessions.c.last_seen_at, _credentials.c.user_id.label("held"),
               _credentials.c.password_hash, _credentials.c.totp_secret)
        .select_from(_sessions.outerjoin(_credentials, _credentials.c.user_id == _sessions.c.user_id))
        .where(valid)).first()
    if row is None:
        return None
    if row.last_seen_at <= now - SEEN_EVERY:
        session.commit()
        session.connection().execute(update(_sessions).where(_sessions.c.id == row.id).values(last_seen_at=now))
        session.commit()
    return row.user_id, _material(row.password_hash, row.totp_secret) if row.held is not None else ""


def login_sessions(session: Session, user_id: int, current_token: str | None) -> list[dict]:
    """The user's open sessions, most recently seen first; ``current`` marks the one of ``current_token``."""
    current = _digest(current_token) if current_token else None
    rows = session.connection().execute(
        select(_sessions.c.id, _sessions.c.token_hash, _sessions.c.created_at, _sessions.c.last_seen_at,
               _sessions.c.ip, _sessions.c.user_agent)
        .where(_sessions.c.user_id == user_id, _sessions.c.expires_at > utcnow())
        .order_by(_sessions.c.last_seen_at.desc(), _sessions.c.id.desc())
    ).all()
    return [{"id": row.id, "created_at": row.created_at, "last_seen_at": row.last_seen_at, "ip": row.ip,
             "user_agent": row.user_agent, "current": row.token_hash == current} for row in rows]


def close_login_session_of(session: Session, user_id: int, session_id: int) -> bool:
    """End one of ``user_id``'s sessions by its id; False if it is not theirs (or already ended)."""
    result = session.connection().execute(
        delete(_sessions).where(_sessions.c.id == session_id, _sessions.c.user_id == user_id))
    return result.rowcount == 1


def close_login_session(session: Session, token: str | None) -> None:
    if token:
        session.connection().execute(delete(_sessions).where(_sessions.c.token_hash == _digest(token)))


def close_other_login_sessions(session: Session, user_id: int, keep: str | None = None) -> int:
    """End every other browser of ``user_id`` (after a password or 2FA change, or on request); return how many."""
    statement = delete(_sessions).where(_sessions.c.user_id == user_id)
    if keep:
        statement = statement.where(_sessions.c.token_hash != _digest(keep))
    return session.connection().execute(statement).rowcount


def close_stale_login_sessions(session: Session, idle: dt.timedelta | None = None) -> int:
    """Forget sessions past their end, or idle for ``idle`` (housekeeping); return how many."""
    now = utcnow()
    stale = _sessions.c.expires_at <= now
    if idle:
        stale |= _sessions.c.last_seen_at <= now - idle
    return session.connection().execute(delete(_sessions).where(stale)).rowcount
