"""Cleaning: what every entry point (form, import, service, API) applies to values before business rules.

:func:`clean` converts each value to its field's type, strips text, turns
empty text into None, and checks required, length, choices, number and date
bounds, formats, read-only rules and, given a session, that a related record
exists for the acting user and meets the field's domain. Every wrong field is
reported at once in one :class:`~core.errors.ValidationError` (``errors``
maps each field to its problem); nothing is changed.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core import bounds
from core.bounds import short
from core.errors import ValidationError

from . import formats
from .resolve import Field, fields_of

_CHECKED = "bottega.related_checked"
TRUE = frozenset({"1", "true", "yes", "y", "on", "si", "sí", "sì", "x"})
FALSE = frozenset({"0", "false", "no", "n", "off", ""})


class Problem(ValueError):
    """A value that does not fit its field; ``str()`` says why."""


def clean(model: type, values: dict, *, record=None, session=None, creating: bool | None = None) -> dict:
    """``values`` converted and checked against ``model``'s fields.

    ``record`` is the record being changed (None: a new one; its read-only
    rules and country apply). With ``creating`` (default: no record) the
    required fields missing from ``values`` are reported too. With a
    ``session``, related ids become checked ids (many-to-one) or records
    (many-to-many) that the session's user may read and that meet the
    field's domain.
    """
    fields = fields_of(model)
    creating = record is None if creating is None else creating
    errors: dict[str, str] = {}
    cleaned = {}
    country = _country(values, record)
    for name, value in values.items():
        found = fields.get(name)
        if found is None or found.automatic:
            errors[name] = str(_l("There is no field %(name)s here.", name=short(name)))
            continue
        try:
            cleaned[name] = _plan(found).clean(value, record, session, country)
        except Problem as problem:
            errors[name] = str(problem)
    if creating:
        for name in _required(model):
            if name not in values:
                errors[name] = str(_l("This field is required."))
    if errors:
        raise error_for(model, errors)
    return cleaned


def error_for(model: type, errors: dict[str, str]) -> ValidationError:
    """One ValidationError for several field problems; its message names the first field."""
    fields = fields_of(model)
    name, problem = next(iter(errors.items()))
    label = fields[name].label if name in fields else name
    return ValidationError(str(_l("%(field)s: %(problem)s", field=label, problem=problem)), name, errors)


def _country(values: dict, record) -> str | None:
    country = values.get("country_code")
    if country is None and record is not None:
        country = getattr(record, "country_code", None)
    if isinstance(country, str) and country.strip():
        try:
            return formats.check("country", country.strip())
        except formats.FormatProblem:
            return None
    return None


def clean_one(field: Field, value, *, record=None, session=None, country: str | None = None):
    """One value for ``field``, converted and checked; raises :class:`Problem`."""
    return _plan(field).clean(value, record, session, country)


class _Plan:
    """The cleaning of one field, with what depends on the field alone worked out once.

    Every value of an import's column, every form field, every service call
    cleans through the field's plan, so the questions the field answers the
    same way each time (is it bounded, read-only, related, of which format)
    are asked once per field, not once per value.
    """

    __slots__ = ("checked", "convert", "field", "format", "kind", "length", "range", "readonly", "relation",
                 "required")

    def __init__(self, field: Field):
        self.field = field
        self.convert = CONVERTERS[field.kind]
        self.kind, self.required, self.format, self.length = field.kind, field.required, field.format, field.length
        bounded = field.column is not None and bounds.has_bounds(field.column.type)
        self.checked = bounded or field.minimum is not None or field.maximum is not None
        self.range = _fast_range(field) if bounded else None
        self.readonly = bool(field.readonly)
        self.relation = field.is_relation

    def clean(self, value, record, session, country):
        field = self.field
        if isinstance(value, str):
            if "\x00" in value:
                raise Problem(_l("It contains a NUL character."))
            value = value.strip()
            if value == "" and self.kind != "bool":
                value = None
        if value is None:
            if self.kind == "many2many":
                value = []
            elif self.required:
                raise Problem(_l("This field is required."))
        if value is not None:
            value = self.convert(field, value)
            if isinstance(value, str):
                if self.format:
                    try:
                        value = formats.check(self.format, value, country=country)
                    except formats.FormatProblem as problem:
                        raise Problem(str(problem)) from None
                if self.length is not None and len(value) > self.length:
                    raise Problem(_l("At most %(count)s characters (this has %(actual)s).", count=self.length,
                                     actual=len(value)))
            if self.checked and (self.range is None or not bounds.within(self.range, value)):
                _check_range(field, value)
        if record is not None and self.readonly and field.is_readonly(record) and value != _current(record, field):
            raise Problem(_l("It cannot be changed any more."))
        if session is not None and self.relation and value:
            value = _related(field, value, session)
        return value


def _fast_range(field: Field) -> tuple | None:
    """The values of a bounded column's field that pass every range check at once: its column's plain range,
    narrowed by the field's minimum and maximum (None when they do not compare). A value outside goes through
    :func:`_check_range`, which names the problem."""
    low, high = bounds.plain_range(field.column.type)
    try:
        if field.minimum is not None:
            low = max(low, field.minimum)
        if field.maximum is not None:
            high = min(high, field.maximum)
    except TypeError:
        return None
    return low, high


_PLANS: dict[int, _Plan] = {}
_REQUIRED: dict[type, tuple[str, ...]] = {}


def _plan(field: Field) -> _Plan:
    """The field's plan, made on first use; fields live as long as their model, and so do their plans."""
    found = _PLANS.get(id(field))
    if found is None or found.field is not field:
        found = _PLANS[id(field)] = _Plan(field)
    return found


