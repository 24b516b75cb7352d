"""HR: its hooks; each imports what it needs when called, so registering the addon costs nothing."""
from core import hookimpl


@hookimpl
def register_models():
    from .models import (Contract, Department, Employee, EmployeePrivate, JobPosition, LeaveAllocation, LeaveRequest,
                         LeaveType, PublicHoliday, WorkingSchedule)
    from .time_models import Attendance, KioskBadge, TimesheetLine, WorkActivity

    return (Department, JobPosition, Employee, EmployeePrivate, WorkingSchedule, Contract, PublicHoliday, LeaveType,
            LeaveAllocation, LeaveRequest, Attendance, WorkActivity, TimesheetLine, KioskBadge)


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

    return security.ACCESS + time_security.ACCESS


@hookimpl
def register_record_rules():
    from . import security, time_security

    return security.RULES + time_security.RULES


@hookimpl
def register_menu_items():
    from . import menus, time_menus

    return menus.MENU + time_menus.MENU


@hookimpl
def register_views():
    from .time_views import time_views
    from .views import hr_views

    return hr_views() + time_views()


@hookimpl
def register_blueprints():
    from . import kiosk_web, time_web  # noqa: F401 (their routes join the blueprint)
    from .web import blueprint

    return (blueprint,)


@hookimpl
def record_buttons(session, actor, record):
    from .kiosk_web import badge_buttons
    from .web import contract_buttons, leave_buttons

    return [*contract_buttons(session, actor, record), *leave_buttons(session, actor, record),
            *badge_buttons(session, actor, record)]


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
