"""Session factories: every session Bottega opens has access enforcement and the audit log.

Open a session acting as a user with :func:`core.security.actor_session`;
a session without an actor is a system session (lifecycle, migrations,
back-office jobs) and is not restricted.
"""
from __future__ import annotations

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import sessionmaker

from core.audit import install_audit
from core.security.enforcement import install_enforcement


def make_session_factory(bind: Engine | Connection, **kwargs) -> sessionmaker:
    """A session factory with enforcement and audit; bind a connection to work inside its transaction."""
    if isinstance(bind, Connection):
        kwargs.setdefault("join_transaction_mode", "create_savepoint")
    factory = sessionmaker(bind=bind, expire_on_commit=False, **kwargs)
    install_enforcement(factory)
    install_audit(factory)
    return factory
