"""purchase_accounting: its hooks; each imports what it needs when called, so registering the bridge costs nothing."""
from core import hookimpl


@hookimpl
def register_models():
    from .models import ALL

    return ALL


@hookimpl
def register_model_access():
    from .security import ACCESS

    return ACCESS


@hookimpl
def register_views():
    from .views import VIEWS

    return VIEWS


@hookimpl
def register_menu_items():
    from .views import MENU

    return MENU


@hookimpl
def register_blueprints():
    from .web import blueprint

    return (blueprint,)


@hookimpl
def record_panels(session, actor, record):
    from .panels import panels

    return panels(session, actor, record)


@hookimpl
def validate_flush(session, new, dirty, deleted):
    from . import guards

    guards.validate_flush(session, new, dirty, deleted)


@hookimpl
def validate_rows(session, model, operation, rows):
    from . import guards

    guards.validate_rows(session, model, operation, rows)
