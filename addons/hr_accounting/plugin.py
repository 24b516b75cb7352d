"""hr_accounting: its hooks; each imports what it needs when called, so registering the bridge costs nothing."""
from core import hookimpl


@hookimpl
def register_models():
    from .expense_models import EXPENSE_MODELS
    from .payroll import MODELS

    return (*MODELS, *EXPENSE_MODELS)


@hookimpl
def register_extensions():
    from .expense_models import EXPENSE_EXTENSIONS

    return EXPENSE_EXTENSIONS


@hookimpl
def register_model_access():
    from .expense_security import EXPENSE_ACCESS
    from .payroll import ACCESS

    return (*ACCESS, *EXPENSE_ACCESS)


@hookimpl
def register_views():
    from .payroll import views

    return views()


@hookimpl
def register_menu_items():
    from .payroll import MENU

    return MENU


@hookimpl
def register_blueprints():
    from . import expense_web, payroll  # noqa: F401 (their routes join the blueprint)
    from .web import blueprint

    return (blueprint,)


@hookimpl
def record_buttons(session, actor, record):
    from .expense_web import expense_buttons
    from .payroll import buttons

    return [*buttons(session, actor, record), *expense_buttons(session, actor, record)]


@hookimpl
def payslips_posted(session, payslips):
    from .payroll import book_payroll

    book_payroll(session, payslips)


@hookimpl
def validate_flush(session, new, dirty, deleted):
    from .expenses import validate_flush

    validate_flush(session, new, dirty, deleted)
