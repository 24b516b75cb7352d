"""Pydantic models built from the field layer: the API validates bodies with them, and the OpenAPI document
takes their JSON Schema (2020-12, as OpenAPI 3.1 uses).

- :func:`input_model`: what a create or a PATCH accepts: the fields the UI's form edits
  (:attr:`core.web.views.ModelView.form_fields`), each typed, bounded, of its choices and lengths, and, for a
  document with lines, ``lines`` (a list of objects of the view's ``line_fields``); ``extra="forbid"``, so an
  unknown field is refused by name. Whether a field must be given is left to the field layer's cleaning and
  the services, as for a form: a service fills some required columns itself (an invoice's journal, a line's
  account), so the column alone cannot say. That cleaning (required values, formats, related records the user
  may see, read-only rules) then names each wrong field.
- :func:`output_model`: a record as :mod:`core.api.payloads` writes it.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field as Spec, StrictBool, StrictInt, StrictStr, create_model
from sqlalchemy import inspect

from core.fields import Field, fields_of

#: the most lines a document takes in one request
MAX_LINES = 1000


class Related(BaseModel):
    """A related record named: its id and how the UI shows it (more fields when expanded)."""

    model_config = ConfigDict(extra="allow")
    id: int
    display_name: str | None


def input_type(found: Field):
    """The pydantic type of a value of ``found`` in a request body."""
    bounds = {key: value for key, value in (("ge", found.minimum), ("le", found.maximum)) if value is not None}
    if found.kind in ("text", "longtext"):
        kind = Annotated[StrictStr, Spec(max_length=found.length)] if found.length else StrictStr
    elif found.kind == "int":
        kind = Annotated[StrictInt, Spec(**{"ge": -2 ** 31, "le": 2 ** 31 - 1, **bounds})]
    elif found.kind == "decimal":
        kind = Annotated[Decimal, Spec(allow_inf_nan=False, max_digits=_digits(found), decimal_places=found.places,
                                       **bounds)]
    elif found.kind == "bool":
        kind = StrictBool
    elif found.kind == "date":
        kind = dt.date
    elif found.kind == "datetime":
        kind = dt.datetime
    elif found.kind == "choice":
        kind = Literal[tuple(value for value, _label in found.choices)]
    elif found.kind == "many2one":
        kind = Annotated[StrictInt, Spec(ge=1, le=2 ** 31 - 1)]
    elif found.kind == "many2many":
        kind = Annotated[list[Annotated[StrictInt, Spec(ge=1, le=2 ** 31 - 1)]], Spec(max_length=MAX_LINES)]
    else:
        kind = json_type(found)
    return kind


def json_type(found: Field):
    """A JSON field's shape, as its model's annotation says it (``Mapped[dict]``: an object)."""
    written = str(getattr(found.model, "__annotations__", {}).get(found.name, ""))
    if "dict" in written:
        return dict[str, Any]
    if "list" in written:
        return list[Any]
    return Any


def output_type(found: Field):
    """The JSON type of ``found`` in an answer (see :mod:`core.api.payloads`)."""
    kind = {"text": str, "longtext": str, "int": int, "decimal": str, "bool": bool, "date": dt.date,
            "datetime": dt.datetime, "many2one": Related, "many2many": list[Related]}.get(found.kind)
    if found.kind == "json":
        kind = json_type(found)
    if found.kind == "choice":
        kind = Literal[tuple(value for value, _label in found.choices)]
    return kind if found.kind == "many2many" or found.name == "id" else kind | None


def input_model(name: str, fields: dict[str, Field], *, lines: dict[str, Field] | None = None):
    """The body a create or a PATCH takes: ``fields``, and ``lines`` of ``lines``' fields."""
    definitions = {field_name: (_nullable(found), Spec(None, description=_text(found.help)))
                   for field_name, found in fields.items()}
    if lines:
        line = input_model(f"{name}Line", lines)
        definitions["lines"] = (Annotated[list[line], Spec(max_length=MAX_LINES)], None)
    return create_model(name, __config__=ConfigDict(extra="forbid"), **definitions)


def _nullable(found: Field):
    """A field may be sent empty (null) when its column takes none; may be left out always (the form's default)."""
    kind = input_type(found)
    if found.kind == "many2many" or (found.column is not None and not found.column.nullable):
        return kind
    return kind | None


def output_model(name: str, fields: dict[str, Field]):
    """A record as answered: only ``id`` is always there (``fields=`` narrows, and a user sees only the fields
    they may read)."""
    definitions = {field_name: (output_type(found), Spec(... if field_name == "id" else None,
                                                         title=_text(found.label)))
                   for field_name, found in fields.items()}
    return create_model(name, **definitions)


def page_model(name: str, record):
    return create_model(name, data=(list[record], ...), next_cursor=(str | None, ...))


def line_fields(view) -> dict[str, Field] | None:
    """The fields of the lines a view's form takes with its document (``line_fields`` of its ``lines``)."""
    names = getattr(view, "line_fields", None)
    relation = inspect(view.model).relationships.get("lines")
    if not names or relation is None:
        return None
    own = fields_of(relation.mapper.class_)
    return {name: own[name] for name in names if name in own}


def _digits(found: Field) -> int | None:
    precision = getattr(getattr(found.column, "type", None), "precision", None)
    return precision


def _text(value) -> str | None:
    return str(value) if value is not None else None
