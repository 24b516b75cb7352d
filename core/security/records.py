"""Whether the acting user may change given records: the model's access right and its write record rules.

For a service that writes on the user's behalf through a system session (or
changes other rows than the records it is about) and must first check what
the user's own session would have checked on those records.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import AccessDenied


def require_write(session: Session, model: type, records: Iterable) -> None:
    """Raise :class:`AccessDenied` unless the session's user (if any) may write every one of ``records``."""
    actor = session.info.get("actor")
    if actor is None:
        return
    registry = session.info["registry"]
    registry.require(actor, model, "write")
    clause = registry.rule_clause(actor, model, "write")
    ids = {record.id for record in records}
    if clause is None:
        return
    allowed = set(session.connection().scalars(select(model.id).where(model.id.in_(ids), clause)))
    refused = sorted(ids - allowed)
    if refused:
        raise AccessDenied(f"access denied: {actor.login} may not write {model.__name__} "
                           f"{', '.join(map(str, refused))} "
                           f"(record rules: {', '.join(registry.rule_names(actor, model, 'write'))})")
