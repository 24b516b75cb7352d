"""CRM records. A lead and an opportunity are one model (``kind``), so qualifying keeps history."""
from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Column, ForeignKey, Index, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.contacts.models import Partner
from core import Base, CompanyMixin, TimestampMixin, intpk, str120
from core.fields import field
from core.stored_text import N_
from core.models import User

LEAD, OPPORTUNITY = "lead", "opportunity"
OPEN, WON, LOST = "open", "won", "lost"
KINDS = ((LEAD, _l("Lead")), (OPPORTUNITY, _l("Opportunity")))
STATES = ((OPEN, _l("Open")), (WON, _l("Won")), (LOST, _l("Lost")))
#: where a lead came from; its name is also written, untranslated, in the lead's "Lead created" line
SOURCE_NAMES = {"manual": N_("Manual"), "web": N_("Web form"), "email": N_("Email"), "import": N_("Import"),
                "campaign": N_("Campaign")}
SOURCES = tuple((source, _l(name)) for source, name in SOURCE_NAMES.items())
#: an opportunity's priority, shown as 0 to 3 stars (stored as the digit, so it sorts as it reads)
PRIORITIES = (("0", _l("Normal")), ("1", _l("Good")), ("2", _l("Very good")), ("3", _l("Excellent")))
CATEGORIES = (("complaint", _l("Complaint")), ("question", _l("Question")), ("quote_request", _l("Quote request")))
#: the tables whose chatter CRM writes to and reads: a lead's timeline, a partner's own
LEAD_TABLE, PARTNER_TABLE = "crm_lead", "contacts_partner"
CAMPAIGN_STATES = (("draft", _l("Draft")), ("sending", _l("Sending")), ("sent", _l("Sent")))
RULE_ACTIONS = (
    ("assign_round_robin", _l("Assign new leads in turn within a team")),
    ("assign_by_country", _l("Assign new leads by country")),
    ("acknowledge", _l("Send an acknowledgement to new leads")),
    ("classify", _l("Classify incoming requests by keywords")),
    ("remind_inactive", _l("Remind when an opportunity has no activity")),
)
SEGMENT_TARGETS = (("partner", _l("Partners")), ("lead", _l("Leads")))
RECIPIENT_STATUSES = (("queued", _l("Queued")), ("mailed", _l("Handed to the outbox")), ("sent", _l("Sent")),
                      ("bounced", _l("Bounced")), ("failed", _l("Failed")), ("skipped", _l("Unsubscribed")))


def _active_users(actor):
    return User.active.is_(True)


def _active_teams(actor):
    return Team.active.is_(True)


def _active_partners(actor):
    return Partner.active.is_(True)


def _active_reasons(actor):
    return LostReason.active.is_(True)


def _saved(record) -> bool:
    """Read-only once the record exists: chosen when it is created."""
    return record.id is not None

team_members = Table(
    "crm_team_member",
    Base.metadata,
    Column("team_id", ForeignKey("crm_team.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("core_user.id", ondelete="CASCADE"), primary_key=True),
)


class Team(CompanyMixin, TimestampMixin, Base):
    """A sales team: its members share a pipeline and new leads are assigned among them."""

    __tablename__ = "crm_team"

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), info=field(
        _l("Leader"), listed=True, domain=_active_users))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active"), listed=True))
    capture_key: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: secrets.token_urlsafe(24),
                                             info=field(internal=True))  # the secret in the capture URLs

    members: Mapped[list[User]] = relationship(secondary=team_members, info=field(_l("Members"),
                                                                                    domain=_active_users))
    leader: Mapped[User | None] = relationship(foreign_keys=[leader_id])


class Stage(CompanyMixin, Base):
    """A pipeline column, for one team (or every team when ``team_id`` is empty)."""

    __tablename__ = "crm_stage"

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    sequence: Mapped[int] = mapped_column(default=10, info=field(_l("Order"), listed=True))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("crm_team.id"), info=field(
        _l("Team"), listed=True, domain=_active_teams,
        help=_l("Empty: the stage is in every team's pipeline.")))
    probability: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("10"), info=field(
        _l("Probability (%)"), listed=True, minimum=Decimal(0), maximum=Decimal(100)))
    is_won: Mapped[bool] = mapped_column(default=False, info=field(_l("Won stage"), listed=True))


