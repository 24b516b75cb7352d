"""Bottega core: what every addon builds on.

Addon authors import from here: ``from core import hookimpl, Base, ...``; scripts open a
session acting as a user with ``core.session(user=..., company=...)`` (:mod:`core.scripting`).
Each name is imported on first use (:mod:`core.lazy`): importing ``core.cli`` or a plugin
module does not load the models, the web layer or the database layer.
"""
from core.lazy import lazy_exports

_EXPORTS = {
    "AddonManifest": "core.manifest",
    "Base": "core.db",
    "CompanyMixin": "core.models",
    "Group": "core.security",
    "MenuItem": "core.menus",
    "ModelAccess": "core.security",
    "N_": "core.security",
    "RecordRule": "core.security",
    "TimestampMixin": "core.db",
    "hookimpl": "core.hookspecs",
    "intpk": "core.db",
    "money": "core.db",
    "session": "core.scripting",
    "str40": "core.db",
    "str120": "core.db",
    "str255": "core.db",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
