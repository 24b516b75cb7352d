"""The pivot table and its figures, built from a :class:`~core.web.grouping.Grouping` (at most
:data:`~core.web.grouping.MAX_GROUPS` groups, never the rows): the first group field down, the second across,
one measure (the count, or the sum of a number or money field) in each cell, with row and column totals."""
from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field
from decimal import Decimal

from flask_babel import format_decimal, gettext

from .grouping import COUNT, Grouping, is_money
from .i18n import money

Amounts = dict  # currency ("" for none) -> Decimal


def add(total: Amounts, more: Amounts) -> None:
    for currency, amount in more.items():
        total[currency] = total.get(currency, Decimal(0)) + amount


@dataclass
class Header:
    """A row or column of the pivot: its label and the ``where`` arguments of its rows."""
    label: str
    where: tuple[str, ...]


@dataclass
class Pivot:
    rows: list[Header]
    columns: list[Header]
    cells: dict[tuple[int, int], Amounts] = dataclass_field(default_factory=dict)
    row_totals: dict[int, Amounts] = dataclass_field(default_factory=dict)
    column_totals: dict[int, Amounts] = dataclass_field(default_factory=dict)
    total: Amounts = dataclass_field(default_factory=dict)

    @property
    def across(self) -> bool:
        """Whether a second field spreads the groups across columns (then each row has a total)."""
        return any(column.where for column in self.columns)

    def cell(self, row: int, column: int) -> Amounts:
        return self.cells.get((row, column), {})


def build_pivot(grouping: Grouping, measure: str) -> Pivot:
    """The groups laid out in rows (first field) and columns (second field; one "Total" column without it)."""
    first = grouping.fields[0]
    second = grouping.fields[1] if len(grouping.fields) > 1 else None
    rows: dict = {}
    columns: dict = {}
    pivot = Pivot([], [])
    for group in grouping.groups:
        row = rows.setdefault(group.values[0], len(rows))
        if row == len(pivot.rows):
            pivot.rows.append(Header(group.labels[0], (first.where(group.values[0]),)))
        column_value = group.values[1] if second is not None else None
        column = columns.setdefault(column_value, len(columns))
        if column == len(pivot.columns):
            pivot.columns.append(Header(group.labels[1], (second.where(column_value),)) if second is not None
                                 else Header(gettext("Total"), ()))
        amounts = group.measure(measure)
        add(pivot.cells.setdefault((row, column), {}), amounts)
        add(pivot.row_totals.setdefault(row, {}), amounts)
        add(pivot.column_totals.setdefault(column, {}), amounts)
        add(pivot.total, amounts)
    return pivot


class Formatter:
    """Shows a measure's amounts: a count as a number, money in its currency (or the company's), with the
    user's locale."""

    def __init__(self, view, measure: str, company_currency: str):
        found = view.fields().get(measure) if measure != COUNT else None
        self.money = found is not None and is_money(found)
        self.currency = company_currency

    def lines(self, amounts: Amounts) -> list[str]:
        if not amounts:
            return []
        return [money(amount, currency or self.currency) if self.money else format_decimal(amount)
                for currency, amount in sorted(amounts.items())]

    def text(self, amounts: Amounts) -> str:
        return " · ".join(self.lines(amounts))


def measure_label(view, measure: str) -> str:
    return gettext("Count") if measure == COUNT else gettext("Sum of %(field)s", field=view.label_of(measure))


def pivot_table(pivot: Pivot, formatter: Formatter, row_title: str) -> tuple[list[str], list[list[str]]]:
    """The pivot as a header and text lines, for the CSV and XLSX exports."""
    across = pivot.across
    header = [row_title, *(column.label for column in pivot.columns)] + ([gettext("Total")] if across else [])
    lines = [[row.label, *(formatter.text(pivot.cell(r, c)) for c in range(len(pivot.columns)))]
             + ([formatter.text(pivot.row_totals.get(r, {}))] if across else []) for r, row in enumerate(pivot.rows)]
    lines.append([gettext("Total"), *(formatter.text(pivot.column_totals.get(c, {}))
                                      for c in range(len(pivot.columns)))] + ([formatter.text(pivot.total)] if across
                                                                              else []))
    return header, lines
