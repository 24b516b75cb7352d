"""The CRM UI: generic views over CRM models, saving through the CRM services.

Labels, list columns and form fields come from the models' field
declarations (:mod:`core.fields`); a view names columns only where it shows
another set than the model's default.
"""
from __future__ import annotations

from flask_babel import format_date, gettext, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.chatter import services as chatter
from core.chatter.models import OPEN as TO_DO
from core.chatter.models import Activity
from core.db import utcnow
from core.web.kanban import CardBadge
from core.web.views import Filter, ListAction, ModelView

from . import automation, campaigns, services
from .importing import LeadImport
from .models import LEAD, LEAD_TABLE, OPEN, OPPORTUNITY, Campaign, Lead, LostReason, Rule, Segment, Stage, Team

MARK_WON = ListAction("won", _l("Won"), lambda session, actor, leads: services.mark_won_leads(session, leads),
                      lambda count: ngettext("%(num)s marked as won.", "%(num)s marked as won.", count))


class _LeadBase(ModelView):
    kind = LEAD
    record_template = "crm/lead_record.html"
    list_actions = (MARK_WON,)
    money_fields = ("expected_revenue",)

    def conditions(self, params, actor):
        return [Lead.kind == self.kind, *super().conditions(params, actor)]

    def shows(self, record) -> bool:
        return record.kind == self.kind

    def create(self, session, actor, values):
        return services.create_lead(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return services.update_lead(session, record, **values)

    def record_context(self, record):
        from .web import lead_record_context

        return lead_record_context(record)


class LeadView(_LeadBase):
    """Leads: not in a pipeline yet, so without a stage (qualifying gives them one); their bar shows the state."""

    status_field = "state"

    list_actions = (
        ListAction("qualify", _l("Qualify as opportunity"),
                   lambda session, actor, leads: services.qualify_leads(session, leads),
                   lambda count: ngettext("%(num)s lead qualified as an opportunity.",
                                          "%(num)s leads qualified as opportunities.", count)),
        MARK_WON,
    )

    @property
    def form_fields(self) -> tuple[str, ...]:
        return tuple(name for name in super().form_fields if name != "stage_id")

    def import_spec(self, session, actor):
        """The leads import: headers in three languages, source "import", a line never imported twice."""
        return LeadImport(session, actor.company_id)


class OpportunityView(_LeadBase):
    kind = OPPORTUNITY
    kanban_sum = "expected_revenue"
    kanban_fields = ("partner_id", "expected_revenue", "priority", "user_id")

    def card_badges(self, session, rows):
        """Each card's next activity to do (the earliest due), marked late when overdue: one query for the board."""
        ids = [row.id for row in rows]
        if not ids:
            return {}
        pending = session.scalars(select(Activity).where(Activity.res_model == LEAD_TABLE, Activity.res_id.in_(ids),
                                                         Activity.state == TO_DO)
                                  .order_by(Activity.res_id, Activity.due_date, Activity.id)).all()
        today = utcnow().date()
        badges = {}
        for activity in pending:
            if activity.res_id not in badges:
                late = chatter.due_state(activity, today) == chatter.OVERDUE
                due = gettext("Overdue since %(date)s", date=format_date(activity.due_date)) if late \
                    else gettext("Due %(date)s", date=format_date(activity.due_date))
                badges[activity.res_id] = [CardBadge(activity.summary, f"{due}: {activity.summary}", late=late)]
        return badges

    def create(self, session, actor, values):
        # a card created in a kanban column names no salesperson: it is the user's own
        lead = super().create(session, actor, {"user_id": actor.user_id, **values})
        if lead.kind == LEAD:  # no stage was chosen: qualifying puts it in the team's first one
            services.qualify(session, lead)
        return lead


def _mine(actor):
    return Lead.user_id == actor.user_id


FILTERS = (
    Filter("mine", _l("Mine"), _mine),
    Filter("open", _l("Open"), lambda actor: Lead.state == OPEN),
    Filter("unassigned", _l("Unassigned"), lambda actor: Lead.user_id.is_(None)),
)


class RuleView(ModelView):
    importable = False  # the parameters are a JSON object: no flat file fits

    def create(self, session, actor, values):
        return automation.save_rule(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return automation.save_rule(session, record.company_id, record, **values)


class SegmentView(ModelView):
    importable = False  # the conditions are a JSON object: no flat file fits

    def create(self, session, actor, values):
        return campaigns.save_segment(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return campaigns.save_segment(session, record.company_id, record, **values)


class CampaignView(ModelView):
    record_template = "crm/campaign_record.html"
    money_fields = ("cost",)

    def record_context(self, record):
        from core.web.context import system_session

        return {"statuses": campaigns.recipient_statuses(system_session(), record.id)}


def crm_views() -> tuple[ModelView, ...]:
    return (
        LeadView(Lead, name="lead", slug="leads", label=_l("Lead"), label_plural=_l("Leads"),
                 search_fields=("name", "contact_name", "partner_name", "email"), filters=FILTERS,
                 default_order="created_at"),
        OpportunityView(Lead, name="opportunity", slug="opportunities", label=_l("Opportunity"),
                        label_plural=_l("Opportunities"),
                        list_columns=("name", "partner_id", "stage_id", "expected_revenue", "probability", "priority",
                                      "user_id", "date_deadline", "state"),
                        search_fields=("name", "partner_name", "contact_name", "email"), filters=FILTERS,
                        stage_field="stage_id"),
        ModelView(Team, name="team", slug="teams", label=_l("Sales team"), label_plural=_l("Sales teams")),
        ModelView(Stage, name="stage", slug="stages", label=_l("Stage"), label_plural=_l("Stages"),
                  default_order="sequence"),
        ModelView(LostReason, name="lost_reason", slug="lost-reasons", label=_l("Lost reason"),
                  label_plural=_l("Lost reasons")),
        RuleView(Rule, name="rule", slug="rules", label=_l("Automation rule"), label_plural=_l("Automation rules"),
                 default_order="sequence"),
        SegmentView(Segment, name="segment", slug="segments", label=_l("Segment"), label_plural=_l("Segments")),
        CampaignView(Campaign, name="campaign", slug="campaigns", label=_l("Campaign"), label_plural=_l("Campaigns")),
    )
