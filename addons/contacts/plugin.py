from core import hookimpl

from . import dashboard, demo, menus, models, security


@hookimpl
def register_models():
    return (models.Partner, models.Tag)


@hookimpl
def register_groups():
    return security.GROUPS


@hookimpl
def register_model_access():
    return security.ACCESS


@hookimpl
def register_menu_items():
    return menus.MENU


@hookimpl
def register_commands(cli):
    from core.imports import import_command

    from .importing import PartnerImport

    cli.commands["import"].add_command(import_command(
        "contacts", PartnerImport,
        help="Import partners (companies and people) from a CSV or XLSX file. Columns are matched to fields by "
             "their header (English, Spanish or Italian names); lines already imported are skipped."))


@hookimpl
def register_views():
    from . import views

    return (views.partner_view(), views.tag_view())


@hookimpl
def register_blueprints():
    from . import views

    return (views.blueprint,)


@hookimpl
def dashboard_tiles(session, actor):
    return dashboard.partner_tiles(session, actor, session.info["registry"])


@hookimpl
def load_demo_data(session, company):
    demo.load(session, company)
