"""Request input a view cannot trust: JSON bodies, and record ids in the query string or the form.

Every refusal is a :class:`core.errors.ValidationError` naming the field; the
error handlers answer it with 400 and the message (as JSON to a JSON
request), never with a 500.

- A route marked :func:`accepts_json` reads its body with :func:`json_object`:
  a JSON object, nested at most ``MAX_DEPTH`` deep, without NUL characters or
  non-finite numbers, each field named in ``fields`` of one of the JSON types
  given. Any other route takes forms only, and :func:`refuse_json_bodies`
  refuses a JSON body before it runs (Flask-WTF would read one as form data,
  lists and all).
- :func:`id_arg` and :func:`id_args` read record ids bounded by the column
  type (:mod:`core.bounds`): a number past the database's integers is a 400
  naming the field, not an overflow inside the database driver. A number in
  the URL past the id type's range is a 404 for every route
  (:func:`refuse_ids_past_the_database`).
- :func:`date_arg` reads a date from the query string (as the user's
  language writes it, or ISO; within the dates the database keeps), and
  :func:`user_date` one typed in a form.

:func:`init_app` installs both checks made before any view runs.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping

from flask import abort, current_app, request
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer

from core import bounds, locale_dates
from core.errors import ValidationError

ACCEPTS_JSON_ATTRIBUTE = "bottega_accepts_json"
MAX_DEPTH = 32
BODY = "body"
#: what a JSON type is called in a message
JSON_TYPES = {str: _l("text"), int: _l("a number"), float: _l("a number"), bool: _l("true or false"),
              list: _l("a list"), dict: _l("an object")}


def accepts_json(view):
    """Let this view read a JSON body (with :func:`json_object`); other views refuse one."""
    setattr(view, ACCEPTS_JSON_ATTRIBUTE, True)
    return view


def refuse_json_bodies() -> None:
    """Before each request: a JSON body sent to a view that takes forms is refused with 400."""
    if request.method in ("GET", "HEAD", "OPTIONS") or not request.is_json:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and not getattr(view, ACCEPTS_JSON_ATTRIBUTE, False):
        raise ValidationError(gettext("This page takes a form, not JSON."), BODY)


def refuse_ids_past_the_database() -> None:
    """Before each request: a whole number in the URL names a record, and past the id column's range it names
    none, so the page is not found (rather than an overflow inside the database driver)."""
    high = bounds.integer_range(Integer())[1]
    if any(isinstance(value, int) and value > high for value in (request.view_args or {}).values()):
        abort(404)


def init_app(app) -> None:
    app.before_request(refuse_ids_past_the_database)
    app.before_request(refuse_json_bodies)


def json_object(fields: Mapping[str, type | tuple[type, ...]] | None = None) -> dict:
    """The request's JSON body, checked (see the module's docstring); ``fields`` maps names to allowed types."""
    try:
        payload = json.loads(request.get_data(cache=True) or b"null", parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise ValidationError(gettext("The body is not valid JSON."), BODY) from None
    if not isinstance(payload, dict):
        raise ValidationError(gettext("Send a JSON object, between { and }."), BODY)
    _check_values(payload)
    for name, kinds in (fields or {}).items():
        value = payload.get(name)
        kinds = kinds if isinstance(kinds, tuple) else (kinds,)
        if value is not None and (not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds)):
            expected = " / ".join(dict.fromkeys(str(JSON_TYPES[kind]) for kind in kinds))
            raise ValidationError(gettext("%(field)s must be %(expected)s.", field=name, expected=expected), name)
    return payload


def _no_constant(name: str):
    raise ValueError(name)


def _check_values(payload: dict) -> None:
    """Walk the whole body (without recursion): no NUL in a name or a text, no infinite number, not too deep."""
    pending = [(payload, "", 1)]
    while pending:
        value, where, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise ValidationError(gettext("%(field)s is nested more than %(count)s levels deep.",
                                          field=where or BODY, count=MAX_DEPTH), where or BODY)
        if isinstance(value, dict):
            for key, item in value.items():
                if "\x00" in key:
                    raise ValidationError(gettext("A field name contains a NUL character."), where or BODY)
                pending.append((item, f"{where}.{key}" if where else key, depth + 1))
        elif isinstance(value, list):
            pending.extend((item, f"{where}[{index}]", depth + 1) for index, item in enumerate(value))
        elif isinstance(value, str) and "\x00" in value:
            raise ValidationError(gettext("%(field)s contains a NUL character.", field=where), where)
        elif isinstance(value, float) and not math.isfinite(value):
            raise ValidationError(gettext("%(field)s is not a finite number.", field=where), where)


def id_arg(name: str, column=None) -> int | None:
    """The record id in query or form field ``name`` (None when it is absent or empty)."""
    raw = request.values.get(name, "")
    return bounds.parse_id(raw, name, column) if raw.strip() else None


def id_args(name: str, column=None) -> list[int]:
    """The record ids of a repeated query or form field ``name`` (empty values skipped)."""
    return [bounds.parse_id(raw, name, column) for raw in request.values.getlist(name) if raw.strip()]


def date_arg(name: str, default: dt.date | None = None) -> dt.date | None:
    """The date in query field ``name`` (``default`` when it is absent or empty)."""
    raw = request.args.get(name, "").strip()
    return user_date(raw, name) if raw else default


def year_arg(name: str = "year") -> int:
    """The year in query field ``name``, from 2000 to 2100 (this year when it is absent or empty)."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return dt.date.today().year
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise ValidationError(gettext("Year: write a year from 2000 to 2100, like %(year)s.",
                                      year=dt.date.today().year), name)
    return int(raw)


def user_date(raw: str, name: str) -> dt.date:
    """The date ``raw`` means as the user's language writes it (31/12/2026 in es and it), or in ISO form;
    a :class:`ValidationError` naming field ``name`` and showing the form to use when it is none."""
    locale = str(get_locale() or "en")
    try:
        date = locale_dates.parse_date(raw, locale)
    except locale_dates.DateProblem:
        raise ValidationError(gettext("%(value)s is not a date: write it as %(example)s.", value=raw[:20],
                                      example=locale_dates.format_date(dt.date(2026, 12, 31), locale)),
                              name) from None
    return bounds.check_date(date, name)
