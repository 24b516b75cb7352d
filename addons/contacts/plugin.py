from core import hookimpl

from . import menus, models, security


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
