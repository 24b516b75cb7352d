"""The core's own contributions, made through the same hooks an addon uses.

Like an addon's plugin module, it imports the models and the rest when a hook
is called: registering it costs nothing (``bottega --help`` registers every
plugin to find the commands).
"""
from __future__ import annotations

from core.hookspecs import hookimpl
from core.security.actor import ADMIN_GROUP

USER_GROUP = "core.group_user"


@hookimpl
def register_models():
    from core.models import (AddonState, ApiKey, AuditLog, Company, ConfigIntent, Credential, Group,
                             IdempotentRequest, JobRecord, LoginSession, Mail, MailAttachment, RateLimitCounter,
                             RecoveryCode, SavedFilter, SecurityEvent, Sequence, User, UserTask)

    from core.chatter.models import Activity, Attachment, Follower, MailTemplate, Message
    from core.mail_in.models import MailAlias, ReceivedMail
    from core.models.webhook import WebhookDelivery, WebhookSubscription

    return (Company, User, Group, AddonState, AuditLog, Sequence, Credential, RecoveryCode, LoginSession, JobRecord,
            Mail, MailAttachment, SecurityEvent, RateLimitCounter, ConfigIntent, UserTask, SavedFilter,
            Message, Activity, Follower, Attachment, MailTemplate, MailAlias, ReceivedMail,
            WebhookSubscription, WebhookDelivery, ApiKey, IdempotentRequest)


@hookimpl
def register_groups():
    from core.security import Group as GroupDecl
    from core.security import N_

    return (
        GroupDecl(USER_GROUP, N_("Internal user")),
        GroupDecl(ADMIN_GROUP, N_("Administrator"), implies=(USER_GROUP,)),
    )


@hookimpl
def register_model_access():
    from core.models import (AddonState, ApiKey, AuditLog, Company, ConfigIntent, Credential, Group,
                             IdempotentRequest, JobRecord, LoginSession, Mail, MailAttachment, RateLimitCounter,
                             RecoveryCode, SavedFilter, SecurityEvent, Sequence, User, UserTask)
    from core.chatter.models import Activity, Attachment, Follower, MailTemplate, Message
    from core.mail_in.models import MailAlias, ReceivedMail
    from core.models.webhook import WebhookDelivery, WebhookSubscription
    from core.security import ModelAccess

    return (
        # the chatter: core.chatter.services lets a user at a record's rows only once they may read the record
        ModelAccess(Message, USER_GROUP, read=True, create=True),
        ModelAccess(Activity, USER_GROUP, read=True, create=True, write=True),
        ModelAccess(Follower, USER_GROUP, read=True, create=True, delete=True),
        ModelAccess(Attachment, USER_GROUP, read=True, create=True),
        ModelAccess(MailTemplate, USER_GROUP, read=True),
        ModelAccess(MailTemplate, ADMIN_GROUP, read=True, create=True, write=True, delete=True),
        ModelAccess(Company, USER_GROUP, read=True),
        ModelAccess(Company, ADMIN_GROUP, read=True, create=True, write=True, delete=True),
        ModelAccess(User, USER_GROUP, read=True),
        ModelAccess(User, ADMIN_GROUP, read=True, create=True, write=True, delete=True),
        ModelAccess(Group, USER_GROUP, read=True),
        ModelAccess(Group, ADMIN_GROUP, read=True, write=True),
        ModelAccess(AddonState, ADMIN_GROUP, read=True),
        ModelAccess(AuditLog, ADMIN_GROUP, read=True),
        ModelAccess(Sequence, ADMIN_GROUP, read=True),
        ModelAccess(Credential, ADMIN_GROUP),  # declared with no rights: only core.security.credentials
        ModelAccess(RecoveryCode, ADMIN_GROUP),  # touches these, inside the caller's transaction
        ModelAccess(LoginSession, ADMIN_GROUP),
        ModelAccess(RateLimitCounter, ADMIN_GROUP),
        ModelAccess(SecurityEvent, ADMIN_GROUP, read=True),  # written by core.security.log_event only
        ModelAccess(ConfigIntent, ADMIN_GROUP),  # no rights: only core.lifecycle.intent, on the lifecycle's connection
        ModelAccess(JobRecord, ADMIN_GROUP, read=True, write=True),  # jobs and mails are written by core.jobs
        ModelAccess(Mail, ADMIN_GROUP, read=True, write=True),  # and core.mail for any service; admins retry
        ModelAccess(MailAttachment, ADMIN_GROUP, read=True),
        ModelAccess(MailAlias, ADMIN_GROUP, read=True, create=True, write=True, delete=True),
        ModelAccess(ReceivedMail, ADMIN_GROUP, read=True),  # written by core.mail_in in a system session
        ModelAccess(UserTask, USER_GROUP, read=True),  # written by core.tasks; each user sees their own
        ModelAccess(SavedFilter, USER_GROUP, read=True, create=True, write=True, delete=True),
        ModelAccess(WebhookSubscription, ADMIN_GROUP, read=True, create=True, write=True),
        ModelAccess(WebhookDelivery, ADMIN_GROUP, read=True),  # written by core.webhooks as the system
        ModelAccess(ApiKey, ADMIN_GROUP),  # no rights: only core.api.keys, after its own checks
        ModelAccess(IdempotentRequest, ADMIN_GROUP),  # no rights: only core.api.idempotency
    )


