"""Sales: its hooks; each imports what it needs when called, so registering the addon costs nothing."""
from core import hookimpl


@hookimpl
def register_models():
    from .models import ALL

    return ALL


@hookimpl
def register_extensions():
    from addons.contacts.models import Partner
    from addons.products.models import Product
    from core.fields import Extension

    from .models import SalesPartner, SalesProduct

    return (Extension(Partner, SalesPartner), Extension(Product, SalesProduct))


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
    from . import views

    return views.sales_views()


@hookimpl
def register_blueprints():
    from .web import blueprint

    return (blueprint,)


@hookimpl
def register_jobs():
    from huey import crontab

    from core.jobs import Job

    return (Job("sales.expire_quotes", "addons.sales.jobs:expire_quotes", schedule=crontab(hour="5", minute="10")),)


@hookimpl
def dashboard_tiles(session, actor):
    from .web.dashboard import tiles

    return tiles(session, actor, session.info["registry"])


@hookimpl
def load_demo_data(session, company):
    from . import demo

    demo.load(session, company)


@hookimpl
def invoice_posted(session, invoice):
    from .services.invoicing import invoice_posted as posted

    posted(session, invoice)


@hookimpl
def commission_amounts(session, company_id, date_from, date_to):
    from .services.commissions import confirmed_amounts

    return confirmed_amounts(session, company_id, date_from=date_from, date_to=date_to)


@hookimpl
def record_smart_buttons(model):
    """A partner's quotations and sales orders."""
    from flask_babel import lazy_gettext as _l

    from addons.contacts.models import Partner
    from core.web.smart_buttons import SmartButton

    if model is not Partner:
        return []
    return [SmartButton(Partner, _l("Quotations and orders"), "sales.order_list", "partner_id", 20)]


@hookimpl
def register_webhook_events():
    from flask_babel import lazy_gettext as _l

    from core.webhooks import WebhookEvent

    from .models import SaleOrder

    return (WebhookEvent("sales.order_confirmed", _l("Sales order confirmed"), SaleOrder),)


@hookimpl
def sales_order_confirmed(session, order):
    from core.webhooks import publish

    publish(session, "sales.order_confirmed", [order.id])


@hookimpl
def register_api_actions():
    from .api import api_actions

    return api_actions()
