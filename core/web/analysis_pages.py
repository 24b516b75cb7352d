"""The list's group-by, and the pivot and graph pages of every generic list (``/<slug>/pivot``,
``/<slug>/graph``, ``/<slug>/pivot.csv|xlsx``): one GROUP BY query in the user's session
(:mod:`core.web.grouping`), laid out as a table, a pivot or an SVG chart, exported through
:func:`core.web.exports.export_response`."""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort, render_template, url_for

from core.sql_dates import PERIODS

from .charts import CHARTS, build_chart
from .context import current_actor, db, require
from .exports import EXPORT_FORMATS, export_response
from .grouping import (COUNT, MAX_GROUPS, GroupField, Grouping, group_rows, groupable_fields, is_money,
                       period_label, summable_fields)
from .kanban import company_currency
from .pivot import Formatter, build_pivot, measure_label, pivot_table
from .search import OPERATORS, OPERATORS_BY_KIND, readable_fields


@dataclass(frozen=True)
class SearchOptions:
    """What the search bar offers: the fields to filter by (with their kind and operators), to group by, to sum."""
    fields: list[tuple[str, str, str, tuple[str, ...]]]
    groups: list[tuple[str, str]]
    measures: list[tuple[str, str]]
    operators: dict


def search_options(view) -> SearchOptions:
    readable = readable_fields(view)
    fields = sorted(((name, str(found.label), found.kind, OPERATORS_BY_KIND[found.kind])
                     for name, found in readable.items()), key=lambda option: option[1].casefold())
    groups = []
    for name, found in sorted(groupable_fields(view, readable).items(), key=lambda item: str(item[1].label)):
        if found.kind in ("date", "datetime"):
            groups += [(f"{name}:{period}", f"{found.label} ({period_label(period)})") for period in PERIODS]
        else:
            groups.append((name, str(found.label)))
    measures = [(COUNT, measure_label(view, COUNT))] + [(name, measure_label(view, name))
                                                        for name in summable_fields(view, readable)]
    return SearchOptions(fields, groups, measures, {key: str(label) for key, label in OPERATORS.items()})


def list_sums(view) -> tuple[str, ...]:
    """What a grouped list sums: its money columns, or else the model's money fields (the pivot and the graph sum
    any number field; a sum of percentages or sequence numbers would mean nothing in a list)."""
    money = {name for name, found in summable_fields(view, readable_fields(view)).items() if is_money(found)}
    shown = tuple(name for name in view.list_columns if name in money)
    return shown or tuple(sorted(money))


@dataclass
class GroupedList:
    grouping: Grouping
    formatters: dict[str, Formatter]
    links: list[str]


def list_groups(view, params) -> GroupedList | None:
    """The list's groups when it is grouped (``group=``), each with the link to its rows."""
    if not params.analysis.groups:
        return None
    grouping = group_rows(db(), view, params, current_actor(), params.analysis.groups, list_sums(view))
    currency = company_currency(current_actor())
    formatters = {name: Formatter(view, name, currency) for name in (COUNT, *grouping.sum_fields)}
    return GroupedList(grouping, formatters, [_rows_link(view, params, [field.where(value) for field, value
                                                                        in zip(grouping.fields, group.values)])
                                              for group in grouping.groups])


def _rows_link(view, params, where: list[str]) -> str:
    current = params.analysis.query_args().get("where") or []
    return url_for(view.endpoint("list"), **params.query_args(where=[*current, *where], group=None, page=None,
                                                              measure=None, chart=None))


def _analysed(view, params):
    """The pivot of the request's query: grouped by its group fields (by default the stage, or the first choice
    or relation), measured by its measure."""
    fields = params.analysis.groups or _default_group(view)
    if not fields:
        return None, None
    measure = params.analysis.measure
    grouping = group_rows(db(), view, params, current_actor(), fields, () if measure == COUNT else (measure,))
    formatter = Formatter(view, measure, company_currency(current_actor()))
    return grouping, (build_pivot(grouping, measure), formatter)


def _default_group(view) -> tuple[GroupField, ...]:
    groupable = groupable_fields(view, readable_fields(view))
    names = [view.stage_field] if view.stage_field in groupable else []
    names += [name for name, found in groupable.items() if found.kind in ("choice", "many2one")]
    return (GroupField(groupable[names[0]]),) if names else ()


def pivot(view):
    return _page(view, "core/pivot.html", graphed=False)


def graph(view):
    return _page(view, "core/graph.html", graphed=True)


def _page(view, template: str, graphed: bool):
    from .views import ListParams

    require(view.model, "read")
    params = ListParams.from_request(view)
    grouping, laid_out = _analysed(view, params)
    pivot_, formatter = laid_out or (None, None)
    chart = build_chart(params.analysis.chart, pivot_, formatter) if pivot_ is not None and graphed else None
    return render_template(template, view=view, params=params, grouping=grouping, pivot=pivot_,
                           formatter=formatter, chart=chart, charts=CHARTS, max_groups=MAX_GROUPS,
                           measure_label=measure_label(view, params.analysis.measure),
                           export_formats=EXPORT_FORMATS), 400 if params.problems else 200


def pivot_export(view, fmt: str):
    """The pivot (also what the graph draws) as CSV or XLSX, with its totals."""
    from .views import ListParams

    require(view.model, "read")
    if fmt not in EXPORT_FORMATS:
        abort(404)
    params = ListParams.from_request(view)
    grouping, laid_out = _analysed(view, params)
    if laid_out is None:
        abort(404)
    pivot_, formatter = laid_out
    header, lines = pivot_table(pivot_, formatter, " / ".join(field.label for field in grouping.fields))
    return export_response(fmt, f"{view.slug}-pivot", str(view.label_plural), header, lines)

