from core import hookimpl

from . import dashboard, demo, menus, models, security, views


@hookimpl
def register_models():
    return (models.Partner,)


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
    return (views.partner_view(),)


@hookimpl
def dashboard_tiles(session, actor):
    return dashboard.partner_tiles(session, actor, session.info["registry"])


@hookimpl
def load_demo_data(session, company):
    demo.load(session, company)
