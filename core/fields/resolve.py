"""From a model's columns and annotations to :class:`Field` objects."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field as dataclass_field
from typing import Any

from flask_babel import lazy_gettext
from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, LargeBinary, Numeric, String, Text, inspect
from sqlalchemy.orm import RelationshipProperty

from core import bounds

from .declare import FieldSpec, spec_of

#: the most characters a text column without a length takes from any entry point
MAX_TEXT = 20_000
#: columns the framework fills itself: never shown in forms nor accepted as input
AUTOMATIC = frozenset({"id", "created_at", "updated_at", "import_hash"})

KINDS = ("text", "longtext", "int", "decimal", "bool", "date", "datetime", "choice", "many2one", "many2many",
         "json", "binary")


@dataclass(frozen=True)
class Field:
    """One field of a model, as every part of Bottega sees it."""

    model: type
    name: str
    kind: str
    label: Any
    help: Any = None
    required: bool = False
    length: int | None = None
    choices: tuple = ()
    default: Any = None
    format: str | None = None
    readonly: bool | Callable = False
    target: type | None = None
    domain: Callable | None = None
    domain_message: Any = None
    display: str | None = None
    minimum: Any = None
    maximum: Any = None
    places: int | None = None
    widget: str | None = None
    listed: bool = False
    automatic: bool = False
    column: Any = dataclass_field(default=None, repr=False, compare=False)

    def is_readonly(self, record) -> bool:
        """Whether ``record`` (None: a new one) refuses a new value for this field."""
        if callable(self.readonly):
            return record is not None and bool(self.readonly(record))
        return bool(self.readonly)

    @property
    def is_relation(self) -> bool:
        return self.kind in ("many2one", "many2many")

    def choice_label(self, value):
        """The label of a choice value (the value itself when it is not one)."""
        for choice, label in self.choices:
            if choice == value:
                return label
        return value


_cache: dict[type, dict[str, Field]] = {}


def fields_of(model: type) -> dict[str, Field]:
    """The fields of ``model``, in declaration order: columns, then to-many relationships."""
    found = _cache.get(model)
    if found is None:
        found = _cache[model] = _resolve(model)
    return found


def field_of(model: type, name: str) -> Field:
    try:
        return fields_of(model)[name]
    except KeyError:
        raise KeyError(f"{model.__name__} has no field {name!r}") from None


def name_column(model: type):
    """The column people name a record of ``model`` by (to search or import it by name), or None."""
    for attribute in ("name", "login", "code", "label"):
        if attribute in inspect(model).columns:
            return getattr(model, attribute)
    return None


def _resolve(model: type) -> dict[str, Field]:
    mapper = inspect(model)
    fields = {}
    for prop in mapper.column_attrs:
        fields[prop.key] = _column_field(model, prop.key, prop.columns[0])
    for prop in mapper.relationships:
        if isinstance(prop, RelationshipProperty) and prop.uselist and prop.secondary is not None:
            spec = spec_of(prop.info)
            fields[prop.key] = Field(model, prop.key, "many2many", _label(spec, prop.key), spec.help,
                                     required=bool(spec.required), target=prop.mapper.class_, domain=spec.domain,
                                     domain_message=spec.domain_message, display=spec.display,
                                     readonly=spec.readonly, widget=spec.widget, listed=spec.listed)
    return fields


def _label(spec: FieldSpec, name: str):
    if spec.label is not None:
        return spec.label
    return lazy_gettext(name.removesuffix("_id").replace("_", " ").capitalize())


def _column_field(model: type, name: str, column) -> Field:
    spec = spec_of(column.info)
    automatic = name in AUTOMATIC or spec.internal or column.primary_key
    kind, target, length, places = _kind(model, column, spec)
    has_default = column.default is not None or column.server_default is not None
    required = spec.required if spec.required is not None else (
        not column.nullable and not has_default and not automatic and kind != "bool" and name != "company_id")
    default = column.default.arg if column.default is not None and not callable(column.default.arg) else None
    return Field(model, name, kind, _label(spec, name), spec.help, required=required, length=length,
                 choices=tuple(spec.choices or ()), default=default, format=spec.format, readonly=spec.readonly,
                 target=target, domain=spec.domain, domain_message=spec.domain_message, display=spec.display,
                 minimum=spec.minimum, maximum=spec.maximum, places=places, widget=spec.widget,
                 listed=spec.listed, automatic=automatic, column=column)


def _kind(model: type, column, spec: FieldSpec) -> tuple[str, type | None, int | None, int | None]:
    if column.foreign_keys and not column.primary_key:
        return "many2one", _model_of_table(model, next(iter(column.foreign_keys)).column.table.name), None, None
    if spec.choices:
        return "choice", None, getattr(column.type, "length", None), None
    kind = getattr(column.type, "plain_type", column.type)  # an encrypted column: the type of its plain value
    if isinstance(kind, JSON):
        return "json", None, None, None
    if isinstance(kind, Boolean):
        return "bool", None, None, None
    if isinstance(kind, Integer):
        return "int", None, None, None
    if isinstance(kind, Numeric):
        return "decimal", None, None, bounds.decimal_digits(kind)[1]
    if isinstance(kind, DateTime):
        return "datetime", None, None, None
    if isinstance(kind, Date):
        return "date", None, None, None
    if isinstance(kind, LargeBinary):
        return "binary", None, None, None
    if isinstance(kind, Text) or (isinstance(kind, String) and kind.length is None):
        return "longtext", None, MAX_TEXT, None
    if isinstance(kind, String):
        return "text", None, kind.length, None
    raise TypeError(f"{column.table.name}.{column.key}: no field kind for column type {kind!r}")


def _model_of_table(model: type, table: str) -> type:
    for mapper in inspect(model).registry.mappers:
        if mapper.local_table.name == table:
            return mapper.class_
    raise KeyError(f"no model maps table {table!r}")
