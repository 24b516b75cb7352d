"""Filters on any field of a list the user may read: ``?where=<field>:<operator>:<value>``, repeatable.

Each value is cleaned by the field layer (:func:`core.fields.clean_one`) with the user's session, so a number,
a date, a choice or a related record is checked as a form would check it; a value that does not fit, an
operator that does not fit the field's kind, or a field the user may not read (an internal column, a field of
an addon whose records they may not read, a relation to a model they may not read) is refused with a message
naming it, and the list is shown without that filter. A condition is a plain WHERE clause added to the list's
query, which runs in the user's session: it only narrows what their record rules already let them see.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import format_date, gettext, lazy_gettext as _l
from sqlalchemy import inspect, or_, select

from core.bounds import short
from core.encrypted_columns import is_encrypted
from core.fields import Field, clean_one, name_column
from core.fields.cleaning import Problem
from core.fields.declare import spec_of

from .context import current_actor, current_registry, db
from .forms import display_name

#: the most conditions one list takes
MAX_CONDITIONS = 20
#: the framework's columns a user may still filter and group by (when a record was made or changed); the field
#: layer labels them from their names, these put the labels in the translation catalogues
TIMESTAMPS = {"created_at": _l("Created at"), "updated_at": _l("Updated at")}
#: kinds a list may be filtered by; the others (JSON, files, many-to-many) are not offered
FILTER_KINDS = frozenset({"text", "longtext", "int", "decimal", "bool", "date", "datetime", "choice", "many2one"})

OPERATORS = {
    "eq": "=", "ne": "≠", "contains": _l("contains"), "lt": "<", "gt": ">", "between": _l("between"),
    "set": _l("is set"), "unset": _l("is not set"),
}
ORDERED = ("eq", "ne", "lt", "gt", "between", "set", "unset")
OPERATORS_BY_KIND = {
    "text": ("contains", "eq", "ne", "set", "unset"),
    "longtext": ("contains", "set", "unset"),
    "int": ORDERED, "decimal": ORDERED, "date": ORDERED, "datetime": ORDERED,
    "bool": ("eq",),
    "choice": ("eq", "ne", "set", "unset"),
    "many2one": ("contains", "eq", "ne", "set", "unset"),
}
#: what separates the two ends of a ``between`` value
RANGE = ".."


class Refused(ValueError):
    """A filter, group or measure the list cannot take; ``str()`` says which and why, for the user."""


def readable_fields(view) -> dict[str, Field]:
    """The fields of ``view`` the user may read and filter by: the model's own (not internal, not encrypted: SQL
    sees only their random tokens), when records were made and changed, and the extension fields of addons whose records the user may read (``view.fields()``);
    a relation only when the user may read the related model."""
    registry, actor = current_registry(), current_actor()
    found = {}
    for name, spec in view.fields().items():
        if spec.kind not in FILTER_KINDS or (spec.automatic and name not in TIMESTAMPS):
            continue
        if spec.column is not None and (spec.column.primary_key or spec_of(spec.column.info).internal
                                        or is_encrypted(spec.column)):
            continue
        if spec.target is not None and not registry.can(actor, spec.target, "read"):
            continue
        found[name] = spec
    return found


@dataclass(frozen=True)
class Condition:
    """One filter: ``field`` ``operator`` ``value`` (cleaned; a pair for ``between``), and how it was written."""

    field: Field
    operator: str
    value: object
    raw: str

    @property
    def key(self) -> str:
        """The ``where`` argument that gives this condition back."""
        return f"{self.field.name}:{self.operator}:{self.raw}"

    def label(self) -> str:
        """The chip's text: ``Stage = Won``."""
        operator = str(OPERATORS[self.operator])
        if self.operator in ("set", "unset"):
            return f"{self.field.label} {operator}"
        if self.operator == "between":
            low, high = self.value
            return f"{self.field.label} {operator} {_shown(self.field, low)} – {_shown(self.field, high)}"
        return f"{self.field.label} {operator} {_shown(self.field, self.value)}"

    def where(self, model):
        """The SQL condition on ``model``'s rows (through the side table for an extension's field)."""
        column = getattr(self.field.model, self.field.name)
        if self.field.model is model:
            return self._test(column)
        key = getattr(self.field.model, inspect(self.field.model).primary_key[0].key)
        if self.operator in ("unset", "ne"):  # a record without a side row has no value either
            opposite = column.is_not(None) if self.operator == "unset" else column == self.value
            return model.id.not_in(select(key).where(opposite))
        return model.id.in_(select(key).where(self._test(column)))

    def _test(self, column):
        operator, value, found = self.operator, self.value, self.field
        if operator == "set":
            return column.is_not(None)
        if operator == "unset":
            return column.is_(None)
        if operator == "contains":
            pattern = "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            if found.kind == "many2one":
                target = found.target
                return column.in_(select(target.id).where(name_column(target).ilike(pattern, escape="\\")))
            return column.ilike(pattern, escape="\\")
        if found.kind == "datetime" and operator in ("eq", "between", "gt") and self._whole_days:
            low, high = value if operator == "between" else (value, value)
            if operator == "gt":
                return column >= high + dt.timedelta(days=1)
            return (column >= low) & (column < high + dt.timedelta(days=1))
        if operator == "between":
            return column.between(*value)
        if operator == "ne":
            return or_(column != value, column.is_(None))
        return {"eq": column.__eq__, "lt": column.__lt__, "gt": column.__gt__}[operator](value)

    @property
    def _whole_days(self) -> bool:
        """A date-and-time field compared with a date alone means the whole day."""
        return all(len(part.strip()) <= 10 for part in self.raw.split(RANGE))


