"""What mail to an alias can create: the targets addons offer through the ``mail_alias_targets`` hook."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.registry import Registry

    from .parsing import IncomingMail


@dataclass(frozen=True)
class Created:
    """The record a message went to: ``created`` False when it joined one that was there (the sender's open lead)."""

    record: Any
    created: bool = True


@dataclass(frozen=True)
class AliasTarget:
    """A kind of record an alias can create.

    ``key`` is stored on the alias (``crm.lead``); ``label`` is shown when
    choosing it. ``create(session, company_id, mail)`` makes the record from
    an :class:`~core.mail_in.parsing.IncomingMail` in a system session inside
    the receiving transaction and returns a :class:`Created`; it raises
    :class:`~core.errors.ValidationError` to refuse the message (said to the
    sender). The core then posts the message on the record's chatter.
    """

    key: str
    label: Any
    create: Callable[[Session, int, IncomingMail], Created]


def alias_targets(registry: Registry) -> dict[str, AliasTarget]:
    """The targets of the installed addons, by key."""
    found = {}
    for targets in registry.hook.mail_alias_targets():
        for target in targets or ():
            found[target.key] = target
    return found
