"""The CRM UI: generic views over CRM models, saving through the CRM services."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from core.db import utcnow
from core.web.views import Filter, ModelView

from . import automation, campaigns, services
from .models import LEAD, OPEN, OPPORTUNITY, Activity, Campaign, Lead, LostReason, Rule, Segment, Stage, Team

LABELS = {
    "name": _l("Title"), "contact_name": _l("Contact"), "partner_name": _l("Company name"), "email": _l("Email"),
    "phone": _l("Phone"), "country_code": _l("Country"), "partner": _l("Partner"), "partner_id": _l("Partner"),
    "user": _l("Salesperson"), "user_id": _l("Salesperson"), "team": _l("Team"), "team_id": _l("Team"),
    "stage": _l("Stage"), "stage_id": _l("Stage"), "state": _l("Status"), "probability": _l("Probability (%)"),
    "expected_revenue": _l("Expected revenue"), "date_deadline": _l("Expected closing"),
    "lost_reason": _l("Lost reason"), "source": _l("Source"), "category": _l("Category"),
    "campaign": _l("Campaign"), "campaign_id": _l("Campaign"), "description": _l("Notes"), "kind": _l("Kind"),
}


class _LeadBase(ModelView):
    kind = LEAD

    def conditions(self, params, actor):
        return [Lead.kind == self.kind, *super().conditions(params, actor)]

    def create(self, session, actor, values):
        lead = services.create_lead(session, actor.company_id, **values)
        if self.kind == OPPORTUNITY:
            services.qualify(session, lead)
        return lead

    def update(self, session, actor, record, values):
        stage_id = values.pop("stage_id", None)
        services.update_lead(session, record, **values)
        if stage_id is not None and stage_id != record.stage_id:
            services.set_stage(session, record, stage_id=stage_id)
        return record


class LeadView(_LeadBase):
    record_template = "crm/lead_record.html"

    def record_context(self, record):
        from .web import lead_record_context

        return lead_record_context(record)


class OpportunityView(LeadView):
    kind = OPPORTUNITY


def _mine(actor):
    return Lead.user_id == actor.user_id


FILTERS = (
    Filter("mine", _l("Mine"), _mine),
    Filter("open", _l("Open"), lambda actor: Lead.state == OPEN),
    Filter("unassigned", _l("Unassigned"), lambda actor: Lead.user_id.is_(None)),
)


class RuleView(ModelView):
    def create(self, session, actor, values):
        return automation.save_rule(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return automation.save_rule(session, record.company_id, record, **values)


class SegmentView(ModelView):
    def create(self, session, actor, values):
        return campaigns.save_segment(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return campaigns.save_segment(session, record.company_id, record, **values)


class CampaignView(ModelView):
    record_template = "crm/campaign_record.html"

    def record_context(self, record):
        from core.web.context import system_session

        return {"statuses": campaigns.recipient_statuses(system_session(), record.id)}


class ActivityView(ModelView):
    def create(self, session, actor, values):
        return services.schedule_activity(session, kind=values["kind"], summary=values["summary"],
                                          due_date=values["due_date"], user_id=values.get("user_id") or actor.user_id,
                                          lead_id=values.get("lead_id"), partner_id=values.get("partner_id"),
                                          note=values.get("note"))


def crm_views() -> tuple[ModelView, ...]:
    lead_form = ("name", "contact_name", "partner_name", "email", "phone", "country_code", "partner_id", "user_id",
                 "team_id", "expected_revenue", "date_deadline", "category", "campaign_id", "description")
    return (
        LeadView(Lead, name="lead", slug="leads", label=_l("Lead"), label_plural=_l("Leads"),
                 list_columns=("name", "contact_name", "email", "country_code", "user", "source", "category",
                               "created_at"),
                 search_fields=("name", "contact_name", "partner_name", "email"), form_fields=lead_form,
                 filters=FILTERS, labels={**LABELS, "created_at": _l("Created")}, default_order="created_at"),
        OpportunityView(Lead, name="opportunity", slug="opportunities", label=_l("Opportunity"),
                        label_plural=_l("Opportunities"),
                        list_columns=("name", "partner", "stage", "expected_revenue", "probability", "user",
                                      "date_deadline", "state"),
                        search_fields=("name", "partner_name", "contact_name", "email"),
                        form_fields=("stage_id", *lead_form), filters=FILTERS, labels=LABELS, stage_field="stage_id"),
        ActivityView(Activity, name="activity", slug="activities", label=_l("Activity"),
                     label_plural=_l("Activities"),
                     list_columns=("due_date", "summary", "kind", "lead", "partner", "user", "done_at"),
                     search_fields=("summary",), form_fields=("kind", "summary", "due_date", "user_id", "lead_id",
                                                              "partner_id", "note"),
                     filters=(Filter("mine", _l("Mine"), lambda actor: Activity.user_id == actor.user_id),
                              Filter("todo", _l("To do"), lambda actor: Activity.done_at.is_(None)),
                              Filter("overdue", _l("Overdue"), lambda actor: Activity.done_at.is_(None)
                                     & (Activity.due_date < utcnow().date()))),
                     labels={"due_date": _l("Due"), "summary": _l("Summary"), "kind": _l("Kind"), "lead": _l("Lead"),
                             "lead_id": _l("Lead"), "partner": _l("Partner"), "partner_id": _l("Partner"),
                             "user": _l("Assigned to"), "user_id": _l("Assigned to"), "done_at": _l("Done"),
                             "note": _l("Notes")}, default_order="due_date"),
        ModelView(Team, name="team", slug="teams", label=_l("Sales team"), label_plural=_l("Sales teams"),
                  list_columns=("name", "leader", "active"), form_fields=("name", "leader_id", "members", "active"),
                  labels={"name": _l("Name"), "leader": _l("Leader"), "leader_id": _l("Leader"),
                          "members": _l("Members"), "active": _l("Active")}),
        ModelView(Stage, name="stage", slug="stages", label=_l("Stage"), label_plural=_l("Stages"),
                  list_columns=("sequence", "name", "team_id", "probability", "is_won"),
                  form_fields=("name", "sequence", "team_id", "probability", "is_won"), default_order="sequence",
                  labels={"name": _l("Name"), "sequence": _l("Order"), "team_id": _l("Team"),
                          "probability": _l("Probability (%)"), "is_won": _l("Won stage")}),
        ModelView(LostReason, name="lost_reason", slug="lost-reasons", label=_l("Lost reason"),
                  label_plural=_l("Lost reasons"), list_columns=("name", "active"), form_fields=("name", "active"),
                  labels={"name": _l("Name"), "active": _l("Active")}),
        RuleView(Rule, name="rule", slug="rules", label=_l("Automation rule"), label_plural=_l("Automation rules"),
                 list_columns=("sequence", "name", "action", "team_id", "active"),
                 form_fields=("name", "action", "team_id", "sequence", "active", "parameters"),
                 default_order="sequence",
                 labels={"name": _l("Name"), "action": _l("Action"), "team_id": _l("Team"), "sequence": _l("Order"),
                         "active": _l("Active"), "parameters": _l("Parameters")}),
        SegmentView(Segment, name="segment", slug="segments", label=_l("Segment"), label_plural=_l("Segments"),
                  list_columns=("name", "target"), form_fields=("name", "target", "conditions"),
                  labels={"name": _l("Name"), "target": _l("Of"), "conditions": _l("Conditions")}),
        CampaignView(Campaign, name="campaign", slug="campaigns", label=_l("Campaign"), label_plural=_l("Campaigns"),
                  list_columns=("name", "state", "sent_at"), form_fields=("name", "segment_id", "subject", "body"),
                  labels={"name": _l("Name"), "state": _l("Status"), "sent_at": _l("Sent"),
                          "segment_id": _l("Segment"), "subject": _l("Subject"), "body": _l("Text")}),
    )