@hookimpl
def register_record_rules():
    from core.models import Company, SavedFilter, User, UserTask
    from core.models.webhook import WebhookDelivery, WebhookSubscription
    from core.security import RecordRule

    from core.chatter.models import Activity, Follower

    return (
        RecordRule(SavedFilter, "own and shared filters",
                   lambda actor: (SavedFilter.user_id == actor.user_id) | SavedFilter.shared.is_(True),
                   operations=("read",)),
        RecordRule(SavedFilter, "own filters", lambda actor: SavedFilter.user_id == actor.user_id,
                   operations=("create", "write", "delete")),
        RecordRule(Activity, "own or assigned activities",
                   lambda actor: (Activity.user_id == actor.user_id) | (Activity.created_by_id == actor.user_id),
                   groups=(USER_GROUP,), operations=("write",)),
        RecordRule(Activity, "all activities", lambda actor: Activity.id.is_not(None), groups=(ADMIN_GROUP,),
                   operations=("write",)),
        RecordRule(Follower, "own following", lambda actor: Follower.user_id == actor.user_id, groups=(USER_GROUP,),
                   operations=("delete",)),
        RecordRule(Company, "own companies", lambda actor: Company.id.in_(sorted(actor.company_ids)),
                   groups=(USER_GROUP,)),
        RecordRule(Company, "all companies", lambda actor: Company.id.is_not(None), groups=(ADMIN_GROUP,)),
        RecordRule(User, "users of my companies", _shares_a_company, groups=(USER_GROUP,)),
        RecordRule(User, "all users", lambda actor: User.id.is_not(None), groups=(ADMIN_GROUP,)),
        RecordRule(UserTask, "own tasks", lambda actor: UserTask.user_id == actor.user_id, groups=(USER_GROUP,)),
        RecordRule(WebhookSubscription, "webhooks of my companies",
                   lambda actor: WebhookSubscription.company_id.in_(sorted(actor.company_ids))),
        RecordRule(WebhookDelivery, "webhook deliveries of my companies", _deliveries_of_my_companies),
    )


def _deliveries_of_my_companies(actor):
    from sqlalchemy import select

    from core.models.webhook import WebhookDelivery, WebhookSubscription

    mine = select(WebhookSubscription.id).where(WebhookSubscription.company_id.in_(sorted(actor.company_ids)))
    return WebhookDelivery.subscription_id.in_(mine)


def _shares_a_company(actor):
    from sqlalchemy import select

    from core.models import User, user_companies

    companies = sorted(actor.company_ids)
    members = select(user_companies.c.user_id).where(user_companies.c.company_id.in_(companies))
    return User.company_id.in_(companies) | User.id.in_(members)


