"""Reference data read once per transaction: a company's settings, its default journal, a currency's decimals.

A service that needs the same row for every record of a batch (posting a
hundred invoices needs the company's settings a hundred times) asks
:func:`cached` instead of the database. An entry lives until the session's
transaction ends (commit or rollback) or until a flush, or a
:mod:`core.bulk` write, changes a row of one of the models it depends on, so
a service never reads a value older than what its own transaction wrote.

Cached ORM objects stay attached to the session, so holding them here also
keeps them in the identity map, where ``session.get`` finds them without a
query.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")
_KEY = "bottega.transaction_cache"


def install_transaction_cache(factory: sessionmaker) -> None:
    event.listen(factory, "after_flush", _forget_written)
    event.listen(factory, "after_rollback", _forget_all)  # a savepoint's rollback too
    event.listen(factory, "after_transaction_end", _forget_all_at_end)


def cached(session: Session, key: tuple, compute: Callable[[], T], *, depends_on: tuple[type, ...]) -> T:
    """``compute()``, computed once per transaction of ``session`` for ``key``; ``depends_on``: the models
    whose changes make the value stale."""
    entries = session.info.setdefault(_KEY, {})
    found = entries.get(key)
    if found is None:
        found = entries[key] = (compute(), depends_on)
    return found[0]


def forget(session: Session, models) -> None:
    """Drop the entries that depend on any of ``models`` (rows of them were written)."""
    entries = session.info.get(_KEY)
    if not entries:
        return
    written = tuple(models)
    for key in [key for key, (_value, depends_on) in entries.items()
                if any(issubclass(model, depends_on) for model in written)]:
        del entries[key]


def _forget_written(session: Session, _flush_context) -> None:
    if session.info.get(_KEY):
        forget(session, {type(obj) for obj in (*session.new, *session.dirty, *session.deleted)})


def _forget_all(session: Session) -> None:
    session.info.pop(_KEY, None)


def _forget_all_at_end(session: Session, transaction) -> None:
    if transaction.parent is None:  # the session's transaction, not a savepoint inside it
        _forget_all(session)
