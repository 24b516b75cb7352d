"""The core's own tables: companies, users, groups, addon state, audit log, sequences."""
from .addon import AddonState
from .audit import AuditLog
from .company import Company, CompanyMixin
from .sequence import Sequence
from .user import Group, User, user_companies, user_groups

__all__ = [
    "AddonState",
    "AuditLog",
    "Company",
    "CompanyMixin",
    "Group",
    "Sequence",
    "User",
    "user_companies",
    "user_groups",
]
