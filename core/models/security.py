"""The security log and the shared rate-limit counters."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, intpk, str40, utcnow


class SecurityEvent(Base):
    """One event of the security log: a login, a throttled attempt, a credential, role or lock-date change.

    Written only by :func:`core.security.log_event`; administrators read it
    under *Settings → Security log*. ``user_id`` is who acted (or who logged
    in); ``login`` the login tried or the account concerned.
    """

    __tablename__ = "core_security_event"
    __audit__ = False

    id: Mapped[intpk]
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    kind: Mapped[str40] = mapped_column(index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id", ondelete="SET NULL"), index=True)
    login: Mapped[str | None] = mapped_column(String(120))
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None]
    detail: Mapped[str | None] = mapped_column(String(1000))


class RateLimitCounter(Base):
    """A fixed-window counter of :class:`core.web.limiter.DatabaseStorage`, shared by every worker.

    Granted to nobody: only that storage reads and writes it. ``expires_at``
    is a Unix time, as the ``limits`` library counts.
    """

    __tablename__ = "core_rate_limit"
    __audit__ = False

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int]
    expires_at: Mapped[float] = mapped_column(Float, index=True)
