"""Security as data: what addons return from their registration hooks."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement

    from .actor import Actor

OPERATIONS = ("read", "create", "write", "delete")


def N_(text: str) -> str:
    """Mark a declared label for the translation catalogues (``N_`` is one of pybabel's default keywords) and
    return it as written: a group's label is stored in English and translated where it is shown
    (:attr:`core.models.Group.display_name`)."""
    return text


@dataclass(frozen=True)
class Group:
    """A role, keyed ``<addon>.<name>``.

    ``implies``: members also get these groups. ``for_admin``: members of
    ``core.group_admin`` get this group without being added to it, so a newly
    installed addon is administrable at once.
    """

    key: str
    label: str
    implies: tuple[str, ...] = ()
    for_admin: bool = False


@dataclass(frozen=True)
class ModelAccess:
    """Grants members of ``group`` the given operations on ``model``."""

    model: type
    group: str
    read: bool = False
    create: bool = False
    write: bool = False
    delete: bool = False

    def allows(self, operation: str) -> bool:
        return getattr(self, operation)


@dataclass(frozen=True)
class RecordRule:
    """A row filter: ``where(actor)`` returns the SQL condition rows must meet.

    ``where`` depends on the actor alone (not on the time or the database):
    the registry builds each actor's condition once and reuses it.

    With no ``groups`` the rule binds everybody; with groups it binds members
    of those groups, and a user's group rules are OR-ed (a manager's "all
    records" rule widens a salesperson's "own records" rule).
    """

    model: type
    name: str
    where: Callable[[Actor], ColumnElement[bool]]
    groups: tuple[str, ...] = ()
    operations: tuple[str, ...] = OPERATIONS
