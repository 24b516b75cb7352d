from flask_babel import lazy_gettext as _l

from core import MenuItem

from .models import Campaign, Lead, LostReason, Rule, Segment, Stage, Team
from .security import MANAGER

MENU = (
    MenuItem(id="crm.root", label=_l("CRM"), sequence=10, icon="funnel"),
    MenuItem(id="crm.pipeline", label=_l("Pipeline"), parent="crm.root", endpoint="crm.opportunity_kanban",
             model=Lead, sequence=1),
    MenuItem(id="crm.opportunities", label=_l("Opportunities"), parent="crm.root",
             endpoint="crm.opportunity_list", model=Lead, sequence=2),
    MenuItem(id="crm.leads", label=_l("Leads"), parent="crm.root", endpoint="crm.lead_list", model=Lead, sequence=3),
    MenuItem(id="crm.activities", label=_l("My activities"), parent="crm.root", endpoint="chatter.my_activities",
             model=Lead, sequence=4),  # in CRM for who uses CRM; the user menu has it for all
    MenuItem(id="crm.reports", label=_l("Reports"), parent="crm.root", endpoint="crm.report_page", model=Lead,
             sequence=5),
    MenuItem(id="crm.marketing", label=_l("Marketing"), parent="crm.root", sequence=6, group=MANAGER),
    MenuItem(id="crm.campaigns", label=_l("Campaigns"), parent="crm.marketing", endpoint="crm.campaign_list",
             model=Campaign),
    MenuItem(id="crm.segments", label=_l("Segments"), parent="crm.marketing", endpoint="crm.segment_list",
             model=Segment, sequence=20),
    MenuItem(id="crm.config", label=_l("Configuration"), parent="crm.root", sequence=9, group=MANAGER),
    MenuItem(id="crm.teams", label=_l("Sales teams"), parent="crm.config", endpoint="crm.team_list", model=Team),
    MenuItem(id="crm.stages", label=_l("Stages"), parent="crm.config", endpoint="crm.stage_list", model=Stage,
             sequence=20),
    MenuItem(id="crm.lost_reasons", label=_l("Lost reasons"), parent="crm.config",
             endpoint="crm.lost_reason_list", model=LostReason, sequence=30),
    MenuItem(id="crm.rules", label=_l("Automation rules"), parent="crm.config", endpoint="crm.rule_list",
             model=Rule, sequence=40),
)
