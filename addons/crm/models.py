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
from core.models import User

LEAD, OPPORTUNITY = "lead", "opportunity"
OPEN, WON, LOST = "open", "won", "lost"
KINDS = ((LEAD, _l("Lead")), (OPPORTUNITY, _l("Opportunity")))
STATES = ((OPEN, _l("Open")), (WON, _l("Won")), (LOST, _l("Lost")))
SOURCES = (("manual", _l("Manual")), ("web", _l("Web form")), ("email", _l("Email")), ("import", _l("Import")),
           ("campaign", _l("Campaign")))
CATEGORIES = (("complaint", _l("Complaint")), ("question", _l("Question")), ("quote_request", _l("Quote request")))
ACTIVITY_KINDS = (("call", _l("Call")), ("email", _l("Email")), ("meeting", _l("Meeting")), ("task", _l("Task")))
MESSAGE_KINDS = (("note", _l("Note")), ("call", _l("Logged call")), ("email_in", _l("Email received")),
                 ("email_out", _l("Email sent")), ("chat", _l("Chat message")), ("stage", _l("Stage change")),
                 ("system", _l("System")))

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
    name: Mapped[str120]
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    active: Mapped[bool] = mapped_column(default=True)
    capture_key: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: secrets.token_urlsafe(24))

    members: Mapped[list[User]] = relationship(secondary=team_members)
    leader: Mapped[User | None] = relationship(foreign_keys=[leader_id])


class Stage(CompanyMixin, Base):
    """A pipeline column, for one team (or every team when ``team_id`` is empty)."""

    __tablename__ = "crm_stage"

    id: Mapped[intpk]
    name: Mapped[str120]
    sequence: Mapped[int] = mapped_column(default=10)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("crm_team.id"))
    probability: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("10"))
    is_won: Mapped[bool] = mapped_column(default=False)


class LostReason(CompanyMixin, Base):
    __tablename__ = "crm_lost_reason"

    id: Mapped[intpk]
    name: Mapped[str120]
    active: Mapped[bool] = mapped_column(default=True)


class Campaign(CompanyMixin, TimestampMixin, Base):
    """A mass mailing to a segment; leads and won revenue are attributed to it."""

    __tablename__ = "crm_campaign"

    id: Mapped[intpk]
    name: Mapped[str120]
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("crm_segment.id"))
    subject: Mapped[str | None]
    body: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="draft", info={"choices": (
        ("draft", _l("Draft")), ("sending", _l("Sending")), ("sent", _l("Sent")))})
    sent_at: Mapped[dt.datetime | None]