class LostReason(CompanyMixin, Base):
    __tablename__ = "crm_lost_reason"

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active"), listed=True))


class Campaign(CompanyMixin, TimestampMixin, Base):
    """A mass mailing to a segment; leads and won revenue are attributed to it."""

    __tablename__ = "crm_campaign"

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("crm_segment.id"), info=field(_l("Segment")))
    subject: Mapped[str | None] = mapped_column(info=field(_l("Subject")))
    body: Mapped[str | None] = mapped_column(Text, info=field(_l("Text")))
    state: Mapped[str] = mapped_column(String(16), default="draft", info=field(
        _l("Status"), choices=CAMPAIGN_STATES, readonly=True, listed=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(info=field(_l("Sent"), readonly=True, listed=True))
    cost: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal(0), info=field(
        _l("Cost"), minimum=Decimal(0), listed=True,
        help=_l("What the campaign cost, in the company's currency, counted on the day it was sent.")))


class Lead(CompanyMixin, TimestampMixin, Base):
    """A lead (unqualified interest) or, once qualified, an opportunity in a team's pipeline.

    The read-only fields change only through the services (qualify, move,
    win, lose, reopen, log), never as a value of a form, an import or
    :func:`~addons.crm.services.update_lead`.
    """

    __tablename__ = "crm_lead"
    __audit_exclude__ = ("import_hash", "last_activity_at")  # a file line's hash; bookkeeping of the chatter
    __table_args__ = (
        Index("ix_crm_lead_pipeline", "company_id", "kind", "state", "stage_id"),
        Index("ix_crm_lead_email", "email"),
        Index("ix_crm_lead_list", "company_id", "kind", "created_at", "id"),  # the leads list's default order
        Index("ix_crm_lead_opportunity_list", "company_id", "kind", "name", "id"),  # the opportunities list's
    )

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(16), default=LEAD, info=field(_l("Kind"), choices=KINDS,
                                                                             internal=True))
    name: Mapped[str] = mapped_column(String(255), info=field(_l("Title"), listed=True))
    contact_name: Mapped[str | None] = mapped_column(String(120), info=field(_l("Contact"), listed=True))
    partner_name: Mapped[str | None] = mapped_column(String(120), info=field(_l("Company name")))
    email: Mapped[str | None] = mapped_column(info=field(_l("Email"), format="email", listed=True))
    phone: Mapped[str | None] = mapped_column(String(40), info=field(_l("Phone"), format="phone"))
    country_code: Mapped[str | None] = mapped_column(String(2), info=field(_l("Country"), format="country",
                                                                           listed=True))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("contacts_partner.id"), index=True, info=field(
        _l("Partner"), domain=_active_partners))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), index=True, info=field(
        _l("Salesperson"), listed=True, domain=_active_users))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("crm_team.id"), index=True, info=field(
        _l("Team"), domain=_active_teams))
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("crm_stage.id"), info=field(_l("Stage")))
    state: Mapped[str] = mapped_column(String(8), default=OPEN, info=field(_l("Status"), choices=STATES,
                                                                             readonly=True))
    probability: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("10"), info=field(
        _l("Probability (%)"), readonly=True, minimum=Decimal(0), maximum=Decimal(100)))
    priority: Mapped[str] = mapped_column(String(1), default="0", info=field(_l("Priority"), choices=PRIORITIES,
                                                                           widget="priority"))
    expected_revenue: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal("0"), info=field(
        _l("Expected revenue"), minimum=Decimal(0)))
    date_deadline: Mapped[dt.date | None] = mapped_column(info=field(_l("Expected closing")))
    lost_reason_id: Mapped[int | None] = mapped_column(ForeignKey("crm_lost_reason.id"), info=field(
        _l("Lost reason"), readonly=True, domain=_active_reasons,
        domain_message=_l("Choose one of the active lost reasons.")))
    source: Mapped[str] = mapped_column(String(16), default="manual", info=field(
        _l("Source"), choices=SOURCES, readonly=_saved, listed=True))
    category: Mapped[str | None] = mapped_column(String(16), info=field(_l("Category"), choices=CATEGORIES,
                                                                        listed=True))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("crm_campaign.id"), index=True, info=field(
        _l("Campaign")))
    description: Mapped[str | None] = mapped_column(Text, info=field(_l("Notes")))
    qualified_at: Mapped[dt.datetime | None] = mapped_column(info=field(_l("Qualified on"), readonly=True))
    closed_at: Mapped[dt.datetime | None] = mapped_column(info=field(_l("Closed on"), readonly=True))
    last_activity_at: Mapped[dt.datetime | None] = mapped_column(info=field(_l("Last activity"), readonly=True))
    import_hash: Mapped[str | None] = mapped_column(String(64), index=True)  # the file line it came from

    partner: Mapped[Partner | None] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    team: Mapped[Team | None] = relationship()
    stage: Mapped[Stage | None] = relationship()
    lost_reason: Mapped[LostReason | None] = relationship()
    campaign: Mapped[Campaign | None] = relationship()


