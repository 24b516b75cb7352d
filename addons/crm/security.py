"""Who may do what in CRM.

- read-only: reads everything CRM in their companies;
- salesperson: reads their own and their teams' leads and opportunities (and so their chatter),
  and changes only their own (or unassigned ones of their teams);
- sales manager: everything, including teams, stages, rules, segments and campaigns.
"""
from sqlalchemy import or_, select, true

from core import Group, ModelAccess, N_, RecordRule

from .models import (
    Campaign,
    Lead,
    LostReason,
    Recipient,
    Rule,
    Segment,
    Stage,
    StageChange,
    Team,
    Unsubscribe,
    team_members,
)

READONLY = "crm.group_readonly"
SALESPERSON = "crm.group_salesperson"
MANAGER = "crm.group_manager"

GROUPS = (
    Group(READONLY, N_("CRM: read-only"), implies=("core.group_user",)),
    Group(SALESPERSON, N_("CRM: salesperson"), implies=("contacts.group_user",)),
    Group(MANAGER, N_("CRM: sales manager"), implies=(SALESPERSON,), for_admin=True),
)


def _grants(model, readonly=True, salesperson="", manager="rcwd"):
    def grant(group, letters):
        return ModelAccess(model, group, read="r" in letters, create="c" in letters, write="w" in letters,
                           delete="d" in letters)

    grants = [grant(MANAGER, manager)]
    if readonly:
        grants.append(grant(READONLY, "r"))
    if salesperson:
        grants.append(grant(SALESPERSON, salesperson))
    return grants


ACCESS = (
    *_grants(Lead, salesperson="rcw"),
    *_grants(StageChange, salesperson="rc"),
    *_grants(Team, salesperson="r"),
    *_grants(Stage, salesperson="r"),
    *_grants(LostReason, salesperson="r"),
    *_grants(Campaign, salesperson="r"),
    *_grants(Rule),
    *_grants(Segment),
    *_grants(Recipient),
    *_grants(Unsubscribe),
)


def my_teams(actor):
    return select(team_members.c.team_id).where(team_members.c.user_id == actor.user_id)


def _leads_i_see(actor):
    return or_(Lead.user_id == actor.user_id, Lead.team_id.in_(my_teams(actor)))


def _leads_i_change(actor):
    return or_(Lead.user_id == actor.user_id, Lead.user_id.is_(None) & Lead.team_id.in_(my_teams(actor)),
               Lead.user_id.is_(None) & Lead.team_id.is_(None))


RULES = (
    RecordRule(Lead, "own and team's leads", _leads_i_see, groups=(SALESPERSON,), operations=("read",)),
    RecordRule(Lead, "own leads", _leads_i_change, groups=(SALESPERSON,), operations=("create", "write", "delete")),
    RecordRule(Lead, "all leads", lambda actor: true(), groups=(MANAGER, READONLY), operations=("read",)),
    RecordRule(Lead, "all leads", lambda actor: true(), groups=(MANAGER,), operations=("create", "write", "delete")),
)
