"""Which fields of a model an acting user may read through the API (and a webhook's payload).

The same fields the UI shows them: the model's own (never an ``internal`` one, nor the framework's import
hash, nor a file's bytes), when the record was made and changed, and the fields the installed addons add to it
(:class:`core.fields.Extension`) when the user may read their side records; a relation only when the user may
read the related model. A session without an actor (the system) reads them all.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from core.fields import Field, extensions_of, fields_of
from core.fields.declare import spec_of

#: the framework's columns shown although no one types them
SHOWN_AUTOMATIC = frozenset({"id", "created_at", "updated_at"})
#: kinds the API leaves out: a file's bytes have pages of their own
HIDDEN_KINDS = frozenset({"binary"})


def readable_fields(session: Session, model: type) -> dict[str, Field]:
    """``model``'s fields the session's actor may read, in declaration order, the extensions' last."""
    return fields_for(session.info.get("registry"), session.info.get("actor"), model)


def fields_for(registry, actor, model: type) -> dict[str, Field]:
    """``model``'s fields ``actor`` (None: the system, who reads all) may read with ``registry``'s addons."""
    own = {name: found for name, found in fields_of(model).items() if _shown(found)}
    added = {name: found for extension in extensions_of(registry, model, actor)
             for name, found in extension.fields.items() if _shown(found)}
    fields = {**own, **added}
    if actor is None or registry is None:
        return fields
    return {name: found for name, found in fields.items()
            if found.target is None or registry.can(actor, found.target, "read")}


def extension_of_field(session: Session, model: type, name: str):
    """The installed extension of ``model`` that adds the field ``name`` (None for the model's own fields)."""
    registry = session.info.get("registry")
    if name in fields_of(model):
        return None
    return next((extension for extension in extensions_of(registry, model) if name in extension.fields), None)


def _shown(found: Field) -> bool:
    if found.kind in HIDDEN_KINDS:
        return False
    if found.column is not None and spec_of(found.column.info).internal:
        return False
    return not found.automatic or found.name in SHOWN_AUTOMATIC
