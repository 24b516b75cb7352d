"""HR: its hooks; each imports what it needs when called, so registering the addon costs nothing."""
from core import hookimpl


@hookimpl
def register_models():
    from .models import (Contract, Department, Employee, EmployeePrivate, JobPosition, LeaveAllocation, LeaveRequest,
                         LeaveType, PublicHoliday, WorkingSchedule)
    from .expenses.models import ExpenseCategory, ExpenseClaim, ExpenseLine

    return (Department, JobPosition, Employee, EmployeePrivate, WorkingSchedule, Contract, PublicHoliday, LeaveType,
            LeaveAllocation, LeaveRequest, ExpenseCategory, ExpenseClaim, ExpenseLine)


@hookimpl
def register_extensions():
    from core.fields import Extension

    from .models import Employee, EmployeePrivate

    return (Extension(Employee, EmployeePrivate),)


@hookimpl
def register_groups():
    from .security import GROUPS

    return GROUPS


@hookimpl
def register_model_access():
    from .expenses import security as expenses
    from .security import ACCESS

    return (*ACCESS, *expenses.ACCESS)


@hookimpl
def register_record_rules():
    from .expenses import security as expenses
    from .security import RULES

    return (*RULES, *expenses.RULES)


@hookimpl
def register_menu_items():
    from .menus import MENU

    return MENU


@hookimpl
def register_views():
    from .expenses.views import expense_views
    from .views import hr_views

    return (*hr_views(), *expense_views())


@hookimpl
def register_blueprints():
    from .expenses.web import blueprint  # HR's blueprint, with the expense pages' routes on it too

    return (blueprint,)


@hookimpl
def record_buttons(session, actor, record):
    from .expenses.web import expense_buttons
    from .web import contract_buttons, leave_buttons

    return [*contract_buttons(session, actor, record), *leave_buttons(session, actor, record),
            *expense_buttons(session, actor, record)]


@hookimpl
def register_jobs():
    from huey import crontab

    from core.jobs import Job

    return (
        Job("hr.leave_reminders", "addons.hr.jobs:leave_reminders", schedule=crontab(hour="7", minute="15")),
        Job("hr.leave_accrual", "addons.hr.jobs:leave_accrual", schedule=crontab(day="1", hour="2", minute="30")),
    )


@hookimpl
def load_demo_data(session, company):
    from . import demo

    demo.load(session, company)