@hookimpl
def register_menu_items():
    from flask_babel import lazy_gettext as _l

    from core.chatter.models import MailTemplate
    from core.menus import MenuItem
    from core.mail_in.models import MailAlias, ReceivedMail
    from core.models import Company, Group, JobRecord, Mail, SecurityEvent, User
    from core.models.webhook import WebhookSubscription

    return (
        MenuItem(id="core.settings", label=_l("Settings"), sequence=900, group=ADMIN_GROUP, icon="cog-6-tooth"),
        MenuItem(id="core.users", label=_l("Users"), parent="core.settings", endpoint="core.user_list", model=User),
        MenuItem(id="core.companies", label=_l("Companies"), parent="core.settings", endpoint="core.company_list",
                 model=Company, sequence=20),
        MenuItem(id="core.groups", label=_l("Groups"), parent="core.settings", endpoint="core.group_list",
                 model=Group, sequence=30),
        MenuItem(id="core.addons", label=_l("Addons"), parent="core.settings", endpoint="core.addons",
                 group=ADMIN_GROUP, sequence=40),
        MenuItem(id="core.jobs", label=_l("Jobs"), parent="core.settings", endpoint="core.job_list",
                 model=JobRecord, group=ADMIN_GROUP, sequence=50),
        MenuItem(id="core.outbox", label=_l("Outbox"), parent="core.settings", endpoint="core.mail_list",
                 model=Mail, group=ADMIN_GROUP, sequence=60),
        MenuItem(id="core.mail_templates", label=_l("Mail templates"), parent="core.settings",
                 endpoint="core.mail_template_list", model=MailTemplate, group=ADMIN_GROUP, sequence=65),
        MenuItem(id="core.mail_aliases", label=_l("Mail aliases"), parent="core.settings",
                 endpoint="core.mail_alias_list", model=MailAlias, group=ADMIN_GROUP, sequence=66),
        MenuItem(id="core.received_mail", label=_l("Received mail"), parent="core.settings",
                 endpoint="core.received_mail_list", model=ReceivedMail, group=ADMIN_GROUP, sequence=67),
        MenuItem(id="core.security_log", label=_l("Security log"), parent="core.settings",
                 endpoint="core.security_log", model=SecurityEvent, group=ADMIN_GROUP, sequence=70),
        MenuItem(id="core.webhooks", label=_l("Webhooks"), parent="core.settings", endpoint="core.webhook_list",
                 model=WebhookSubscription, group=ADMIN_GROUP, sequence=68),
    )


@hookimpl
def register_jobs():
    from huey import crontab

    from core.jobs import Job
    from core.mail.job import SEND_MAIL_JOB

    return (SEND_MAIL_JOB,
            Job("core.clean_jobs", "core.jobs.maintenance:clean_jobs", retries=0,
                schedule=crontab(minute="17", hour="3")),
            Job("core.security_housekeeping", "core.security.housekeeping:security_housekeeping", retries=0,
                schedule=crontab(minute="27", hour="3")),
            Job("core.refresh_statistics", "core.jobs.maintenance:refresh_statistics_job", retries=0,
                schedule=crontab(minute="37", hour="3")),
            Job("core.run_task", "core.tasks.service:run_task", retries=0, timeout=3600),
            Job("core.webhook_deliver", "core.webhooks.delivery:deliver_job", retries=2, retry_delay=60, timeout=120))


@hookimpl
def register_views():
    from core.web.admin import core_views
    from core.web.mail_in_pages import mail_in_views
    from core.web.webhook_pages import webhook_views

    return core_views() + mail_in_views() + webhook_views()


@hookimpl
def record_smart_buttons(model):
    from flask_babel import lazy_gettext as _l

    from core.models.webhook import WebhookSubscription
    from core.web.smart_buttons import SmartButton

    if model is WebhookSubscription:
        return (SmartButton(WebhookSubscription, _l("Deliveries"), "core.webhook_delivery_list", "subscription_id"),)
    return ()


@hookimpl
def record_buttons(record):
    from core.web.webhook_pages import delivery_buttons

    return delivery_buttons(record)


@hookimpl
def register_blueprints():
    from core.web.admin import blueprint

    return (blueprint,)


@hookimpl
def record_buttons(session, actor, record):
    from core.web.api_key_pages import key_buttons

    return key_buttons(actor, record)
