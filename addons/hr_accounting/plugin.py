"""hr_accounting: its hooks; each imports what it needs when called, so registering the bridge costs nothing."""
from core import hookimpl


@hookimpl
def register_models():
    from .expense_models import EXPENSE_MODELS

    return EXPENSE_MODELS


@hookimpl
def register_extensions():
    from .expense_models import EXPENSE_EXTENSIONS

    return EXPENSE_EXTENSIONS


@hookimpl
def register_model_access():
    from .expense_security import EXPENSE_ACCESS

    return EXPENSE_ACCESS


@hookimpl
def register_blueprints():
    from .expense_web import blueprint

    return (blueprint,)


@hookimpl
def record_buttons(session, actor, record):
    from .expense_web import expense_buttons

    return expense_buttons(session, actor, record)


@hookimpl
def validate_flush(session, new, dirty, deleted):
    from .expenses import validate_flush

    validate_flush(session, new, dirty, deleted)
