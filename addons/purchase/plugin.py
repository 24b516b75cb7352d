"""Purchase: its hooks; each imports what it needs when called, so registering the addon costs nothing."""
from core import hookimpl


@hookimpl
def register_models():
    from .models import ALL

    return ALL


@hookimpl
def register_extensions():
    from addons.products.models import Product
    from core.fields import Extension

    from .models import PurchaseProduct

    return (Extension(Product, PurchaseProduct),)


@hookimpl
def register_groups():
    from .security import GROUPS

    return GROUPS


@hookimpl
def register_model_access():
    from .security import ACCESS

    return ACCESS


@hookimpl
def validate_flush(session, new, dirty):
    from .models import PurchaseProduct
    from .services.units import complete_product_rows

    complete_product_rows(session, [o for o in (*new, *dirty) if isinstance(o, PurchaseProduct)])


@hookimpl
def register_menu_items():
    from .menus import MENU

    return MENU


@hookimpl
def register_views():
    from . import views

    return (views.order_view(), views.supplier_price_view(), views.settings_view())


@hookimpl
def register_blueprints():
    from .web import blueprint

    return (blueprint,)


@hookimpl
def after_install(session):
    from .services.settings import set_up_missing_settings

    set_up_missing_settings(session)


@hookimpl
def load_demo_data(session, company):
    from . import demo

    demo.load(session, company)


@hookimpl
def register_webhook_events():
    from flask_babel import lazy_gettext as _l

    from core.webhooks import WebhookEvent

    from .models import PurchaseOrder

    return (WebhookEvent("purchase.order_confirmed", _l("Purchase order confirmed"), PurchaseOrder),)


@hookimpl
def purchase_order_confirmed(session, order):
    from core.webhooks import publish

    publish(session, "purchase.order_confirmed", [order.id])


@hookimpl
def register_api_actions():
    from .api import api_actions

    return api_actions()
