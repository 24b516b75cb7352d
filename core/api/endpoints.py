"""The API's routes: list, read, create, update, delete and business actions of every resource.

Each request authenticates with its key (:mod:`.auth`), checks the key's scope for the resource's addon, then
does exactly what the UI does, in the key user's session: the view's conditions, :meth:`ModelView.save` and
:meth:`ModelView.delete` (the addon's services), the same model access, record rules, companies, read-only
rules and extension fields. Each request is one transaction: committed when it succeeded, rolled back with
nothing written otherwise.
"""
from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, current_app, g, jsonify, request
from flask_babel import gettext
from pydantic import ValidationError as PydanticError

from core.bounds import fits_id
from core.errors import ValidationError
from core.fields import extension_values
from core.web.context import PUBLIC_ATTRIBUTE, current_registry, public as mark_public
from core.web.inputs import accepts_json, json_object
from sqlalchemy import inspect

from . import idempotency, limits, listing
from .actions import actions_of
from .auth import authenticate, require_scope
from .payloads import payloads, unknown_fields
from .problems import ApiProblem
from .resources import Resource, line_fields, resources, writable_fields
from .schemas import input_model

#: the largest body the API reads (a document with its lines fits many times over)
MAX_BODY = 1024 * 1024
blueprint = Blueprint("api", __name__, url_prefix="/api")
limits.limit(blueprint)


