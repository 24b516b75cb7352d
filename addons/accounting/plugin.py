from addons.contacts.models import Partner
from core import hookimpl
from core.fields import Extension

from . import guards, menus, models, security


@hookimpl
def register_models():
    return models.ALL


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
def after_install(session):
    from .services.books import set_up_missing_books

    set_up_missing_books(session)


@hookimpl
def validate_flush(session, new, dirty, deleted):
    from .services.books import complete_partner_rows

    complete_partner_rows(session, [o for o in (*new, *dirty) if isinstance(o, models.PartnerAccounting)])
    guards.validate_flush(session, new, dirty, deleted)


@hookimpl
def validate_rows(session, model, operation, rows):
    guards.validate_rows(session, model, operation, rows)


@hookimpl
def register_extensions():
    return [Extension(Partner, models.PartnerAccounting)]


@hookimpl
def register_views():
    from .views import accounting_views

    return accounting_views()


@hookimpl
def register_blueprints():
    from .web import blueprint

    return (blueprint,)


@hookimpl
def partner_summary(session, actor, partner):
    from .panels import partner_panels

    return partner_panels(session, actor, session.info["registry"], partner)


@hookimpl
def partner_merge_blockers(session, source, target):
    from .services.ledger import partner_merge_blockers as blockers

    return blockers(session, source, target)


@hookimpl
def dashboard_tiles(session, actor):
    from .dashboard import tiles

    return tiles(session, actor, session.info["registry"])


@hookimpl
def load_demo_data(session, company):
    from . import demo

    demo.load(session, company)