def _shown(found: Field, value) -> str:
    if found.kind == "choice":
        return str(found.choice_label(value))
    if found.kind == "bool":
        return gettext("Yes") if value else gettext("No")
    if found.kind == "many2one" and isinstance(value, int):
        related = db().get(found.target, value)
        return display_name(related) if related is not None else f"#{value}"
    if isinstance(value, dt.datetime):
        return format_date(value) if value.time() == dt.time() else value.isoformat(" ", "minutes")
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value)


def parse_condition(fields: dict[str, Field], written: str) -> Condition:
    """``<field>:<operator>:<value>`` as a condition on one of ``fields``; raises :class:`Refused`."""
    name, _, rest = written.partition(":")
    operator, _, raw = rest.partition(":")
    return condition(fields, name, operator, raw)


def condition(fields: dict[str, Field], name: str, operator: str, raw: str) -> Condition:
    """The condition ``name`` ``operator`` ``raw`` on one of ``fields`` (those the user may read)."""
    found = fields.get(name)
    if found is None:
        raise Refused(gettext("You cannot filter by “%(field)s”: there is no such field here, or you may not "
                              "read it.", field=short(name)))
    if operator not in OPERATORS_BY_KIND[found.kind]:
        raise Refused(gettext("%(field)s: “%(operator)s” does not apply to this field.", field=found.label,
                              operator=short(operator)))
    raw = raw.strip()[:200]
    if operator in ("set", "unset"):
        return Condition(found, operator, None, "")
    try:
        if operator == "between":
            low, separator, high = raw.partition(RANGE)
            if not separator or not low.strip() or not high.strip():
                raise Problem(gettext("Give both ends of the range, as from..to."))
            value = (_clean(found, low), _clean(found, high))
        elif operator == "contains":
            if not raw:
                raise Problem(gettext("Write what to look for."))
            value = raw
        else:
            value = _clean(found, raw)
    except Problem as problem:
        raise Refused(gettext("%(field)s: %(problem)s", field=found.label, problem=str(problem))) from None
    return Condition(found, operator, value, raw)


def _clean(found: Field, raw: str):
    """``raw`` as a value of ``found``, by the field layer; a related record must be one the user may read."""
    value = clean_one(found, raw, session=db() if found.kind == "many2one" else None)
    if value is None:
        raise Problem(gettext("Write a value, or choose “is not set”."))
    return value
