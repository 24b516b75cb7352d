"""Stock: its hooks; each imports what it needs when called, so registering the addon costs nothing."""
from core import hookimpl


@hookimpl
def register_models():
    from .models import ALL

    return ALL


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
def register_extensions():
    from addons.products.models import Product, ProductCategory
    from core.fields import Extension

    from .models import CategoryStock, ProductStock

    return [Extension(Product, ProductStock), Extension(ProductCategory, CategoryStock)]


@hookimpl
def after_install(session):
    from .services.setup import set_up_missing_companies

    set_up_missing_companies(session)


@hookimpl
def validate_flush(session, new, dirty, deleted):
    from .services.products import check_barcodes
    from .valuation.method_change import revalue_method_changes
    from .valuation.standard import revalue_standard_costs

    check_barcodes(session, new, dirty)
    revalued = revalue_method_changes(session, new, dirty, deleted)
    revalue_standard_costs(session, dirty, skip=revalued)


@hookimpl
def register_views():
    from .replenishment.views import replenishment_views
    from .views import stock_views

    return (*stock_views(), *replenishment_views())


@hookimpl
def record_buttons(session, actor, record):
    from .web.valuation import recompute_buttons

    return recompute_buttons(session, actor, record)


@hookimpl
def register_blueprints():
    from .web import blueprint

    return (blueprint,)


@hookimpl
def register_jobs():
    from huey import crontab

    from core.jobs import Job

    return (Job("stock.replenishment", "addons.stock.replenishment.jobs:replenishment",
                schedule=crontab(hour="4", minute="15")),)


@hookimpl
def product_availability(session, company_id, product_ids, date):
    from .reports.availability import availability

    return availability(session, company_id, product_ids=product_ids, date=date)


@hookimpl
def load_demo_data(session, company):
    from . import demo

    demo.load(session, company)


@hookimpl
def register_webhook_events():
    from flask_babel import lazy_gettext as _l

    from core.webhooks import WebhookEvent

    from .models import ReplenishmentLine

    return (WebhookEvent("stock.below_minimum", _l("Stock below minimum"), ReplenishmentLine),)


@hookimpl
def stock_below_minimum(session, line_ids):
    from core.webhooks import publish

    publish(session, "stock.below_minimum", line_ids)
