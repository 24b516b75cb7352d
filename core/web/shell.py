"""The shell around every page: home with the app switcher and dashboard, company switch, lookups."""
from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, g, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext
from sqlalchemy import inspect

from core.chatter.models import Activity
from core.fields import fields_of
from core.menus import visible_menu

from . import pickers
from .actions import run_service
from .context import can, current_actor, current_registry, db, public
from .i18n import CODES
from .inputs import accepts_json, id_args, json_object
from .pickers import matching_records, model_view_of, options_json, quick_creatable

blueprint = Blueprint("web", __name__)
log = logging.getLogger("bottega.web")

OPTIONS_LIMIT = 20


def menu_tree():
    """The user's menu, without entries pointing at pages this app does not have (logged once per build).

    What a user sees follows from their groups alone (the app is built anew when the addons change):
    the tree is built once per set of groups and shared, read-only, by their requests.
    """
    actor = current_actor()
    if actor is None:
        return []
    trees = current_app.extensions.setdefault("bottega_menus", {})
    if actor.groups not in trees:
        trees[actor.groups] = _prune(visible_menu(current_registry(), actor), current_app.view_functions)
    return trees[actor.groups]


def _prune(nodes, endpoints):
    kept = []
    for node in nodes:
        if node.item.endpoint and node.item.endpoint not in endpoints:
            log.warning("menu %s points at unknown endpoint %s", node.item.id, node.item.endpoint)
            continue
        node.children = _prune(node.children, endpoints)
        if node.children or node.item.endpoint:
            kept.append(node)
    return kept


def first_endpoint(node):
    if node.item.endpoint:
        return node.item.endpoint
    for child in node.children:
        found = first_endpoint(child)
        if found:
            return found
    return None


def current_app_node(tree):
    """The app (top-level menu) that holds the page being shown."""
    endpoint = request.endpoint or ""
    prefix = endpoint.rsplit("_", 1)[0] if "." in endpoint else endpoint

    def holds(node):
        own = node.item.endpoint
        if own and (own == endpoint or own.rsplit("_", 1)[0] == prefix):
            return True
        return any(holds(child) for child in node.children)

    return next((node for node in tree if holds(node)), None)


@blueprint.app_context_processor
def shell_context():
    tree = menu_tree()
    return {
        "menu": tree,
        "current_app_node": current_app_node(tree),
        "first_endpoint": first_endpoint,
        "actor": current_actor(),
        "user": g.get("user"),
        "companies": g.get("companies", []) if current_actor() is not None else [],
        "can_chatter": current_actor() is not None and can(Activity, "read"),
    }


def _allowed_company_ids() -> set[int]:
    return {company.id for company in g.companies}


@blueprint.route("/")
def home():
    tiles = [tile for result in current_registry().hook.dashboard_tiles(session=db(), actor=current_actor())
             for tile in result or ()]
    tiles.sort(key=lambda t: (t.sequence, t.title))
    return render_template("core/home.html", tiles=tiles)


@blueprint.route("/switch-company", methods=["POST"])
def switch_company():
    allowed = _allowed_company_ids()
    chosen = {int(v) for v in request.form.getlist("company_id") if v.isdigit()}
    if not chosen or not chosen <= allowed:
        abort(403)
    session["company_ids"] = sorted(chosen)
    return redirect(request.referrer if (request.referrer or "").startswith(request.host_url) else url_for("web.home"))


@blueprint.route("/language", methods=["POST"])
@public
def language():
    if request.form.get("lang") in CODES:
        session["lang"] = request.form["lang"]
    return redirect(url_for("auth.login"))


def _relation(table: str, field: str):
    """The relation ``field`` of ``table``'s model (404 when there is none)."""
    try:
        model = current_registry().model_of_table(table)
    except KeyError:
        abort(404)
    found = fields_of(model).get(field)
    if found is None or not found.is_relation:
        abort(404)
    return found


@blueprint.route("/options/<table>/<field>.json")
def options(table: str, field: str):
    """The records a many-to-one or many-to-many ``field`` of ``table``'s model may take: those named by ``ids``
    (repeated), or those whose name contains ``q``.

    Only records the user may read (record rules, companies) and that meet the field's domain are offered.
    """
    found = _relation(table, field)
    actor = current_actor()
    if not current_registry().can(actor, found.target, "read"):
        return jsonify(error=gettext("You may not read these records.")), 403
    ids = id_args("ids", inspect(found.target).primary_key[0])
    rows = matching_records(db(), found, actor, request.args.get("q", "").strip()[:100], ids[:OPTIONS_LIMIT],
                            OPTIONS_LIMIT)
    return jsonify(results=options_json(rows))


@blueprint.route("/options/<table>/<field>/create", methods=["POST"])
@accepts_json
def quick_create(table: str, field: str):
    """A new record for a picker, from the name typed (``{"name": ...}``), where the user may create one."""
    found = _relation(table, field)
    actor = current_actor()
    if not current_registry().can(actor, found.target, "create") or model_view_of(found.target) is None:
        return jsonify(error=gettext("You may not create these records.")), 403
    if not quick_creatable(found.target):
        return jsonify(error=gettext("A new one needs more than a name: use “Create and edit…”.")), 422
    name = (json_object({"name": str}).get("name") or "").strip()
    if not name:
        return jsonify(error=gettext("Type a name first."), field="name"), 422
    outcome = run_service(lambda session: pickers.quick_create(session, actor, found, name), flash_errors=False)
    if not outcome.ok:
        return jsonify(error=str(outcome.error)), outcome.status
    return jsonify(options_json([outcome.result])[0])


@blueprint.route("/health")
@public
def health():
    return {"status": "ok"}
