"""CRM on the home page and on partner pages."""
from __future__ import annotations

from flask_babel import format_datetime, format_decimal
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import or_, select

from core.chatter import services as chatter
from core.chatter.models import OPEN as TO_DO
from core.chatter.models import Activity, Message
from core.db import utcnow
from core.web.chatter import MESSAGE_LABELS
from core.web.dashboard import Tile
from core.web.i18n import money
from core.web.panels import Panel

from . import reports
from .models import LEAD_TABLE, OPEN, OPPORTUNITY, PARTNER_TABLE, Lead

MESSAGE = _l("Message")  # a message to followers, which the timeline shows with no badge


def tiles(session, actor, registry):
    if not registry.can(actor, Lead, "read"):
        return ()
    pipeline = reports.pipeline_by_stage(session)
    today = utcnow().date()
    overdue = sum(planned.activity.due_date < today for planned in chatter.my_activities(session)) \
        if registry.can(actor, Activity, "read") else 0
    return (
        Tile(title=_l("Pipeline"), value=money(sum((row.weighted for row in pipeline), 0)),
             endpoint="crm.opportunity_kanban", caption=_l("Weighted value of open opportunities by stage"),
             chart=tuple((row.stage, float(row.weighted)) for row in pipeline), sequence=1),
        Tile(title=_l("My overdue activities"), value=format_decimal(overdue), endpoint="chatter.my_activities",
             sequence=2),
    )


def _about_partner(session, model, partner):
    """Chatter rows of ``model`` on the partner itself or on its leads the user may read."""
    leads = select(Lead.id).where(Lead.partner_id == partner.id)  # the user's record rules apply to Lead here
    return select(model).where(or_((model.res_model == PARTNER_TABLE) & (model.res_id == partner.id),
                                   (model.res_model == LEAD_TABLE) & model.res_id.in_(leads)))


def partner_panels(session, actor, registry, partner):
    if not registry.can(actor, Lead, "read"):
        return ()
    opportunities = session.scalars(
        select(Lead).where(Lead.partner_id == partner.id, Lead.kind == OPPORTUNITY, Lead.state == OPEN)
        .order_by(Lead.expected_revenue.desc()).limit(5)
    ).all()
    lines = tuple((lead.name, money(lead.expected_revenue)) for lead in opportunities)
    if not registry.can(actor, Message, "read"):
        return (Panel(title=_l("CRM"), lines=lines or ((str(_l("No open opportunity")), ""),), sequence=10),)
    activities = session.scalars(_about_partner(session, Activity, partner).where(Activity.state == TO_DO)
                                 .order_by(Activity.due_date, Activity.id).limit(5)).all()
    lines += tuple((f"{a.due_date.isoformat()} · {a.summary}", a.user.name) for a in activities)
    messages = session.scalars(_about_partner(session, Message, partner)
                               .order_by(Message.at.desc(), Message.id.desc()).limit(10)).all()
    return (
        Panel(title=_l("CRM"), lines=lines or ((str(_l("No open opportunity")), ""),), sequence=10),
        Panel(title=_l("Timeline"), sequence=11, lines=tuple(
            (f"{format_datetime(m.at, 'short')} · {MESSAGE_LABELS.get(m.kind, MESSAGE)}",
             (m.subject or Markup(m.shown_body).striptags())[:80]) for m in messages) or ((str(_l("Nothing yet.")), ""),)),
    )
