"""Group-by, in SQL: a list's rows counted and summed per value of one or two fields (``?group=<field>``,
``?group=<date field>:month``), in one ``GROUP BY`` query run in the user's session, so record rules and
company rules decide which rows are counted, and no row is loaded into Python.

Money sums stay Decimal: on a model with a ``currency_code`` column each currency is summed apart; otherwise
a money field (``Numeric(18, 2)``, :data:`core.db.money`) is in the company's currency. At most
:data:`MAX_GROUPS` groups are read; the page says when there were more.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field as dataclass_field
from decimal import Decimal

from flask_babel import format_date, gettext
from sqlalchemy import Numeric, func, inspect, select

from core.fields import Field
from core.sql_dates import PERIODS, period_start

from .forms import display_name
from .search import Refused

#: the most groups a group-by, pivot or graph reads
MAX_GROUPS = 200
#: the most fields a list is grouped by at once
MAX_GROUP_FIELDS = 2
GROUP_KINDS = frozenset({"many2one", "choice", "bool", "date", "datetime", "text"})
SUM_KINDS = frozenset({"int", "decimal"})
COUNT = "count"


def is_money(found: Field) -> bool:
    """A money field: Numeric(18, 2), the type of :data:`core.db.money` every amount column uses."""
    kind = getattr(found.column, "type", None)
    return isinstance(kind, Numeric) and kind.scale == 2 and (kind.precision or 18) >= 12


def own_column(view, found: Field) -> bool:
    return found.model is view.model and found.name in inspect(view.model).columns


def groupable_fields(view, readable: dict[str, Field]) -> dict[str, Field]:
    """The readable fields of the model's own table that a list may be grouped by."""
    return {name: found for name, found in readable.items() if found.kind in GROUP_KINDS and own_column(view, found)}


def summable_fields(view, readable: dict[str, Field]) -> dict[str, Field]:
    """The readable number and money fields of the model's own table that a group sums."""
    return {name: found for name, found in readable.items() if found.kind in SUM_KINDS and own_column(view, found)}


@dataclass(frozen=True)
class GroupField:
    """A field to group by, and for a date the period (day, week, month, year)."""

    field: Field
    period: str | None = None

    @property
    def key(self) -> str:
        return f"{self.field.name}:{self.period}" if self.period else self.field.name

    @property
    def label(self) -> str:
        if self.period:
            return f"{self.field.label} ({period_label(self.period)})"
        return str(self.field.label)

    def expression(self, session, model):
        column = getattr(model, self.field.name)
        return period_start(session, column, self.period) if self.period else column

    def where(self, value) -> str:
        """The ``where`` argument that selects this group's rows."""
        name = self.field.name
        if value is None:
            return f"{name}:unset:"
        if self.period:
            start = dt.date.fromisoformat(str(value)[:10])
            return f"{name}:between:{start.isoformat()}..{period_end(start, self.period).isoformat()}"
        if isinstance(value, bool):
            return f"{name}:eq:{'1' if value else '0'}"
        return f"{name}:eq:{value}"


def period_label(period: str) -> str:
    return {"day": gettext("day"), "week": gettext("week"), "month": gettext("month"), "year": gettext("year")}[period]


def period_end(start: dt.date, period: str) -> dt.date:
    """The last day of the period that begins on ``start``."""
    if period == "day":
        return start
    if period == "week":
        return start + dt.timedelta(days=6)
    if period == "year":
        return dt.date(start.year, 12, 31)
    following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def parse_group(groupable: dict[str, Field], written: str) -> GroupField:
    """``<field>`` or ``<date field>:<period>`` as a group field; raises :class:`Refused`."""
    name, _, period = written.partition(":")
    found = groupable.get(name)
    if found is None:
        raise Refused(gettext("You cannot group by “%(field)s”: there is no such field here, or you may not "
                              "read it.", field=name[:60]))
    if found.kind in ("date", "datetime"):
        period = period or "month"
        if period not in PERIODS:
            raise Refused(gettext("%(field)s: group by day, week, month or year.", field=found.label))
        return GroupField(found, period)
    if period:
        raise Refused(gettext("%(field)s: only dates are grouped by a period.", field=found.label))
    return GroupField(found)


