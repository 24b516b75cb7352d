"""The global search and command palette (Ctrl+K): menus the user sees and records they may read.

``/palette.json?q=`` answers the palette (core/web/static/palette.js). Menus
come from the user's own menu tree; records from every mounted
:class:`~core.web.views.ModelView` whose model the user may read, searched on
the view's ``search_fields`` with the view's own conditions, through the
user's session (so model access, record rules and companies apply): one query
per view, of at most :data:`PER_VIEW` rows.
"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request, url_for
from flask_babel import gettext
from sqlalchemy import select

from core.errors import AccessDenied

from .context import can, current_actor, db
from .shell import menu_tree

blueprint = Blueprint("palette", __name__)

#: records shown per list (the "All results" entry opens the list searched)
PER_VIEW = 5
MAX_COMMANDS = 8
MAX_QUERY = 100


@blueprint.route("/palette.json")
def search():
    text = " ".join(request.args.get("q", "").split())[:MAX_QUERY]
    if not text:
        return jsonify(query="", commands=[], groups=[])
    return jsonify(query=text, commands=_commands(text.casefold()), groups=_record_groups(text))


def _commands(needle: str) -> list[dict]:
    """Menu entries whose path matches, then "New <record>" for lists the user may create in."""
    found = []

    def walk(nodes, path):
        for node in nodes:
            trail = (*path, str(node.item.label))
            if node.item.endpoint and needle in " / ".join(trail).casefold():
                found.append({"label": " / ".join(trail), "url": url_for(node.item.endpoint), "kind": "menu"})
            walk(node.children, trail)

    walk(menu_tree(), ())
    for view in _views():
        label = gettext("New %(record)s", record=view.label)
        if needle in label.casefold() and can(view.model, "create"):
            found.append({"label": label, "url": url_for(view.endpoint("new")), "kind": "create"})
    return found[:MAX_COMMANDS]


def _record_groups(text: str) -> list[dict]:
    from .views import ListParams

    groups = []
    session = db()
    for view in _views():
        if not view.search_fields or not can(view.model, "read"):
            continue
        params = ListParams(text, (), view.default_order, False, 1)
        statement = (select(view.model).where(*view.conditions(params, current_actor()))
                     .order_by(getattr(view.model, view.default_order), view.model.id).limit(PER_VIEW))
        try:
            rows = session.scalars(statement).all()
        except AccessDenied:  # a search field on a related model this user may not read
            continue
        if rows:
            groups.append({
                "label": str(view.label_plural),
                "url": url_for(view.endpoint("list"), q=text),
                "results": [{"label": view.title(row), "url": url_for(view.endpoint("view"), record_id=row.id)}
                            for row in rows],
            })
    return groups


def _views() -> list:
    """Every mounted ModelView, once, in the order of their labels."""
    views = {id(function.model_view): function.model_view for endpoint, function in current_app.view_functions.items()
             if endpoint.endswith("_list") and hasattr(function, "model_view")}
    return sorted(views.values(), key=lambda view: str(view.label_plural).casefold())
