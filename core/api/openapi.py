"""The OpenAPI 3.1 document of the installed addons' resources, and its browsable page.

``GET /api/v1/openapi.json``: built from the field layer through pydantic (:mod:`.schemas`), whose JSON Schema
2020-12 is OpenAPI 3.1's; ``GET /api/docs``: the same document laid out by our own template. Both are public
(they describe the API, not any record) and follow the installed addons: the app is rebuilt when they change.
"""
from __future__ import annotations

from flask import current_app, jsonify, render_template
from flask_babel import gettext
from pydantic.json_schema import models_json_schema

from core.fields import extensions_of, fields_of

from .actions import actions_of
from .endpoints import route
from .problems import MEDIA_TYPE, Problem
from .readable import fields_for
from .resources import Resource, resources
from .schemas import input_model, line_fields, output_model, page_model

TITLE = "Bottega API"
VERSION = "1"
CACHE_KEY = "bottega_openapi"
REF = "#/components/schemas/{model}"


@route("/v1/openapi.json", ("GET",), public=True)
def openapi_document():
    return jsonify(document())


@route("/docs", ("GET",), public=True)
def documentation():
    return render_template("core/api_docs.html", document=document())


def document() -> dict:
    """The document for the app's installed addons (built once per app)."""
    built = current_app.extensions.get(CACHE_KEY)
    if built is None:
        built = current_app.extensions[CACHE_KEY] = _build(current_app.extensions["bottega"].registry)
    return built


def _build(registry) -> dict:
    models, paths = [(Problem, "serialization")], {}
    for path, resource in sorted(resources().items()):
        record, create, update = _models(registry, resource)
        page = page_model(f"{resource.schema_name}Page", record)
        actions = actions_of(registry, resource.model)
        models += [(record, "serialization"), (page, "serialization"), (create, "validation"),
                   (update, "validation"), *((a.params, "validation") for a in actions.values() if a.params)]
        paths.update(_paths(resource, record, page, create, update, actions))
    _keys, definitions = models_json_schema(models, ref_template=REF)
    return {
        "openapi": "3.1.0",
        "info": {"title": TITLE, "version": VERSION,
                 "description": gettext("Every model of the installed addons, with the permissions of the key's "
                                        "user. See docs/api.md.")},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {"schemas": definitions.get("$defs", {}),
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


def _models(registry, resource: Resource):
    """The record's answer, create and update models, with every installed addon's extension fields."""
    model, view = resource.model, resource.view
    extensions = extensions_of(registry, model)
    shown = fields_for(registry, None, model)
    editable = {name: fields_of(model)[name] for name in view.own_form_fields
                if fields_of(model)[name].readonly is not True}
    editable.update({name: found for extension in extensions for name, found in extension.fields.items()
                     if found.readonly is not True})
    lines = line_fields(view)
    return (output_model(resource.schema_name, shown),
            input_model(f"{resource.schema_name}Create", editable, lines=lines),
            input_model(f"{resource.schema_name}Update", editable, lines=lines))


def _paths(resource: Resource, record, page, create, update, actions) -> dict:
    base, tag = f"/{resource.path}", resource.path
    one = f"{base}/{{id}}"
    id_parameter = {"name": "id", "in": "path", "required": True,
                    "schema": {"type": "integer", "minimum": 1, "maximum": 2 ** 31 - 1}}
    paths = {
        base: {
            "get": _operation(tag, f"List {resource.path}", page, parameters=_list_parameters()),
            "post": _operation(tag, f"Create a record of {resource.path}", record, body=create, status="201",
                               parameters=[_idempotency_parameter()]),
        },
        one: {
            "parameters": [id_parameter],
            "get": _operation(tag, f"Read a record of {resource.path}", record, parameters=_sparse_parameters()),
            "patch": _operation(tag, f"Change a record of {resource.path}", record, body=update),
            "delete": _operation(tag, f"Delete a record of {resource.path}", None, status="204"),
        },
    }
    for name, action in sorted(actions.items()):
        paths[f"{one}/actions/{name}"] = {
            "parameters": [id_parameter],
            "post": _operation(tag, action.summary or name, record, body=action.params,
                               parameters=[_idempotency_parameter()]),
        }
    return paths


def _operation(tag: str, summary: str, answer, *, body=None, status: str = "200", parameters=()) -> dict:
    problem = {"description": "A problem (RFC 9457)",
               "content": {MEDIA_TYPE: {"schema": {"$ref": REF.format(model="Problem")}}}}
    success = {"description": "Done"}
    if answer is not None:
        success["content"] = {"application/json": {"schema": {"$ref": REF.format(model=answer.__name__)}}}
    operation = {"tags": [tag], "summary": summary, "responses": {status: success, "default": problem}}
    if parameters:
        operation["parameters"] = list(parameters)
    if body is not None:
        operation["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": {"$ref": REF.format(model=body.__name__)}}}}
    return operation


def _sparse_parameters() -> list[dict]:
    return [{"name": name, "in": "query", "required": False, "schema": {"type": "string"}, "description": text}
            for name, text in (("fields", "Comma-separated fields to answer (id always)"),
                               ("expand", "Comma-separated relation fields whose records come whole"))]


def _list_parameters() -> list[dict]:
    return [
        {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1,
                                                                        "maximum": 200}},
        {"name": "cursor", "in": "query", "required": False, "schema": {"type": "string"},
         "description": "The next_cursor of the previous page"},
        {"name": "sort", "in": "query", "required": False, "schema": {"type": "string"},
         "description": "A field, or -field for descending"},
        *_sparse_parameters(),
    ]


def _idempotency_parameter() -> dict:
    return {"name": "Idempotency-Key", "in": "header", "required": False,
            "schema": {"type": "string", "minLength": 1, "maxLength": 255}}
