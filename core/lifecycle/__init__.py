"""Addon lifecycle: plan, install, upgrade, uninstall, over Alembic branches.

Each name is imported on first use (:mod:`core.lazy`): Alembic loads only for the commands that need it.
"""
from core.lazy import lazy_exports

_EXPORTS = {
    **dict.fromkeys(("Lifecycle", "Plan", "Step", "enabled_after"), ".service"),
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
