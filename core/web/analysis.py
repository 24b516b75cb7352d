"""What a list is narrowed and summarised by, beyond its search box: field conditions (``where``, and the
filter builder's ``nf``/``no``/``nv``/``nv2``), group fields (``group``, up to two), the pivot's and graph's
measure (``measure``) and the graph's kind (``chart``). Part of :class:`core.web.views.ListParams`, so the list,
the kanban, the exports, the pivot and the graph read the same arguments the same way.

Whatever cannot be taken is left out and said in ``problems`` (the page shows them with a 400 status): a
condition is never loosened into something else.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field

from flask_babel import gettext

from .charts import CHARTS
from .grouping import COUNT, MAX_GROUP_FIELDS, GroupField, groupable_fields, parse_group, summable_fields
from .search import MAX_CONDITIONS, RANGE, Condition, Refused, condition, parse_condition, readable_fields


@dataclass
class Analysis:
    conditions: tuple[Condition, ...] = ()
    groups: tuple[GroupField, ...] = ()
    measure: str = COUNT
    chart: str = "bar"
    problems: list[str] = dataclass_field(default_factory=list)

    @classmethod
    def from_args(cls, view, args) -> Analysis:
        found = cls()
        if not any(name in args for name in ("where", "nf", "group", "measure", "chart")):
            return found  # a plain list asks nothing of the field layer
        readable = readable_fields(view)
        conditions = []
        for written in args.getlist("where")[:MAX_CONDITIONS]:
            found.attempt(lambda: conditions.append(parse_condition(readable, written)))
        if args.get("nf"):
            found.attempt(lambda: conditions.append(_built(readable, args)))
        found.conditions = tuple({c.key: c for c in conditions}.values())
        groupable = groupable_fields(view, readable)
        groups = []
        for written in [value for value in args.getlist("group") if value][:MAX_GROUP_FIELDS]:
            found.attempt(lambda: groups.append(parse_group(groupable, written)))
        found.groups = tuple({g.field.name: g for g in groups}.values())
        measure = args.get("measure") or COUNT
        if measure != COUNT and measure not in summable_fields(view, readable):
            found.problems.append(gettext("You cannot sum “%(field)s”: it is not a number field you may read.",
                                          field=measure[:60]))
            measure = COUNT
        found.measure = measure
        found.chart = args.get("chart") if args.get("chart") in CHARTS else "bar"
        return found

    def attempt(self, add) -> None:
        try:
            add()
        except Refused as refused:
            self.problems.append(str(refused))

    def query_args(self) -> dict:
        return {"where": [c.key for c in self.conditions] or None, "group": [g.key for g in self.groups] or None,
                "measure": self.measure if self.measure != COUNT else None,
                "chart": self.chart if self.chart != "bar" else None}

    def without(self, removed: Condition) -> list[str] | None:
        """The ``where`` arguments once ``removed`` is taken off (a chip's cross)."""
        return [c.key for c in self.conditions if c.key != removed.key] or None


def _built(readable, args) -> Condition:
    """The filter builder's condition: field ``nf``, operator ``no``, value ``nv`` (and ``nv2`` for a range)."""
    operator, value = args.get("no", ""), args.get("nv", "")
    if operator == "between":
        value = f"{value}{RANGE}{args.get('nv2', '')}"
    return condition(readable, args.get("nf", ""), operator, value)
