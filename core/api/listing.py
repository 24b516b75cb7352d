"""A list request: filters on any readable field, sorting, sparse fields, expansion and keyset pages.

Query arguments of ``GET /api/v1/<addon>/<slug>``:

- ``<field>=<value>`` or ``<field>[<op>]=<value>`` with ``op`` one of ``eq ne lt lte gt gte contains between
  set unset`` (as the field's kind allows; ``between`` takes ``from..to``): the UI's search conditions
  (:mod:`core.web.search`), each value cleaned by the field layer, on the fields the key's user may read;
- ``sort=<field>`` or ``sort=-<field>`` (descending); ``limit`` (1 to 200, 50 by default);
- ``cursor``: the opaque ``next_cursor`` of the previous page; pages are keyset pages (sort value, then id), so
  a page costs the same however deep it is and rows added meanwhile are neither skipped nor repeated;
- ``fields=a,b`` and ``expand=a,b``: see :mod:`core.api.payloads`.
"""
from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import gettext
from sqlalchemy import and_, or_

from core.encrypted_columns import is_encrypted
from core.web.search import OPERATORS_BY_KIND, Refused, condition, readable_fields as filterable_fields
from core.web.views import ListParams

from .payloads import plain
from .problems import ApiProblem

RESERVED = frozenset({"sort", "limit", "cursor", "fields", "expand"})
DEFAULT_LIMIT, MAX_LIMIT = 50, 200
EXTRA_OPERATORS = {"lte": ("lt", "eq"), "gte": ("gt", "eq")}
SORT_KINDS = frozenset({"text", "int", "decimal", "bool", "date", "datetime", "choice", "many2one"})


@dataclass(frozen=True)
class ListRequest:
    conditions: list
    sort: str
    descending: bool
    limit: int
    after: tuple | None  # the last row of the previous page: (sort value, id)
    fields: list[str] | None
    expand: list[str]


def parse(view, args) -> ListRequest:
    """The list request ``args`` make on ``view``; a wrong argument is a 400 problem naming it."""
    errors = {}
    filterable = filterable_fields(view)
    conditions = []
    for key in args:
        if key in RESERVED:
            continue
        name, operator = _split(key)
        for raw in args.getlist(key):
            try:
                conditions.append(_condition(view, filterable, name, operator, raw))
            except Refused as refused:
                errors[key] = str(refused)
    sort_raw = args.get("sort", "id")
    descending = sort_raw.startswith("-")
    sort = sort_raw.lstrip("-")
    sortable = sortable_fields(view)
    if sort not in sortable:
        errors["sort"] = gettext("Sort by one of: %(fields)s.", fields=", ".join(sorted(sortable)))
    limit = _limit(args.get("limit"), errors)
    after = _cursor(args.get("cursor"), sort_raw, errors) if "cursor" in args else None
    if after is not None:
        after = (_typed(filterable.get(sort), after[0], errors), after[1])
    if errors:
        raise ApiProblem(400, gettext("Some query arguments are wrong."), errors)
    return ListRequest(conditions, sort, descending, limit, after, _names(args, "fields"), _names(args, "expand") or [])


def sortable_fields(view) -> set[str]:
    return {name for name, found in filterable_fields(view).items()
            if found.model is view.model and found.kind in SORT_KINDS and not is_encrypted(found.column)} | {"id"}


def statement(view, actor, listed: ListRequest):
    """The page's SELECT in the view's own conditions (an invoice list: invoices of its kind) and the filters."""
    from sqlalchemy import select

    model = view.model
    base = view.conditions(ListParams("", (), view.default_order, False, 1), actor)
    column, key = getattr(model, listed.sort), model.id
    order = (column.desc().nulls_last(), key.desc()) if listed.descending else (column.asc().nulls_last(), key.asc())
    query = select(model).where(*base, *listed.conditions).order_by(*order).limit(listed.limit + 1)
    if listed.after is not None:
        query = query.where(_past(column, key, listed.after, listed.descending))
    return query


def next_cursor(listed: ListRequest, rows: list) -> str | None:
    """The cursor of the page after ``rows`` (fetched one past the limit), or None on the last page."""
    if len(rows) <= listed.limit:
        return None
    last = rows[listed.limit - 1]
    value = plain(getattr(last, listed.sort))
    sort = f"-{listed.sort}" if listed.descending else listed.sort
    encoded = json.dumps([sort, value, last.id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(encoded).decode().rstrip("=")


def _past(column, key, after: tuple, descending: bool):
    value, last_id = after
    beyond = key < last_id if descending else key > last_id
    if value is None:  # nulls come last: only rows still null, past the id
        return and_(column.is_(None), beyond)
    further = column < value if descending else column > value
    return or_(further, and_(column == value, beyond), column.is_(None))


def _condition(view, filterable, name: str, operator: str, raw: str):
    found = filterable.get(name)
    if operator in EXTRA_OPERATORS and found is not None:
        strict, equal = EXTRA_OPERATORS[operator]
        if strict not in OPERATORS_BY_KIND[found.kind]:
            raise Refused(gettext("%(field)s: “%(operator)s” does not apply to this field.", field=found.label,
                                  operator=operator))
        parts = [condition(filterable, name, strict, raw), condition(filterable, name, equal, raw)]
        return or_(*(part.where(view.model) for part in parts))
    return condition(filterable, name, operator, raw).where(view.model)


def _split(key: str) -> tuple[str, str]:
    """``amount[gte]`` → (``amount``, ``gte``); ``state`` → (``state``, ``eq``)."""
    if key.endswith("]") and "[" in key:
        name, _, operator = key[:-1].partition("[")
        return name, operator
    return key, "eq"


def _limit(raw: str | None, errors: dict) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        errors["limit"] = gettext("Give a whole number from 1 to %(max)s.", max=MAX_LIMIT)
        return DEFAULT_LIMIT
    return int(raw)


def _cursor(raw: str, sort: str, errors: dict) -> tuple | None:
    try:
        decoded = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        given_sort, value, last_id = decoded
        if given_sort != sort or not isinstance(last_id, int) or isinstance(last_id, bool):
            raise ValueError
        return value, last_id
    except (ValueError, TypeError, json.JSONDecodeError, UnicodeDecodeError):
        errors["cursor"] = gettext("This cursor is not one this list gave, or the sort changed since.")
        return None


def _typed(found, value, errors: dict):
    """A cursor's value back to the sort field's type (JSON has no dates nor decimals)."""
    parse = {"date": dt.date.fromisoformat, "datetime": _utc, "decimal": Decimal}.get(
        found.kind if found is not None else None)
    if value is None or parse is None:
        return value
    try:
        return parse(value)
    except (ValueError, TypeError, InvalidOperation):
        errors["cursor"] = gettext("This cursor is not one this list gave, or the sort changed since.")
        return None


def _utc(value: str) -> dt.datetime:
    """A date-time of a cursor (written with its UTC offset) as the naive UTC the database keeps."""
    moment = dt.datetime.fromisoformat(value)
    return moment.astimezone(dt.timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment


def _names(args, key: str) -> list[str] | None:
    raw = args.get(key)
    return [name.strip() for name in raw.split(",") if name.strip()] if raw is not None else None