@blueprint.before_request
def _before():
    request.max_content_length = MAX_BODY
    if (request.content_length or 0) > MAX_BODY:
        raise ApiProblem(413, gettext("The body is larger than the %(size)s KB the API takes; nothing was saved.",
                                      size=MAX_BODY // 1024))
    if not getattr(current_app.view_functions.get(request.endpoint or ""), PUBLIC_ATTRIBUTE, False):
        authenticate()


def route(rule: str, methods: tuple[str, ...], public: bool = False):
    """Add an API view; ``public`` ones (the API's description) need no key."""
    def register(function):
        wrapped = accepts_json(mark_public(function) if public else function)
        blueprint.add_url_rule(rule, function.__name__, wrapped, methods=list(methods))
        return function
    return register


@route("/v1/<addon>/<slug>", ("GET",))
def list_records(addon, slug):
    resource = _resource(addon, slug, "read")
    listed = listing.parse(resource.view, request.args)
    _check_names(resource, listed.fields, listed.expand)
    rows = list(g.db.scalars(listing.statement(resource.view, g.actor, listed)))
    page = rows[:listed.limit]
    return jsonify(data=payloads(g.db, page, listed.fields, listed.expand),
                   next_cursor=listing.next_cursor(listed, rows))


@route("/v1/<addon>/<slug>/<int:record_id>", ("GET",))
def read_record(addon, slug, record_id):
    resource = _resource(addon, slug, "read")
    fields, expand = listing._names(request.args, "fields"), listing._names(request.args, "expand") or []
    _check_names(resource, fields, expand)
    return jsonify(payloads(g.db, [_record(resource, record_id)], fields, expand)[0])


@route("/v1/<addon>/<slug>", ("POST",))
def create_record(addon, slug):
    resource = _resource(addon, slug, "write")
    _require(resource, "create", None)
    return _idempotent(lambda: _save(resource, None), 201)


@route("/v1/<addon>/<slug>/<int:record_id>", ("PATCH",))
def update_record(addon, slug, record_id):
    resource = _resource(addon, slug, "write")
    record = _record(resource, record_id)
    _require(resource, "write", record)
    return jsonify(_save(resource, record))


@route("/v1/<addon>/<slug>/<int:record_id>", ("DELETE",))
def delete_record(addon, slug, record_id):
    resource = _resource(addon, slug, "write")
    current_registry().require(g.actor, resource.model, "delete")
    record = _record(resource, record_id)
    resource.view.delete(g.db, g.actor, record)
    g.db.commit()
    return "", 204


@route("/v1/<addon>/<slug>/<int:record_id>/actions/<name>", ("POST",))
def run_action(addon, slug, record_id, name):
    resource = _resource(addon, slug, "write")
    action = actions_of(current_registry(), resource.model).get(name)
    if action is None:
        raise ApiProblem(404, gettext("%(resource)s has no action “%(name)s”.", resource=resource.path, name=name))
    record = _record(resource, record_id)

    def act():
        params = _validated(action.params, _body(allow_empty=True)) if action.params else _no_body()
        action.run(g.db, g.actor, record, **params)
        g.db.flush()
        g.db.refresh(record)
        return payloads(g.db, [record])[0]

    return _idempotent(act, 200)


# --- steps -----------------------------------------------------------------------------


def _resource(addon: str, slug: str, operation: str) -> Resource:
    found = resources().get(f"{addon}/{slug}")
    if found is None:
        raise ApiProblem(404, gettext("There is no resource %(path)s (is its addon installed?).",
                                      path=f"{addon}/{slug}"))
    require_scope(addon, operation)
    current_registry().require(g.actor, found.model, "read")
    return found


def _record(resource: Resource, record_id: int):
    """The record as the key's user may see it; another company's, or one of another view, is not found."""
    if fits_id(inspect(resource.model).primary_key[0], record_id):
        record = g.db.get(resource.model, record_id)
        if record is not None and resource.view.shows(record):
            return record
    raise ApiProblem(404, gettext("%(resource)s %(id)s does not exist, or you may not see it.",
                                  resource=resource.path, id=record_id))


def _require(resource: Resource, operation: str, record) -> None:
    """What the UI checks before it shows the form: model access, and the view letting records be edited."""
    current_registry().require(g.actor, resource.model, operation)
    resource.view.form_class(g.db, record)  # a view whose records only services write refuses here


def _check_names(resource: Resource, fields, expand) -> None:
    wrong = unknown_fields(g.db, resource.model, [*(fields or ()), *expand])
    if wrong:
        raise ApiProblem(400, gettext("Unknown fields, or fields you may not read: %(fields)s.",
                                      fields=", ".join(wrong)),
                         {name: gettext("No such field here, or you may not read it.") for name in wrong})


def _save(resource: Resource, record) -> dict:
    view = resource.view
    fields = writable_fields(view)
    model = input_model(resource.schema_name + ("Update" if record else "Create"), fields, lines=line_fields(view))
    given = _validated(model, _body())
    lines = line_fields(view)
    values = _current_values(view, record, fields, lines) if record is not None else _empty_form(fields, lines)
    values.update(given)
    saved = view.save(g.db, g.actor, record, values)
    g.db.flush()
    return payloads(g.db, [saved])[0]


def _empty_form(fields: dict, lines: dict | None) -> dict:
    """What the UI's new-record form sends for fields left alone: each default, unticked boxes, else nothing;
    no lines."""
    def empty(found):
        if found.default is not None:
            return found.default
        return {"bool": False, "many2many": []}.get(found.kind)

    values = {name: empty(found) for name, found in fields.items()}
    return {**values, "lines": []} if lines else values


def _current_values(view, record, fields: dict, lines: dict | None) -> dict:
    """What the UI's form holds for ``record`` (its editable fields and lines), so a PATCH changes only what it
    names."""
    values = extension_values(g.db, view.extensions("create", "write"), record)
    values.update({name: _form_value(record, name, found) for name, found in fields.items()
                   if found.model is view.model})
    values = {name: value for name, value in values.items() if name in fields and not fields[name].is_readonly(record)}
    if lines:
        values["lines"] = [{name: _form_value(line, name, found) for name, found in lines.items()}
                           for line in record.lines]
    return values


def _form_value(record, name: str, found):
    value = getattr(record, name)
    return [item.id for item in value] if found.kind == "many2many" else value


def _body(allow_empty: bool = False) -> dict:
    if allow_empty and not request.get_data(cache=True):
        return {}
    if not request.is_json:
        raise ApiProblem(415, gettext("Send the body as JSON (Content-Type: application/json)."))
    try:
        return json_object()
    except ValidationError as error:
        raise ApiProblem(400, str(error), {error.field or "body": str(error)}) from None


def _no_body() -> dict:
    if request.get_data(cache=True).strip() not in (b"", b"{}"):
        raise ApiProblem(422, gettext("This action takes no body."), {"body": gettext("Send no body.")})
    return {}


def _validated(model, body: dict) -> dict:
    """``body`` checked by ``model``: the values given, date-times as the naive UTC the database keeps."""
    try:
        values = model.model_validate(body).model_dump(exclude_unset=True)
    except PydanticError as error:
        problems = [(".".join(str(part) for part in problem["loc"]) or "body", problem["msg"])
                    for problem in error.errors(include_url=False, include_input=False)]
        raise ApiProblem(422, gettext("Some fields are wrong; nothing was saved."), problems) from None
    for line in [values, *(values.get("lines") or ())]:
        for name, value in line.items():
            if isinstance(value, dt.datetime) and value.tzinfo is not None:
                line[name] = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return values


def _idempotent(work, status: int):
    """Run ``work()`` (a dict to answer) and commit; with an Idempotency-Key, answer a retry from the first time."""
    key = idempotency.given_key()
    if key is not None:
        replayed = idempotency.replay(g.db, key)
        if replayed is not None:
            return replayed
    body = work()
    if key is not None:
        idempotency.remember(g.db, key, status, body)
    g.db.commit()
    return jsonify(body), status


_LINE_FIELD = re.compile(r"^lines-(\d+)-(.+)$")


def field_path(name: str | None) -> str | None:
    """A service's field name as the body writes it: ``lines-0-quantity`` → ``lines.0.quantity``."""
    if name is None:
        return None
    found = _LINE_FIELD.match(name)
    return f"lines.{found.group(1)}.{found.group(2)}" if found else name


