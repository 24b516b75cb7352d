"""Who may do what: groups, model access, record rules, and their enforcement.

Addons declare :class:`Group`, :class:`ModelAccess` and :class:`RecordRule`
through hooks. :func:`actor_session` gives a session in which every ORM read
and write is checked against them (see :mod:`core.security.enforcement`), so a
service, a view, an export or a report cannot skip the rules by accident.
:func:`log_event` records logins and privileged changes in the security log.

Each name is imported on first use (:mod:`core.lazy`).
"""
from core.lazy import lazy_exports

_EXPORTS = {
    **dict.fromkeys(("Actor", "find_actor", "find_company", "find_user", "load_actor"), ".actor"),
    **dict.fromkeys(("OPERATIONS", "Group", "ModelAccess", "N_", "RecordRule"), ".declarations"),
    **dict.fromkeys(("actor_session", "install_enforcement"), ".enforcement"),
    "log_event": ".events",
    **dict.fromkeys(("hash_password", "verify_password"), ".passwords"),
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
