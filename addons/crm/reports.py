"""CRM reports, computed in SQL (GROUP BY) through the user's session, so record rules apply."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, distinct, func, or_, select
from sqlalchemy.orm import Session

from addons.contacts.models import Partner
from core.chatter.models import OPEN as TO_DO
from core.chatter.models import Activity
from core.models import User
from core.sql_dates import days_between

from .models import LEAD_TABLE, LOST, OPEN, OPPORTUNITY, WON, Campaign, Lead, Recipient, Stage, StageChange

CENT = Decimal("0.01")


def _money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


@dataclass(frozen=True)
class PipelineRow:
    stage: str
    count: int
    value: Decimal
    weighted: Decimal


def pipeline_by_stage(session: Session, team_id: int | None = None) -> list[PipelineRow]:
    """Open opportunities per stage: how many, their expected revenue and the probability-weighted value."""
    statement = (
        select(Stage.name, func.count(Lead.id), func.sum(Lead.expected_revenue),
               func.sum(Lead.expected_revenue * Lead.probability / 100))
        .join(Lead, Lead.stage_id == Stage.id)
        .where(Lead.kind == OPPORTUNITY, Lead.state == OPEN)
        .group_by(Stage.id, Stage.name, Stage.sequence)
        .order_by(Stage.sequence, Stage.id)
    )
    if team_id is not None:
        statement = statement.where(Lead.team_id == team_id)
    return [PipelineRow(name, count, _money(value), _money(weighted))
            for name, count, value, weighted in session.execute(statement)]


@dataclass(frozen=True)
class FunnelRow:
    stage: str
    reached: int
    conversion: Decimal | None  # share of the previous stage's opportunities that reached this one


def funnel(session: Session) -> list[FunnelRow]:
    """How many opportunities ever reached each stage, and the conversion from the stage before."""
    reached = dict(session.execute(
        select(StageChange.to_stage_id, func.count(distinct(StageChange.lead_id))).group_by(StageChange.to_stage_id)
    ).all())
    rows, previous = [], None
    for stage in session.scalars(select(Stage).order_by(Stage.is_won, Stage.sequence, Stage.id)):
        count = reached.get(stage.id, 0)
        conversion = None if previous in (None, 0) else (Decimal(count) * 100 / previous).quantize(CENT)
        rows.append(FunnelRow(stage.name, count, conversion))
        previous = count
    return rows


@dataclass(frozen=True)
class SalespersonRow:
    salesperson: str
    won: int
    lost: int
    win_rate: Decimal | None
    cycle_days: Decimal | None


def win_rate_by_salesperson(session: Session) -> list[SalespersonRow]:
    won = func.sum(case((Lead.state == WON, 1), else_=0))
    lost = func.sum(case((Lead.state == LOST, 1), else_=0))
    statement = (
        select(User.name, won, lost, func.avg(days_between(session, Lead.closed_at, Lead.created_at)))
        .join(User, User.id == Lead.user_id)
        .where(Lead.state.in_((WON, LOST)))
        .group_by(User.id, User.name)
        .order_by(User.name)
    )
    rows = []
    for name, won_count, lost_count, days in session.execute(statement):
        total = (won_count or 0) + (lost_count or 0)
        rate = (Decimal(won_count) * 100 / total).quantize(CENT) if total else None
        rows.append(SalespersonRow(name, won_count or 0, lost_count or 0, rate,
                                   Decimal(str(days)).quantize(Decimal("0.1")) if days is not None else None))
    return rows


@dataclass(frozen=True)
class CampaignRow:
    campaign: str
    sent: int
    leads: int
    won_revenue: Decimal


def campaign_effectiveness(session: Session) -> list[CampaignRow]:
    sent = dict(session.execute(
        select(Recipient.campaign_id, func.count(Recipient.id)).where(Recipient.status == "sent")
        .group_by(Recipient.campaign_id)
    ).all())
    leads = {campaign_id: (count, revenue) for campaign_id, count, revenue in session.execute(
        select(Lead.campaign_id, func.count(Lead.id), func.sum(case((Lead.state == WON, Lead.expected_revenue),
                                                                     else_=0)))
        .where(Lead.campaign_id.is_not(None)).group_by(Lead.campaign_id)
    )}
    return [CampaignRow(campaign.name, sent.get(campaign.id, 0), leads.get(campaign.id, (0, 0))[0],
                        _money(leads.get(campaign.id, (0, 0))[1]))
            for campaign in session.scalars(select(Campaign).order_by(Campaign.name))]


def overdue_activities(session: Session, today: dt.date) -> list[tuple[str, int]]:
    """Open activities past due on the leads, opportunities and partners the user may read, by assignee.

    The record rules of both models apply to their outer joins (an activity on a record the user may not read
    joins nothing and is not counted).
    """
    return [tuple(row) for row in session.execute(
        select(User.name, func.count(Activity.id)).join(User, User.id == Activity.user_id)
        .outerjoin(Lead, (Activity.res_model == LEAD_TABLE) & (Activity.res_id == Lead.id))
        .outerjoin(Partner, (Activity.res_model == Partner.__tablename__) & (Activity.res_id == Partner.id))
        .where(Activity.state == TO_DO, Activity.due_date < today, or_(Lead.id.is_not(None), Partner.id.is_not(None)))
        .group_by(User.id, User.name).order_by(User.name)
    )]