class StageChange(CompanyMixin, Base):
    """Every move of an opportunity between stages: the funnel and cycle-time reports read it."""

    __tablename__ = "crm_stage_change"
    __audit__ = False  # already a history

    id: Mapped[intpk]
    lead_id: Mapped[int] = mapped_column(ForeignKey("crm_lead.id"), index=True, info=field(_l("Lead")))
    from_stage_id: Mapped[int | None] = mapped_column(ForeignKey("crm_stage.id"), info=field(_l("From stage")))
    to_stage_id: Mapped[int | None] = mapped_column(ForeignKey("crm_stage.id"), info=field(_l("To stage")))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), info=field(_l("By")))
    at: Mapped[dt.datetime] = mapped_column(info=field(_l("Date")))


class Rule(CompanyMixin, TimestampMixin, Base):
    """An automation rule, edited by sales managers and run by the job queue."""

    __tablename__ = "crm_rule"

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active"), listed=True))
    action: Mapped[str] = mapped_column(String(24), info=field(_l("Action"), choices=RULE_ACTIONS, listed=True))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("crm_team.id"), info=field(
        _l("Team"), listed=True, domain=_active_teams))
    sequence: Mapped[int] = mapped_column(default=10, info=field(_l("Order"), listed=True))
    parameters: Mapped[dict] = mapped_column(JSON, default=dict, info=field(_l("Parameters")))
    last_user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), info=field(internal=True))


class Segment(CompanyMixin, TimestampMixin, Base):
    """A saved filter over partners or leads: who a campaign is sent to."""

    __tablename__ = "crm_segment"

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    target: Mapped[str] = mapped_column(String(16), default="partner", info=field(_l("Of"), choices=SEGMENT_TARGETS,
                                                                                   listed=True))
    conditions: Mapped[dict] = mapped_column(JSON, default=dict, info=field(_l("Conditions")))


class Recipient(CompanyMixin, Base):
    """One address a campaign is sent to, with what happened to it."""

    __tablename__ = "crm_campaign_recipient"
    __table_args__ = (UniqueConstraint("campaign_id", "email"),)

    id: Mapped[intpk]
    campaign_id: Mapped[int] = mapped_column(ForeignKey("crm_campaign.id"), index=True, info=field(_l("Campaign")))
    email: Mapped[str] = mapped_column(info=field(_l("Email"), format="email"))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("contacts_partner.id"), info=field(_l("Partner")))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("crm_lead.id"), info=field(_l("Lead")))
    status: Mapped[str] = mapped_column(String(16), default="queued", info=field(_l("Status"),
                                                                                  choices=RECIPIENT_STATUSES))
    reason: Mapped[str | None] = mapped_column(info=field(_l("Reason")))
    token: Mapped[str] = mapped_column(String(64), unique=True, info=field(internal=True))


class Unsubscribe(CompanyMixin, Base):
    """An address that asked for no more mass mail; every sender checks this list."""

    __tablename__ = "crm_unsubscribe"
    __table_args__ = (UniqueConstraint("company_id", "email"),)

    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(info=field(_l("Email"), format="email"))
    at: Mapped[dt.datetime] = mapped_column(info=field(_l("Date")))
