"""A user's task run by the worker as if that user had asked for it in a request.

An import or an export is the work of a list view (its fields, its import
spec, its formatting in the user's language and time zone), written for a
request. The worker runs it inside a request context of the web app of the
installed addons (built once per registry), with the task's user loaded as on
login, in the companies they worked in when they started it, and a session
acting as them: their access rights, record rules and company apply as in
the request they started it from.
"""
from __future__ import annotations

import threading
from dataclasses import replace
from typing import TYPE_CHECKING

from flask import g

from core.security import actor_session
from core.security.actor import load_actor

if TYPE_CHECKING:
    from flask import Flask

    from core.jobs import JobContext
    from core.tasks import TaskProgress

_lock = threading.Lock()
_apps: dict[int, tuple[object, Flask]] = {}


def app_for(context: JobContext) -> Flask:
    """The web app of the worker's registry (kept: built once, with its routes and templates)."""
    from .app import WebState, build_app

    registry = context.registry
    with _lock:
        known = _apps.get(id(registry))
        if known is None or known[0] is not registry:
            engine = context.session_factory.kw["bind"]
            state = WebState(context.config, registry.catalog, engine, registry, context.session_factory)
            known = _apps[id(registry)] = (registry, build_app(state))
        return known[1]


def run_as_user(context: JobContext, task_id: int, progress: TaskProgress) -> tuple[str, dict]:
    """Run task ``task_id`` as its user; returns its final state and its result."""
    from core.models import User, UserTask

    from .export_tasks import run_export_task
    from .import_pages import run_import_task

    runners = {"import": run_import_task, "export": run_export_task}
    app = app_for(context)
    with context.session() as system:
        query = system.get(UserTask, task_id).arguments.get("query", "")
    with app.test_request_context(query_string=query), context.session() as system:  # an export's list filters
        task = system.get(UserTask, task_id)
        user = system.get(User, task.user_id)
        actor = load_actor(system, context.registry, user.id, task.arguments.get("company_ids"))
        if task.arguments.get("company_id") in actor.company_ids:  # the company they worked in, not their default
            actor = replace(actor, company_id=task.arguments["company_id"])
        g.user, g.actor = user, actor
        g.db = actor_session(context.session_factory, context.registry, actor)
        view = app.view_functions[task.view].model_view
        return runners[task.kind](view, task, progress)
