"""Products: its hooks; each imports what it needs when called, so registering the addon costs nothing."""
from core import hookimpl


@hookimpl
def register_models():
    from .models import Product, ProductCategory, Uom, UomCategory

    return (UomCategory, Uom, ProductCategory, Product)


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
def load_demo_data(session, company):
    from . import demo

    demo.load(session, company)