def _required(model: type) -> tuple[str, ...]:
    """The fields a new record of ``model`` must be given (required, without a default)."""
    found = _REQUIRED.get(model)
    if found is None:
        found = _REQUIRED[model] = tuple(name for name, field in fields_of(model).items()
                                         if field.required and field.default is None)
    return found


def _current(record, field: Field):
    value = getattr(record, field.name, None)
    return [item.id for item in value] if field.kind == "many2many" else value


def _check_range(field: Field, value) -> None:
    if field.column is not None:
        found = bounds.problem(field.column.type, value)
        if found is not None:
            raise Problem(found)
    if field.minimum is not None and value < field.minimum:
        raise Problem(_l("It must be at least %(minimum)s.", minimum=field.minimum))
    if field.maximum is not None and value > field.maximum:
        raise Problem(_l("It must be at most %(maximum)s.", maximum=field.maximum))


def _text(_field, value) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise Problem(_l("Write text here."))
    return str(value)


def _integer(_field, value) -> int:
    if isinstance(value, bool):
        raise Problem(_l("%(value)s is not a whole number.", value=value))
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, str) and len(value) < 40:
        try:
            return int(value.replace(" ", ""))
        except ValueError:
            pass
    raise Problem(_l("%(value)s is not a whole number.", value=short(value)))


def _decimal(field: Field, value) -> Decimal:
    if isinstance(value, bool):
        raise Problem(_l("%(value)s is not a number.", value=value))
    if isinstance(value, str):
        text = value.replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        value = text if len(text) < 60 else "x"
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise Problem(_l("%(value)s is not a number.", value=short(value))) from None
    if not number.is_finite():
        raise Problem(_l("%(value)s is not a number.", value=short(value)))
    if field.places is not None:
        try:
            number = number.quantize(Decimal(1).scaleb(-field.places), rounding=ROUND_HALF_UP)
        except InvalidOperation:
            raise Problem(_l("%(value)s is out of range.", value=short(value))) from None
    return number


def _boolean(_field, value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.lower() in TRUE | FALSE:
        return value.lower() in TRUE
    raise Problem(_l("%(value)s is not yes or no.", value=short(value)))


def _date(_field, value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) <= 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise Problem(_l("%(value)s is not a date: write it as YYYY-MM-DD.", value=short(value)))


def _datetime(_field, value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, str) and len(value) <= 32:
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            pass
    raise Problem(_l("%(value)s is not a date and time: write it as YYYY-MM-DD HH:MM.", value=short(value)))


def _choice(field: Field, value):
    for choice, _label in field.choices:
        if value == choice or str(value) == str(choice):
            return choice
    for choice, label in field.choices:
        if isinstance(value, str) and value.casefold() == str(label).casefold():
            return choice
    allowed = ", ".join(str(choice) for choice, _label in field.choices)
    raise Problem(_l("%(value)s is not one of the choices: %(allowed)s.", value=short(value), allowed=allowed))


def _many2one(field: Field, value) -> int:
    if hasattr(value, "__table__"):
        value = value.id
    try:
        return bounds.parse_id(value, field.name, field.column)
    except ValidationError:
        raise Problem(_l("%(value)s is not the id of a record.", value=short(value))) from None


def _many2many(field: Field, value) -> list:
    if isinstance(value, (str, int)) or not hasattr(value, "__iter__"):
        raise Problem(_l("Give a list of records."))
    return [item if hasattr(item, "__table__") else _many2one(field, item) for item in value]


def _json(_field, value):
    if isinstance(value, str):
        if len(value) > 20_000:
            raise Problem(_l("At most %(count)s characters (this has %(actual)s).", count=20_000, actual=len(value)))
        try:
            return json.loads(value)
        except ValueError as error:
            raise Problem(_l("Not valid JSON: %(reason)s", reason=str(error))) from None
    if not isinstance(value, (dict, list)):
        raise Problem(_l("Write a JSON object, between { and }."))
    return value


def _binary(_field, value) -> bytes:
    if not isinstance(value, (bytes, bytearray)):
        raise Problem(_l("Give a file here."))
    return bytes(value)


CONVERTERS = {"text": _text, "longtext": _text, "int": _integer, "decimal": _decimal, "bool": _boolean,
              "date": _date, "datetime": _datetime, "choice": _choice, "many2one": _many2one,
              "many2many": _many2many, "json": _json, "binary": _binary}


@contextmanager
def related_remembered(session) -> Iterator[None]:
    """Within the block, a many-to-one id found allowed for a field is not looked up again for ``session``.

    For a batch (an import's lines name the same salespeople and teams over
    and over) in one transaction, where the user and their rules stay the same.
    """
    outer = session.info.get(_CHECKED)
    session.info[_CHECKED] = set() if outer is None else outer
    try:
        yield
    finally:
        if outer is None:
            session.info.pop(_CHECKED, None)


def _related(field: Field, value, session):
    """Ids the session's user may read and the domain allows: an id (many-to-one) or records (many-to-many)."""
    checked = session.info.get(_CHECKED)
    key = (field.model, field.name, value) if field.kind == "many2one" else None
    if checked is not None and key in checked:
        return value
    value = _look_up(field, value, session)
    if checked is not None and key is not None:
        checked.add(key)
    return value


def _look_up(field: Field, value, session):
    target = field.target
    ids = [value] if field.kind == "many2one" else [getattr(item, "id", item) for item in value]
    statement = select(target).where(target.id.in_(ids))
    actor = session.info.get("actor")
    if field.domain is not None:
        statement = statement.where(field.domain(actor))
    records = {row.id: row for row in session.scalars(statement)}
    if len(records) != len(set(ids)):
        if field.domain is not None and field.domain_message is not None:
            raise Problem(str(field.domain_message))
        raise Problem(_l("This record does not exist or you may not use it."))
    return value if field.kind == "many2one" else [records[i] for i in ids]