class Lead(CompanyMixin, TimestampMixin, Base):
    """A lead (unqualified interest) or, once qualified, an opportunity in a team's pipeline."""

    __tablename__ = "crm_lead"
    __audit_exclude__ = ("import_hash",)
    __table_args__ = (
        Index("ix_crm_lead_pipeline", "company_id", "kind", "state", "stage_id"),
        Index("ix_crm_lead_email", "email"),
    )

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(16), default=LEAD, info={"choices": KINDS})
    name: Mapped[str] = mapped_column(String(255))
    contact_name: Mapped[str | None] = mapped_column(String(120))
    partner_name: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None]
    phone: Mapped[str | None] = mapped_column(String(40))
    country_code: Mapped[str | None] = mapped_column(String(2))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("contacts_partner.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("crm_team.id"), index=True)
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("crm_stage.id"))
    state: Mapped[str] = mapped_column(String(8), default=OPEN, info={"choices": STATES})
    probability: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("10"))
    expected_revenue: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal("0"))
    date_deadline: Mapped[dt.date | None]
    lost_reason_id: Mapped[int | None] = mapped_column(ForeignKey("crm_lost_reason.id"))
    source: Mapped[str] = mapped_column(String(16), default="manual", info={"choices": SOURCES})
    category: Mapped[str | None] = mapped_column(String(16), info={"choices": CATEGORIES})
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("crm_campaign.id"), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    qualified_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]
    last_activity_at: Mapped[dt.datetime | None]
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
    lead_id: Mapped[int] = mapped_column(ForeignKey("crm_lead.id"), index=True)
    from_stage_id: Mapped[int | None] = mapped_column(ForeignKey("crm_stage.id"))
    to_stage_id: Mapped[int | None] = mapped_column(ForeignKey("crm_stage.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    at: Mapped[dt.datetime]


class Activity(CompanyMixin, TimestampMixin, Base):
    """Something to do about a lead or a partner: a call, an email, a meeting, a task."""

    __tablename__ = "crm_activity"

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(16), info={"choices": ACTIVITY_KINDS})
    summary: Mapped[str] = mapped_column(String(255))
    note: Mapped[str | None] = mapped_column(Text)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("crm_lead.id"), index=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("contacts_partner.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), index=True)
    due_date: Mapped[dt.date]
    done_at: Mapped[dt.datetime | None]
    reminded_at: Mapped[dt.datetime | None]

    lead: Mapped[Lead | None] = relationship()
    partner: Mapped[Partner | None] = relationship()
    user: Mapped[User] = relationship()


class Message(CompanyMixin, Base):
    """One interaction on the timeline of a lead and/or a partner, on any channel."""

    __tablename__ = "crm_message"
    __table_args__ = (Index("ix_crm_message_partner_at", "partner_id", "at"),)

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(16), info={"choices": MESSAGE_KINDS})
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("crm_lead.id"), index=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("contacts_partner.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    subject: Mapped[str | None]
    body: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime]

    author: Mapped[User | None] = relationship()


class Rule(CompanyMixin, TimestampMixin, Base):
    """An automation rule, edited by sales managers and run by the job queue."""

    __tablename__ = "crm_rule"

    id: Mapped[intpk]
    name: Mapped[str120]
    active: Mapped[bool] = mapped_column(default=True)
    action: Mapped[str] = mapped_column(String(24), info={"choices": (
        ("assign_round_robin", _l("Assign new leads in turn within a team")),
        ("assign_by_country", _l("Assign new leads by country")),
        ("acknowledge", _l("Send an acknowledgement to new leads")),
        ("classify", _l("Classify incoming requests by keywords")),
        ("remind_inactive", _l("Remind when an opportunity has no activity")),
    )})
    team_id: Mapped[int | None] = mapped_column(ForeignKey("crm_team.id"))
    sequence: Mapped[int] = mapped_column(default=10)
    parameters: Mapped[dict] = mapped_column(JSON, default=dict)
    last_user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))


class Segment(CompanyMixin, TimestampMixin, Base):
    """A saved filter over partners or leads: who a campaign is sent to."""

    __tablename__ = "crm_segment"

    id: Mapped[intpk]
    name: Mapped[str120]
    target: Mapped[str] = mapped_column(String(16), default="partner", info={"choices": (
        ("partner", _l("Partners")), ("lead", _l("Leads")))})
    conditions: Mapped[dict] = mapped_column(JSON, default=dict)


class Recipient(CompanyMixin, Base):
    """One address a campaign is sent to, with what happened to it."""

    __tablename__ = "crm_campaign_recipient"
    __table_args__ = (UniqueConstraint("campaign_id", "email"),)

    id: Mapped[intpk]
    campaign_id: Mapped[int] = mapped_column(ForeignKey("crm_campaign.id"), index=True)
    email: Mapped[str]
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("contacts_partner.id"))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("crm_lead.id"))
    status: Mapped[str] = mapped_column(String(16), default="queued", info={"choices": (
        ("queued", _l("Queued")), ("mailed", _l("Handed to the outbox")), ("sent", _l("Sent")), ("bounced", _l("Bounced")),
        ("failed", _l("Failed")), ("skipped", _l("Unsubscribed")))})
    reason: Mapped[str | None]
    token: Mapped[str] = mapped_column(String(64), unique=True)


class Unsubscribe(CompanyMixin, Base):
    """An address that asked for no more mass mail; every sender checks this list."""

    __tablename__ = "crm_unsubscribe"
    __table_args__ = (UniqueConstraint("company_id", "email"),)

    id: Mapped[intpk]
    email: Mapped[str]
    at: Mapped[dt.datetime]
