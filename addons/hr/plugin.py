"""HR: its hooks; each imports what it needs when called, so registering the addon costs nothing."""
from core import hookimpl


@hookimpl
def register_models():
    from .models import (Contract, Department, Employee, EmployeePrivate, JobPosition, LeaveAllocation, LeaveRequest,
                         LeaveType, PublicHoliday, WorkingSchedule)

    return (Department, JobPosition, Employee, EmployeePrivate, WorkingSchedule, Contract, PublicHoliday, LeaveType,
            LeaveAllocation, LeaveRequest)


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
    from .security import ACCESS

    return ACCESS


@hookimpl
def register_record_rules():
    from .security import RULES

    return RULES


@hookimpl
def register_menu_items():
    from .menus import MENU

    return MENU


@hookimpl
def register_views():
    from .views import hr_views

    return hr_views()


@hookimpl
def register_blueprints():
    from .web import blueprint

    return (blueprint,)


@hookimpl
def record_buttons(session, actor, record):
    from .web import contract_buttons, leave_buttons

    return [*contract_buttons(session, actor, record), *leave_buttons(session, actor, record)]


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
