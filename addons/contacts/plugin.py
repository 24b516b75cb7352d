"""Contacts: its hooks; each imports what it needs when called, so registering the addon costs nothing."""
from core import hookimpl


@hookimpl
def register_models():
    from .models import Partner, PartnerMatch, Tag

    return (Partner, Tag, PartnerMatch)


@hookimpl
def register_groups():
    from .security import GROUPS

    return GROUPS


@hookimpl
def register_model_access():
    from .security import ACCESS

    return ACCESS


@hookimpl
def register_menu_items():
    from .menus import MENU

    return MENU


@hookimpl
def register_commands(cli):
    from core.imports import import_command

    cli.commands["import"].add_command(import_command(
        "contacts", "addons.contacts.importing:PartnerImport",
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
    from .dashboard import partner_tiles

    return partner_tiles(session, actor, session.info["registry"])


@hookimpl
def load_demo_data(session, company):
    from . import demo

    demo.load(session, company)
