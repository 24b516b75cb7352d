"""Payroll cost by department and month: the employer cost (gross pay plus employer social security) of the
posted payslips, reversals included, from one GROUP BY."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import extract, func, select

from ..models import Department
from .models import POSTED, Payslip


@dataclass
class CostTable:
    year: int
    months: list[int] = field(default_factory=lambda: list(range(1, 13)))
    #: department name ("" for employees without one) -> month -> cost
    rows: dict[str, dict[int, Decimal]] = field(default_factory=lambda: defaultdict(dict))

    def total(self, department: str) -> Decimal:
        return sum(self.rows[department].values(), Decimal(0))

    def month_total(self, month: int) -> Decimal:
        return sum((cells.get(month, Decimal(0)) for cells in self.rows.values()), Decimal(0))


def cost_by_department(session, company_id: int, *, year: int) -> CostTable:
    month = extract("month", Payslip.month)
    statement = select(Department.name, month, func.sum(Payslip.employer_cost)).select_from(Payslip).outerjoin(
        Department, Department.id == Payslip.department_id).where(
        Payslip.company_id == company_id, Payslip.state == POSTED, extract("year", Payslip.month) == year).group_by(
        Department.name, month).order_by(Department.name)
    table = CostTable(year)
    for name, number, cost in session.execute(statement):
        table.rows[name or ""][int(number)] = Decimal(cost).quantize(Decimal("0.01"))
    return table
