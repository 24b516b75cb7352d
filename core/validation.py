"""Addon invariants checked at every flush, through the ``validate_flush`` hook.

Before it, extension side rows take their record's company
(:func:`core.fields.extensions.complete_side_companies`).

Installed on every session factory, next to access enforcement and the audit
log, so a rule such as "a posted journal entry never changes" holds for the
web form, the JSON API, a job and a system session alike.
"""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from core.fields.extensions import complete_side_companies


def install_validation(factory: sessionmaker) -> None:
    event.listen(factory, "before_flush", _validate)


def _validate(session: Session, _flush_context, _instances) -> None:
    registry = session.info.get("registry")
    if registry is None:
        return
    new, dirty, deleted = list(session.new), [o for o in session.dirty if session.is_modified(o)], list(session.deleted)
    if registry.extension_by_side and (new or dirty):
        complete_side_companies(session, registry, (*new, *dirty))
    if (new or dirty or deleted) and registry.hook.validate_flush.get_hookimpls():
        registry.hook.validate_flush(session=session, new=new, dirty=dirty, deleted=deleted)
