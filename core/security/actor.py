"""The acting user as the security layer sees it: id, effective groups, companies.

The functions that look users and companies up import SQLAlchemy when they
run: the core's plugin module names :data:`ADMIN_GROUP`, and registering it
must stay light (``bottega --help``, :mod:`core.plugin_manager`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.errors import AccessDenied, RecordNotFound, ValidationError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.models import Company, User
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
    from core.models import User

    user = session.get(User, user_id)
    if user is None or not user.active:
        raise AccessDenied(f"user {user_id} does not exist or is archived")
    allowed = {company.id for company in allowed_companies(session, user)}
    return actor_of(session, registry, user, allowed, company_ids)


def allowed_companies(session: Session, user: User) -> list[Company]:
    """The companies ``user`` may work in (their own and those granted), by name, in one query."""
    from sqlalchemy import select

    from core.models import Company, user_companies

    granted = select(user_companies.c.company_id).where(user_companies.c.user_id == user.id)
    return list(session.scalars(
        select(Company).where((Company.id == user.company_id) | Company.id.in_(granted)).order_by(Company.name)))


def actor_of(session: Session, registry: Registry, user: User, allowed: set[int], company_ids=None) -> Actor:
    """The actor of the active ``user`` allowed in the companies ``allowed`` (see :func:`load_actor`)."""
    from sqlalchemy import select

    from core.models import user_groups
    from core.models.user import Group as GroupRow

    keys = set(session.scalars(
        select(GroupRow.key).join(user_groups).where(user_groups.c.user_id == user.id)))
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


def find_actor(session: Session, registry: Registry, user: str | int, company: str | int | None = None) -> Actor:
    """The actor of ``user`` (a login or an id) working in ``company`` (a name or an id), for scripts and commands.

    Without ``company`` the user works in their own company and sees all
    their companies, as after logging in; with it, in that company only, as
    after choosing it in the company switcher. ``session`` is a system
    session. An unknown or archived user, an unknown company, or a company
    the user may not work in is refused with a message naming the argument.
    """
    found = find_user(session, user)
    if not found.active:
        raise AccessDenied(f"user {user!r}: the user is archived")
    if company is None:
        return load_actor(session, registry, found.id)
    place = find_company(session, company)
    if place.id not in load_actor(session, registry, found.id).company_ids:
        raise AccessDenied(f"company {company!r}: user {found.login!r} has no access to it")
    return load_actor(session, registry, found.id, [place.id])


def find_user(session: Session, user: str | int) -> User:
    """The user whose login (a str) or id (an int) is ``user``, archived or not."""
    from core.models import User

    return _find(session, User, User.login, user, "user")


def find_company(session: Session, company: str | int) -> Company:
    """The company whose name (a str; digits alone are also tried as an id) or id (an int) is ``company``."""
    from core.models import Company

    return _find(session, Company, Company.name, company, "company")


def _find(session: Session, model, name_column, wanted: str | int, argument: str):
    from sqlalchemy import select

    from core.bounds import fits_id

    if isinstance(wanted, bool) or not isinstance(wanted, (str, int)):
        raise ValidationError(f"{argument} {wanted!r}: give a {name_column.key} or an id", argument)
    found = None
    if isinstance(wanted, str):
        found = session.scalars(select(model).where(name_column == wanted)).first()
        digits = wanted.isascii() and wanted.isdigit() and len(wanted) < 30
        number = int(wanted) if digits else None
    else:
        number = wanted
    if found is None and number is not None and fits_id(model.__table__.c.id, number):
        found = session.get(model, number)
    if found is None:
        raise RecordNotFound(f"{argument} {wanted!r}: no such {argument}")
    return found
