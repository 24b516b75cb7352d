"""Leave balances of a year: for each employee and leave type, the days allocated, taken (to approve or approved)
and left, in one query (:func:`addons.hr.leaves.balances`)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from core.reports import QUANTITY, Column, Report

from .. import leaves


@dataclass
class Row:
    employee: str
    leave_type: str
    allocated: Decimal
    taken: Decimal
    left: Decimal


def leave_balances(session, year: int) -> Report:
    rows = [Row(balance.employee, balance.leave_type, balance.allocated, balance.taken, balance.left)
            for balance in leaves.balances(session, year)]
    totals = {key: sum((getattr(row, key) for row in rows), Decimal(0)) for key in ("allocated", "taken", "left")}
    return Report(_l("Leave balances"), (Column("employee", _l("Employee")), Column("leave_type", _l("Leave type")),
                                         Column("allocated", _l("Allocated"), QUANTITY),
                                         Column("taken", _l("Taken"), QUANTITY), Column("left", _l("Left"), QUANTITY)),
                  rows, totals=[(_l("Total"), totals)], filters=[(_l("Year"), year)], slug=f"leave-balances-{year}")


def chart_series(report: Report) -> tuple[list[str], dict[str, list]]:
    """Leave types across: the days taken and the days left."""
    categories = sorted({row.leave_type for row in report.rows})
    taken, left = [Decimal(0)] * len(categories), [Decimal(0)] * len(categories)
    for row in report.rows:
        taken[categories.index(row.leave_type)] += row.taken
        left[categories.index(row.leave_type)] += row.left
    return categories, {str(_l("Taken")): taken, str(_l("Left")): left}
