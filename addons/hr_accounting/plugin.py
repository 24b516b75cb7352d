"""hr_accounting: its hooks; each imports what it needs when called, so registering the bridge costs nothing."""
from core import hookimpl


@hookimpl
def register_models():
    from .payroll import MODELS

    return MODELS


@hookimpl
def register_model_access():
    from .payroll import ACCESS

    return ACCESS


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
    from .payroll import blueprint

    return (blueprint,)


@hookimpl
def record_buttons(session, actor, record):
    from .payroll import buttons

    return buttons(session, actor, record)


@hookimpl
def payslips_posted(session, payslips):
    from .payroll import book_payroll

    book_payroll(session, payslips)
