"""The core's own tables: companies, users, groups, addon state, audit and security logs, sequences, jobs, outbox,
config intents, users' long tasks, saved list filters, API keys."""
from .addon import AddonState
from .api import ApiKey, IdempotentRequest
from .audit import AuditLog
from .company import Company, CompanyMixin
from .config_intent import ConfigIntent
from .job import JobRecord
from .mail import Mail, MailAttachment
from .saved_filter import SavedFilter
from .security import RateLimitCounter, SecurityEvent
from .sequence import Sequence
from .task import UserTask
from .user import Credential, Group, LoginSession, RecoveryCode, User, user_companies, user_groups

__all__ = [
    "AddonState",
    "ApiKey",
    "AuditLog",
    "Company",
    "Credential",
    "CompanyMixin",
    "ConfigIntent",
    "Group",
    "IdempotentRequest",
    "LoginSession",
    "JobRecord",
    "Mail",
    "MailAttachment",
    "RateLimitCounter",
    "RecoveryCode",
    "SavedFilter",
    "SecurityEvent",
    "Sequence",
    "User",
    "UserTask",
    "user_companies",
    "user_groups",
]
