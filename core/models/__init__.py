"""The core's own tables: companies, users, groups, addon state, audit log, sequences."""
from .addon import AddonState
from .audit import AuditLog
from .company import Company, CompanyMixin
from .sequence import Sequence
from .user import Credential, Group, RecoveryCode, User, user_companies, user_groups

__all__ = [
    "AddonState",
    "AuditLog",
    "Company",
    "Credential",
    "CompanyMixin",
    "Group",
    "RecoveryCode",
    "Sequence",
    "User",
    "user_companies",
    "user_groups",
]
