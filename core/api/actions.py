"""Business actions as explicit API endpoints: ``POST /api/v1/<addon>/<slug>/<id>/actions/<name>``.

An addon declares them with the ``register_api_actions`` hook (docs/hooks.md), so each exists only while its
addon is installed::

    @hookimpl
    def register_api_actions():
        return [ApiAction(Invoice, "post", lambda session, actor, invoice: post_invoice(session, invoice),
                          summary="Post a draft invoice")]

``run(session, actor, record, **params)`` calls the addon's service in the key user's session (access, record
rules and the service's own checks apply; its refusals become problems), within the request's one
transaction. ``params`` is a pydantic model of the body, when the action takes one (``extra="forbid"``).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel


@dataclass(frozen=True)
class ApiAction:
    model: type
    name: str
    run: Callable
    summary: str = ""
    params: type[BaseModel] | None = None


def actions_of(registry, model: type) -> dict[str, ApiAction]:
    """The actions the installed addons declare on ``model``, by name."""
    return {action.name: action for found in registry.hook.register_api_actions() for action in found or ()
            if action.model is model}
