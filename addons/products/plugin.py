from core import hookimpl

from . import demo, menus, models, security


@hookimpl
def register_models():
    return (models.Product,)


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
def register_views():
    from . import views

    return (views.product_view(),)


@hookimpl
def load_demo_data(session, company):
    demo.load(session, company)
