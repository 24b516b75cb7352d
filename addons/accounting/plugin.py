from core import hookimpl

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
def validate_flush(session, new, dirty, deleted):
    guards.validate_flush(session, new, dirty, deleted)
