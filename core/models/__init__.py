"""The core's own tables: companies, users, groups, addon state, audit log, sequences, jobs, outbox, config intents."""
from .addon import AddonState
from .audit import AuditLog
from .company import Company, CompanyMixin
from .config_intent import ConfigIntent
from .job import JobRecord
from .mail import Mail
from .sequence import Sequence
from .user import Credential, Group, LoginSession, RecoveryCode, User, user_companies, user_groups

__all__ = [
    "AddonState",
    "AuditLog",
    "Company",
    "Credential",
    "CompanyMixin",
    "ConfigIntent",
    "Group",
    "LoginSession",
    "JobRecord",
    "Mail",
    "RecoveryCode",
    "Sequence",
    "User",
    "user_companies",
    "user_groups",
]
