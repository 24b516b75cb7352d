"""Manufacturing: its hooks; each imports what it needs when called, so registering the addon costs nothing."""
from core import hookimpl


@hookimpl
def register_models():
    from .models import ALL
    from .planning.models import ALL as PLANNING

    return (*ALL, *PLANNING)


@hookimpl
def register_groups():
    from .security import GROUPS

    return GROUPS


@hookimpl
def register_model_access():
    from .planning.security import ACCESS as PLANNING
    from .security import ACCESS

    return (*ACCESS, *PLANNING)


@hookimpl
def stock_kit_components(session, product_ids, date):
    from core.sessions import system_rows

    from .services.kits import kit_components

    with system_rows(session) as system:  # a stock clerk delivers kits without the right to read bills
        return kit_components(system, product_ids, on=date)


@hookimpl
def register_menu_items():
    from .menus import MENU
    from .planning.menus import MENU as PLANNING

    return (*MENU, *PLANNING)


@hookimpl
def register_views():
    from .planning.views import planning_views
    from .views import manufacturing_views

    return (*manufacturing_views(), *planning_views())


@hookimpl
def register_blueprints():
    from .planning import web as planning_pages  # noqa: F401  (its routes join the blueprint)
    from .web import blueprint

    return (blueprint,)


@hookimpl
def after_install(session):
    from .services.setup import set_up_missing_companies

    set_up_missing_companies(session)


@hookimpl
def load_demo_data(session, company):
    from . import demo

    demo.load(session, company)


@hookimpl
def register_extensions():
    from addons.products.models import Product
    from core.fields import Extension

    from .planning.models import ProductPlanning

    return (Extension(Product, ProductPlanning),)
