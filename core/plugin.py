"""The core's own contributions, made through the same hooks an addon uses."""
from __future__ import annotations

from core.hookspecs import hookimpl
from core.models import AddonState, AuditLog, Company, Group, Sequence, User
from core.security import Group as GroupDecl
from core.security import ModelAccess, RecordRule
from core.security.actor import ADMIN_GROUP

USER_GROUP = "core.group_user"


@hookimpl
def register_models():
    return (Company, User, Group, AddonState, AuditLog, Sequence)


@hookimpl
def register_groups():
    return (
        GroupDecl(USER_GROUP, "Internal user"),
        GroupDecl(ADMIN_GROUP, "Administrator", implies=(USER_GROUP,)),
    )


@hookimpl
def register_model_access():
    return (
        ModelAccess(Company, USER_GROUP, read=True),
        ModelAccess(Company, ADMIN_GROUP, read=True, create=True, write=True, delete=True),
        ModelAccess(User, USER_GROUP, read=True),
        ModelAccess(User, ADMIN_GROUP, read=True, create=True, write=True, delete=True),
        ModelAccess(Group, USER_GROUP, read=True),
        ModelAccess(Group, ADMIN_GROUP, read=True, write=True),
        ModelAccess(AddonState, ADMIN_GROUP, read=True),
        ModelAccess(AuditLog, ADMIN_GROUP, read=True),
        ModelAccess(Sequence, ADMIN_GROUP, read=True),
    )


@hookimpl
def register_record_rules():
    return (
        RecordRule(Company, "own companies", lambda actor: Company.id.in_(sorted(actor.company_ids))),
    )
