"""The JSON API's tables: users' API keys and the answers kept for idempotent retries."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, intpk, str120, utcnow


class ApiKey(Base):
    """A user's key to the JSON API; the secret itself is never stored, only its SHA-256 digest.

    Written only by :mod:`core.api.keys` (in a system session, after checking the user acts on their own keys
    or is an administrator). ``prefix`` is the key's public start, shown in lists to tell keys apart.
    """

    __tablename__ = "core_api_key"
    __audit__ = False  # creation and revocation go to the security log

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), index=True)
    name: Mapped[str120]
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    last_used_at: Mapped[dt.datetime | None]


class IdempotentRequest(Base):
    """The answer to a creating API request sent with an ``Idempotency-Key``, kept for its retries.

    Written only by :mod:`core.api.idempotency`, per user and key, until ``expires_at``.
    """

    __tablename__ = "core_api_idempotency"
    __audit__ = False
    __table_args__ = (UniqueConstraint("user_id", "key"), Index("ix_core_api_idempotency_expires_at", "expires_at"))

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[dt.datetime]
