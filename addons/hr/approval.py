"""Who may approve an employee's request (a leave, an expense claim): one rule for every kind of request.

Nobody approves their own; an HR officer approves anyone's (of their companies); anyone else only the requests
of the employees they manage (:func:`.services.manager_of`: the employee's manager, else their department's).
"""
from __future__ import annotations

from flask_babel import gettext

from core.db import utcnow
from core.errors import ValidationError
from core.sessions import system_rows

from .models import Employee
from .security import OFFICER
from .services import manager_of


def approval_refusal(session, actor, employee: Employee, *, hr_only: str | None = None) -> str | None:
    """Why ``actor`` may not approve a request of ``employee`` (None: they may). ``hr_only``: the reason given to
    a manager when such requests are decided by HR officers only."""
    if employee.user_id == actor.user_id:
        return gettext("You cannot approve or refuse your own request.")
    if actor.in_group(OFFICER):
        return None
    if hr_only:
        return hr_only
    manager = _manager(session, employee)
    if manager is None or manager.user_id != actor.user_id:
        return gettext("Only %(employee)s's manager or an HR officer decides this request.", employee=employee.name)
    return None


def check_approver(session, actor, employee: Employee, *, hr_only: str | None = None) -> None:
    """Refuse (ValidationError) unless ``actor`` may approve a request of ``employee``."""
    refusal = approval_refusal(session, actor, employee, hr_only=hr_only)
    if refusal is not None:
        raise ValidationError(refusal)


def _manager(session, employee: Employee) -> Employee | None:
    with system_rows(session) as system:
        return manager_of(system.get(Employee, employee.id))


def record_decision(request, actor, state: str, *, reason: str | None = None) -> None:
    """Write on ``request`` (a leave, an expense claim) its new ``state``, who decided and when; a refusal (given
    with ``reason``) must say why."""
    if reason is not None and not reason.strip():
        raise ValidationError(gettext("Say why the request is refused."), "reason")
    request.state, request.decided_by_id, request.decided_at = state, actor.user_id, utcnow()
    if reason is not None:
        request.refusal = reason.strip()[:2000]
