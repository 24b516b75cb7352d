"""Bottega core: what every addon builds on.

Addon authors import from here: ``from core import hookimpl, Base, ...``.
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
    "str40",
    "str120",
    "str255",
]
