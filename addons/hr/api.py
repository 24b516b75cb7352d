"""HR's business actions in the JSON API: approve a leave request."""
from __future__ import annotations

from core.api.actions import ApiAction

from .models import LeaveRequest


def _approve(session, actor, leave):
    from .leaves import approve

    return approve(session, actor, leave)


def api_actions() -> list[ApiAction]:
    return [ApiAction(LeaveRequest, "approve", _approve, summary="Approve a leave request")]
