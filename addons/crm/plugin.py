from core import hookimpl

from . import dashboard, menus, models, security, views


@hookimpl
def register_models():
    return (models.Team, models.Stage, models.LostReason, models.Campaign, models.Lead, models.StageChange,
            models.Activity, models.Message, models.Rule, models.Segment, models.Recipient, models.Unsubscribe)


@hookimpl
def register_groups():
    return security.GROUPS


@hookimpl
def register_model_access():
    return security.ACCESS


@hookimpl
def register_record_rules():
    return security.RULES


@hookimpl
def register_menu_items():
    return menus.MENU


@hookimpl
def register_views():
    return views.crm_views()


@hookimpl
def register_blueprints():
    from .web import blueprint

    return (blueprint,)


@hookimpl
def register_jobs():
    from .jobs import JOBS

    return JOBS


@hookimpl
def register_commands(cli):
    from core.imports import import_command

    from .importing import LeadImport

    cli.commands["import"].add_command(import_command(
        "leads", LeadImport, help="Import leads from a CSV or XLSX file. Columns are matched to fields by their "
                                  "header (English, Spanish or Italian names); lines already imported are skipped."))


@hookimpl
def dashboard_tiles(session, actor):
    return dashboard.tiles(session, actor, session.info["registry"])


@hookimpl
def partner_summary(session, actor, partner):
    return dashboard.partner_panels(session, actor, session.info["registry"], partner)


@hookimpl
def load_demo_data(session, company):
    from . import demo

    demo.load(session, company)
