"""Addon invariants checked at every flush, through the ``validate_flush`` hook.

Installed on every session factory, next to access enforcement and the audit
log, so a rule such as "a posted journal entry never changes" holds for the
web form, the JSON API, a job and a system session alike.
"""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker


def install_validation(factory: sessionmaker) -> None:
    event.listen(factory, "before_flush", _validate)


def _validate(session: Session, _flush_context, _instances) -> None:
    registry = session.info.get("registry")
    if registry is None or not registry.hook.validate_flush.get_hookimpls():
        return
    new, dirty, deleted = list(session.new), [o for o in session.dirty if session.is_modified(o)], list(session.deleted)
    if new or dirty or deleted:
        registry.hook.validate_flush(session=session, new=new, dirty=dirty, deleted=deleted)
