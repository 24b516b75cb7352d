"""Passwords and TOTP secrets: the only code that reads or writes ``core_credential``.

The table is granted to nobody, so no user session can select a hash. These
functions run Core statements on the caller's connection: inside the
caller's transaction, without going through the ORM access checks. Callers
decide who may set whose password (an administrator, or the user themself).
"""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from core.models import Credential, RecoveryCode

from .passwords import hash_password, verify_password

_credentials = Credential.__table__
_codes = RecoveryCode.__table__
RECOVERY_CODES = 10


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
