"""Products: its hooks; each imports what it needs when called, so registering the addon costs nothing."""
from core import hookimpl


@hookimpl
def register_models():
    from .attributes import Attribute, AttributeValue, OfferedValue, VariantValue
    from .models import Product, ProductCategory, Uom, UomCategory

    return (UomCategory, Uom, ProductCategory, Product, Attribute, AttributeValue, OfferedValue,
            VariantValue)


@hookimpl
def after_install(session):
    from .units import seed_units

    seed_units(session)


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
def register_views():
    from . import views

    return views.product_views()


@hookimpl
def record_panels(session, actor, record):
    from .models import Product

    if isinstance(record, Product):
        from .panels import variant_panels

        return variant_panels(session, record)
    return ()


@hookimpl
def load_demo_data(session, company):
    from . import demo

    demo.load(session, company)