@dataclass
class Group:
    """One group: its values (one per group field), their labels, its row count and its sums.

    ``sums[field][currency]`` is a Decimal; the currency is "" for a field summed in no currency of its own.
    """

    values: tuple
    labels: tuple[str, ...] = ()
    count: int = 0
    sums: dict[str, dict[str, Decimal]] = dataclass_field(default_factory=dict)

    def measure(self, name: str) -> dict[str, Decimal]:
        """The group's ``name`` (``count`` or a summed field) by currency."""
        return {"": Decimal(self.count)} if name == COUNT else self.sums.get(name, {})


@dataclass
class Grouping:
    fields: tuple[GroupField, ...]
    groups: list[Group]
    truncated: bool
    sum_fields: tuple[str, ...]


def group_rows(session, view, params, actor, fields: tuple[GroupField, ...], sums: tuple[str, ...]) -> Grouping:
    """The groups of the rows ``params`` selects, by ``fields``, counted and with ``sums`` summed."""
    model = view.model
    keys = [field.expression(session, model).label(f"key{n}") for n, field in enumerate(fields)]
    currency = getattr(model, "currency_code") if "currency_code" in inspect(model).columns and sums else None
    split = [currency] if currency is not None else []
    totals = [func.coalesce(func.sum(getattr(model, name)), 0) for name in sums]
    statement = (select(*keys, *split, func.count(), *totals).where(*view.conditions(params, actor))
                 .group_by(*keys, *split).order_by(*keys, *split).limit(MAX_GROUPS + 1))
    found: dict[tuple, Group] = {}
    result = session.execute(statement).all()
    for row in result[:MAX_GROUPS]:
        values = tuple(row[:len(keys)])
        code = (row[len(keys)] or "") if currency is not None else ""
        count, *amounts = row[len(keys) + len(split):]
        group = found.setdefault(values, Group(values))
        group.count += count
        for name, amount in zip(sums, amounts):
            by_currency = group.sums.setdefault(name, {})
            key = code if currency is not None and is_money(view.fields()[name]) else ""
            by_currency[key] = by_currency.get(key, Decimal(0)) + Decimal(amount)
    groups = list(found.values())
    truncated = len(result) > MAX_GROUPS
    if truncated and currency is not None and groups:
        groups.pop()  # its other currencies may lie past the limit
    _order(fields, groups)
    _label(session, fields, groups)
    return Grouping(fields, groups, truncated, sums)


def _order(fields: tuple[GroupField, ...], groups: list[Group]) -> None:
    """Choices in their declared order (stages: new, doing, done), other values as SQL sorted them."""
    ranks = []
    for n, field in enumerate(fields):
        if field.field.kind == "choice":
            rank = {value: index for index, (value, _label) in enumerate(field.field.choices)}
        else:
            rank = {}
            for group in groups:
                rank.setdefault(group.values[n], len(rank))
        ranks.append(rank)
    groups.sort(key=lambda group: tuple(rank.get(value, len(rank)) for rank, value in zip(ranks, group.values)))


def _label(session, fields: tuple[GroupField, ...], groups: list[Group]) -> None:
    """Each group's labels: related records by their names (read in the user's session), choices by label."""
    names: list[dict] = []
    for n, field in enumerate(fields):
        known = {}
        if field.field.kind == "many2one":
            ids = {group.values[n] for group in groups} - {None}
            target = field.field.target
            known = {row.id: display_name(row) for row in session.scalars(select(target).where(target.id.in_(ids)))}
        names.append(known)
    for group in groups:
        group.labels = tuple(value_label(field, value, names[n]) for n, (field, value)
                             in enumerate(zip(fields, group.values)))


def value_label(field: GroupField, value, names: dict) -> str:
    if value is None:
        return gettext("Not set")
    kind = field.field.kind
    if field.period:
        start = dt.date.fromisoformat(str(value)[:10])
        return {"day": lambda: format_date(start),
                "week": lambda: gettext("Week of %(date)s", date=format_date(start)),
                "month": lambda: format_date(start, "LLLL y"),
                "year": lambda: str(start.year)}[field.period]()
    if kind == "many2one":
        return names.get(value, f"#{value}")
    if kind == "choice":
        return str(field.field.choice_label(value))
    if kind == "bool":
        return gettext("Yes") if value else gettext("No")
    return str(value)
