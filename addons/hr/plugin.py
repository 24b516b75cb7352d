"""HR: its hooks; each imports what it needs when called, so registering the addon costs nothing."""
from core import hookimpl


@hookimpl
def register_models():
    from .expenses.models import ExpenseCategory, ExpenseClaim, ExpenseLine
    from .models import (Contract, Department, Employee, EmployeePrivate, JobPosition, LeaveAllocation, LeaveRequest,
                         LeaveType, PublicHoliday, WorkingSchedule)
    from .payroll.models import ALL as PAYROLL
    from .time_models import Attendance, KioskBadge, TimesheetLine, WorkActivity

    return (Department, JobPosition, Employee, EmployeePrivate, WorkingSchedule, Contract, PublicHoliday, LeaveType,
            LeaveAllocation, LeaveRequest, Attendance, WorkActivity, TimesheetLine, KioskBadge,
            ExpenseCategory, ExpenseClaim, ExpenseLine, *PAYROLL)


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
    from . import security, time_security
    from .expenses import security as expenses
    from .payroll.security import ACCESS as PAYROLL

    return (*security.ACCESS, *time_security.ACCESS, *expenses.ACCESS, *PAYROLL)


@hookimpl
def register_record_rules():
    from . import security, time_security
    from .expenses import security as expenses
    from .payroll.security import RULES as PAYROLL

    return (*security.RULES, *time_security.RULES, *expenses.RULES, *PAYROLL)


@hookimpl
def register_menu_items():
    from . import menus, time_menus
    from .payroll.menus import MENU as PAYROLL

    return (*menus.MENU, *time_menus.MENU, *PAYROLL)


@hookimpl
def register_views():
    from .expenses.views import expense_views
    from .payroll.views import payroll_views
    from .time_views import time_views
    from .views import hr_views

    return (*hr_views(), *time_views(), *expense_views(), *payroll_views())


@hookimpl
def register_blueprints():
    from . import kiosk_web, time_web  # noqa: F401 (their routes join the blueprint)
    from .expenses import web as expense_pages  # noqa: F401 (its routes join the HR blueprint)
    from .payroll import web as payroll_pages  # noqa: F401 (its routes join the HR blueprint)
    from .web import blueprint

    return (blueprint,)


@hookimpl
def record_buttons(session, actor, record):
    from .expenses.web import expense_buttons
    from .kiosk_web import badge_buttons
    from .payroll.web import payroll_buttons
    from .web import contract_buttons, leave_buttons

    return [*contract_buttons(session, actor, record), *leave_buttons(session, actor, record),
            *badge_buttons(session, actor, record), *expense_buttons(session, actor, record),
            *payroll_buttons(session, actor, record)]


@hookimpl
def record_panels(session, actor, record):
    from .payroll.web import payslip_panels

    return payslip_panels(session, actor, record)


@hookimpl
def validate_flush(session, new, dirty, deleted):
    from .payroll import guards

    guards.validate_flush(session, new, dirty, deleted)


@hookimpl
def validate_rows(session, model, operation, rows):
    from .payroll import guards

    guards.validate_rows(session, model, operation, rows)


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


@hookimpl
def register_webhook_events():
    from flask_babel import lazy_gettext as _l

    from core.webhooks import WebhookEvent

    from .models import LeaveRequest

    return (WebhookEvent("hr.leave_approved", _l("Leave approved"), LeaveRequest),)


@hookimpl
def leave_approved(session, leave):
    from core.webhooks import publish

    publish(session, "hr.leave_approved", [leave.id])


@hookimpl
def register_api_actions():
    from .api import api_actions

    return api_actions()
