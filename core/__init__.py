"""Bottega core: what every addon builds on.

Addon authors import from here: ``from core import hookimpl, Base, ...``; scripts open a
session acting as a user with ``core.session(user=..., company=...)`` (:mod:`core.scripting`).
"""
from core.db import Base, TimestampMixin, intpk, money, str40, str120, str255
from core.hookspecs import hookimpl
from core.manifest import AddonManifest
from core.menus import MenuItem
from core.models import CompanyMixin
from core.security import Group, ModelAccess, RecordRule

__all__ = [
    "AddonManifest",
    "Base",
    "CompanyMixin",
    "Group",
    "MenuItem",
    "ModelAccess",
    "RecordRule",
    "TimestampMixin",
    "hookimpl",
    "intpk",
    "money",
    "session",
    "str40",
    "str120",
    "str255",
]


def __getattr__(name: str):
    """``core.session`` is imported on first use: the web app and the commands do not need it."""
    if name == "session":
        from core.scripting import session

        return session
    raise AttributeError(f"module 'core' has no attribute {name!r}")
