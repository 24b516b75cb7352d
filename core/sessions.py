"""Session factories: every session Bottega opens has access enforcement, the audit log and column bounds.

Open a session acting as a user with :func:`core.security.actor_session`;
a session without an actor is a system session (lifecycle, migrations,
back-office jobs) and is not restricted.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from core.audit import install_audit
from core.bounds import install_bounds
from core.db import install_batch_ids, install_known_nulls
from core.errors import AccessDenied
from core.security.enforcement import actor_session, install_enforcement
from core.transaction_cache import install_transaction_cache
from core.validation import install_validation


class BottegaSession(Session):
    """A session whose legacy bulk methods are refused when it acts for a user.

    ``bulk_save_objects``, ``bulk_insert_mappings`` and ``bulk_update_mappings``
    write without a flush, so without access checks, record rules or the audit
    log. A system session may still use them.
    """

    def _refuse_bulk(self, method: str) -> None:
        actor = self.info.get("actor")
        if actor is not None:
            raise AccessDenied(
                f"access denied: {actor.login} may not use Session.{method}() in a user session; "
                "add or change objects and flush, where access, record rules and the audit log apply"
            )

    def bulk_save_objects(self, *args, **kwargs):
        self._refuse_bulk("bulk_save_objects")
        return super().bulk_save_objects(*args, **kwargs)

    def bulk_insert_mappings(self, *args, **kwargs):
        self._refuse_bulk("bulk_insert_mappings")
        return super().bulk_insert_mappings(*args, **kwargs)

    def bulk_update_mappings(self, *args, **kwargs):
        self._refuse_bulk("bulk_update_mappings")
        return super().bulk_update_mappings(*args, **kwargs)


def make_session_factory(bind: Engine | Connection, **kwargs) -> sessionmaker:
    """A session factory with enforcement and audit; bind a connection to work inside its transaction."""
    session_class = kwargs.pop("class_", BottegaSession)
    if not issubclass(session_class, BottegaSession):
        raise TypeError(f"session class {session_class.__name__} must derive from BottegaSession")
    if isinstance(bind, Connection):
        kwargs.setdefault("join_transaction_mode", "create_savepoint")
    factory = sessionmaker(bind=bind, class_=session_class, expire_on_commit=False, **kwargs)
    install_bounds(factory)
    install_validation(factory)
    install_enforcement(factory)
    install_audit(factory)
    install_transaction_cache(factory)
    install_known_nulls(factory)
    install_batch_ids(factory)
    return factory


_SYSTEM_FACTORY = "bottega.system_factory"


@contextmanager
def system_rows(session: Session) -> Iterator[Session]:
    """A system session writing inside ``session``'s transaction.

    ``session`` itself when it has no acting user; otherwise a system session
    on its connection (in a savepoint). For rows written on behalf of
    whichever user triggered them, not granted to each user: the core's job
    and mail bookkeeping, an addon's reaction to a business event. Either way
    they commit or roll back with ``session``.
    """
    if session.info.get("actor") is None:
        yield session
        session.flush()
        return
    with rows_as(session, None) as system:
        yield system


@contextmanager
def rows_as(session: Session, actor) -> Iterator[Session]:
    """A session acting as ``actor`` (None: the system) on ``session``'s connection, in a savepoint.

    It sees what ``session`` has flushed, and what it writes commits or rolls
    back with ``session``; access, record rules and the audit apply as to any
    session of ``actor`` (e.g. reading a record as another user would see it).
    """
    connection = session.connection()
    cached = session.info.get(_SYSTEM_FACTORY)
    if cached is None or cached[0] is not connection:  # one factory per connection, not one per call
        cached = (connection, make_session_factory(connection))
        session.info[_SYSTEM_FACTORY] = cached
    other = actor_session(cached[1], session.info["registry"], actor)
    try:
        yield other
        other.commit()
    except BaseException:
        other.rollback()
        raise
    finally:
        other.close()
