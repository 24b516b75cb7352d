"""Who may do what: groups, model access, record rules, and their enforcement.

Addons declare :class:`Group`, :class:`ModelAccess` and :class:`RecordRule`
through hooks. :func:`actor_session` gives a session in which every ORM read
and write is checked against them (see :mod:`core.security.enforcement`), so a
service, a view, an export or a report cannot skip the rules by accident.
:func:`log_event` records logins and privileged changes in the security log.
"""
from .actor import Actor, find_actor, find_company, find_user, load_actor
from .declarations import OPERATIONS, Group, ModelAccess, RecordRule
from .enforcement import actor_session, install_enforcement
from .events import log_event
from .passwords import hash_password, verify_password

__all__ = [
    "OPERATIONS",
    "Actor",
    "Group",
    "ModelAccess",
    "RecordRule",
    "actor_session",
    "find_actor",
    "find_company",
    "find_user",
    "hash_password",
    "install_enforcement",
    "load_actor",
    "log_event",
    "verify_password",
]
