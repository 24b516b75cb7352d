"""The acting user as the security layer sees it: id, effective groups, companies."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from core.errors import AccessDenied

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.registry import Registry

ADMIN_GROUP = "core.group_admin"


@dataclass(frozen=True)
class Actor:
    user_id: int
    login: str
    groups: frozenset[str]
    company_id: int
    company_ids: frozenset[int]

    def in_group(self, key: str) -> bool:
        return key in self.groups


def load_actor(session: Session, registry: Registry, user_id: int, company_ids=None) -> Actor:
    """Build the actor of an active user, as seen by a system (unrestricted) session.

    ``company_ids`` narrows the companies the user works in (the company
    switcher); it cannot widen them beyond the user's allowed companies.
    """
    from core.models import User, user_companies, user_groups
    from core.models.user import Group as GroupRow

    user = session.get(User, user_id)
    if user is None or not user.active:
        raise AccessDenied(f"user {user_id} does not exist or is archived")
    keys = set(
        session.scalars(
            select(GroupRow.key).join(user_groups).where(user_groups.c.user_id == user_id)
        )
    )
    allowed = set(
        session.scalars(
            select(user_companies.c.company_id).where(user_companies.c.user_id == user_id)
        )
    ) | {user.company_id}
    if company_ids is not None:
        wanted = set(company_ids)
        if not wanted or not wanted <= allowed:
            raise AccessDenied(f"user {user.login} may not work in companies {sorted(wanted - allowed)}")
        allowed = wanted
    current = user.company_id if user.company_id in allowed else min(allowed)
    return Actor(
        user_id=user.id,
        login=user.login,
        groups=registry.effective_groups(keys),
        company_id=current,
        company_ids=frozenset(allowed),
    )
