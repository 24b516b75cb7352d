"""CRM on the home page and on partner pages."""
from __future__ import annotations

from flask_babel import format_datetime, format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.db import utcnow
from core.web.dashboard import Tile
from core.web.i18n import money
from core.web.panels import Panel

from . import reports, services
from .models import MESSAGE_KINDS, OPEN, OPPORTUNITY, Activity, Lead, Message


def tiles(session, actor, registry):
    if not registry.can(actor, Lead, "read"):
        return ()
    pipeline = reports.pipeline_by_stage(session)
    overdue = session.scalar(select(func.count(Activity.id)).where(
        Activity.done_at.is_(None), Activity.due_date < utcnow().date(), Activity.user_id == actor.user_id))
    return (
        Tile(title=_l("Pipeline"), value=money(sum((row.weighted for row in pipeline), 0)),
             endpoint="crm.opportunity_kanban", caption=_l("Weighted value of open opportunities by stage"),
             chart=tuple((row.stage, float(row.weighted)) for row in pipeline), sequence=1),
        Tile(title=_l("My overdue activities"), value=format_decimal(overdue or 0), endpoint="crm.activity_list",
             sequence=2),
    )


def partner_panels(session, actor, registry, partner):
    if not registry.can(actor, Lead, "read"):
        return ()
    opportunities = session.scalars(
        select(Lead).where(Lead.partner_id == partner.id, Lead.kind == OPPORTUNITY, Lead.state == OPEN)
        .order_by(Lead.expected_revenue.desc()).limit(5)
    ).all()
    activities = session.scalars(
        select(Activity).where(Activity.partner_id == partner.id, Activity.done_at.is_(None))
        .order_by(Activity.due_date).limit(5)
    ).all() if registry.can(actor, Activity, "read") else []
    lines = tuple((lead.name, money(lead.expected_revenue)) for lead in opportunities)
    lines += tuple((f"{a.due_date.isoformat()} · {a.summary}", a.user.name) for a in activities)
    panels = [Panel(title=_l("CRM"), lines=lines or ((str(_l("No open opportunity")), ""),), sequence=10)]
    if registry.can(actor, Message, "read"):
        messages, _pending = services.timeline(session, partner, limit=10)
        kinds = dict(MESSAGE_KINDS)
        panels.append(Panel(title=_l("Timeline"), sequence=11, lines=tuple(
            (f"{format_datetime(m.at, 'short')} · {kinds.get(m.kind, m.kind)}",
             (m.subject or (m.body or ""))[:80]) for m in messages) or ((str(_l("Nothing yet.")), ""),)))
    return tuple(panels)
