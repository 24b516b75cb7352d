"""Request rate limits (Flask-Limiter) on storage every worker shares.

``[server] ratelimit_storage`` picks where the counters live: ``"database"``
(the default: the ``core_rate_limit`` table of the installation's own
database, so SQLite with several ``bottega serve`` workers needs no other
server), ``"redis://..."``, or ``"memory://"`` (one process only: each
worker would count apart, so ``bottega serve`` refuses it with more than one
worker). The login throttle (:mod:`core.security.throttle`) counts on the
same storage.
"""
from __future__ import annotations

import hashlib
import time

from flask import current_app, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import Storage
from sqlalchemy import case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from core.models import RateLimitCounter

DATABASE = "database"
DATABASE_URI = "bottega+database://"
MAX_KEY_LENGTH = 200
_counters = RateLimitCounter.__table__


def storage_uri(configured: str) -> str:
    """The ``limits`` storage URI for ``[server] ratelimit_storage``."""
    return DATABASE_URI if configured == DATABASE else configured


class DatabaseStorage(Storage):
    """Fixed-window counters in ``core_rate_limit``, in the database of the app serving the request.

    Each increment is one atomic upsert (``INSERT ... ON CONFLICT DO
    UPDATE ... RETURNING``, on SQLite and PostgreSQL alike) in a transaction
    of its own, so workers and threads never lose a count.
    """

    STORAGE_SCHEME = ["bottega+database"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions)

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    @property
    def engine(self):
        return current_app.extensions["bottega"].engine

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        engine = self.engine
        dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        expired = _counters.c.expires_at <= now
        statement = dialect.insert(_counters).values(key=_short(key), count=amount, expires_at=now + expiry)
        statement = statement.on_conflict_do_update(
            index_elements=[_counters.c.key],
            set_={"count": case((expired, amount), else_=_counters.c.count + amount),
                  "expires_at": case((expired, now + expiry), else_=_counters.c.expires_at)},
        ).returning(_counters.c.count)
        with engine.begin() as connection:
            return connection.execute(statement).scalar_one()

    def get(self, key: str) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(_counters.c.count).where(
                _counters.c.key == _short(key), _counters.c.expires_at > time.time())).scalar() or 0

    def get_expiry(self, key: str) -> float:
        with self.engine.connect() as connection:
            expiry = connection.execute(select(_counters.c.expires_at).where(_counters.c.key == _short(key))).scalar()
        return expiry if expiry is not None else time.time()

    def check(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(select(1))
            return True
        except SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        with self.engine.begin() as connection:
            return connection.execute(delete(_counters)).rowcount

    def clear(self, key: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(_counters).where(_counters.c.key == _short(key)))


def _short(key: str) -> str:
    """Keys fit the column: a long one (a long login, say) is replaced by its digest."""
    if len(key) <= MAX_KEY_LENGTH:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def pending_login_key() -> str:
    """Attempts at the second factor of one pending login."""
    return f"2fa|{session.get('pending_user_id')}"


limiter = Limiter(key_func=get_remote_address, default_limits=[])
