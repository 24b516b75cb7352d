"""CRM: its hooks; each imports what it needs when called, so registering the addon costs nothing."""
from core import hookimpl


@hookimpl
def register_models():
    from . import models

    return (models.Team, models.Stage, models.LostReason, models.Campaign, models.Lead, models.StageChange,
            models.Rule, models.Segment, models.Recipient, models.Unsubscribe)


@hookimpl
def register_groups():
    from .security import GROUPS

    return GROUPS


@hookimpl
def register_model_access():
    from .security import ACCESS

    return ACCESS


@hookimpl
def register_record_rules():
    from .security import RULES

    return RULES


@hookimpl
def register_menu_items():
    from .menus import MENU

    return MENU


@hookimpl
def register_views():
    from .views import crm_views

    return crm_views()


@hookimpl
def register_blueprints():
    from .web import blueprint

    return (blueprint,)


@hookimpl
def register_jobs():
    from huey import crontab

    from core.jobs import Job

    return (
        Job("crm.send_campaign", "addons.crm.jobs:send_campaign"),
        Job("crm.new_lead", "addons.crm.jobs:new_lead"),
        Job("crm.inactivity", "addons.crm.jobs:inactivity", schedule=crontab(hour="6", minute="30")),
        Job("crm.activity_reminders", "addons.crm.jobs:activity_reminders", schedule=crontab(hour="7", minute="0")),
    )


@hookimpl
def register_commands(cli):
    from core.imports import import_command

    cli.commands["import"].add_command(import_command(
        "leads", "addons.crm.importing:LeadImport",
        help="Import leads from a CSV or XLSX file. Columns are matched to fields by their header (English, Spanish "
             "or Italian names); lines already imported are skipped."))


@hookimpl
def mail_alias_targets():
    from .mail_alias import targets

    return targets()


@hookimpl
def dashboard_tiles(session, actor):
    from . import dashboard

    return dashboard.tiles(session, actor, session.info["registry"])


@hookimpl
def partner_summary(session, actor, partner):
    from . import dashboard

    return dashboard.partner_panels(session, actor, session.info["registry"], partner)


@hookimpl
def load_demo_data(session, company):
    from . import demo

    demo.load(session, company)


@hookimpl
def record_smart_buttons(model):
    """A partner's opportunities (activities are in every record's chatter)."""
    from flask_babel import lazy_gettext as _l

    from addons.contacts.models import Partner
    from core.web.smart_buttons import SmartButton

    if model is Partner:
        return [SmartButton(Partner, _l("Opportunities"), "crm.opportunity_list", "partner_id", 10)]
    return []


@hookimpl
def chatter_logged(session, message):
    """A message on a lead's timeline (not a change or a system line) is activity on the lead."""
    from .services import lead_touched

    lead_touched(session, message)


@hookimpl
def register_webhook_events():
    from flask_babel import lazy_gettext as _l

    from core.webhooks import WebhookEvent

    from .models import Lead

    return (WebhookEvent("crm.lead_created", _l("Lead created"), Lead),)


@hookimpl
def leads_created(session, lead_ids):
    from core.webhooks import publish

    publish(session, "crm.lead_created", lead_ids)


@hookimpl
def register_api_actions():
    from .api import api_actions

    return api_actions()
