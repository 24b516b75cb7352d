"""A payslip's lines from its structure, in Python over data read beforehand (no query per payslip).

The wage is prorated by calendar days: ``worked_ratio`` is the days of the month the contract covers over the
days of the month (1 for a whole month); the structure decides whether a rule uses it (the examples prorate
the basic salary and leave the rest to follow from it).
"""
from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import select

from core.errors import ValidationError

from .formulas import Evaluator, FormulaError, check_order, parse, rounded
from .models import EARNINGS, EMPLOYER_SS, NET, SalaryRule

ZERO = Decimal(0)


@dataclass(frozen=True)
class CompiledRule:
    sequence: int
    code: str
    name: str
    category: str
    formula: str
    tree: object


@dataclass(frozen=True)
class Employment:
    """What a payslip is computed from: the contract's part of the month and its wage."""

    employee_id: int
    employee_name: str
    department_id: int | None
    contract_id: int
    wage: Decimal
    date_from: dt.date
    date_to: dt.date
    month_days: int

    @property
    def worked_days(self) -> int:
        return (self.date_to - self.date_from).days + 1


@dataclass
class Result:
    lines: list[tuple[CompiledRule, Decimal]] = field(default_factory=list)
    gross: Decimal = ZERO
    net: Decimal = ZERO
    employer_cost: Decimal = ZERO


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def employment(employee, contract, month: dt.date) -> Employment:
    """The part of ``month`` that ``contract`` covers."""
    first, last = month_bounds(month)
    return Employment(employee_id=employee.id, employee_name=employee.name, department_id=employee.department_id,
                      contract_id=contract.id, wage=contract.wage or ZERO, date_from=max(first, contract.date_start),
                      date_to=min(last, contract.date_end or last), month_days=last.day)


def rules_of(session, structure) -> list:
    """The structure's rules in order, read now (a rule just added is among them)."""
    return list(session.scalars(select(SalaryRule).where(SalaryRule.structure_id == structure.id).order_by(
        SalaryRule.sequence, SalaryRule.id)))


def compile_rules(structure_name: str, rules) -> list[CompiledRule]:
    """The structure's rules parsed and checked for order; a ValidationError names the first wrong rule."""
    compiled = []
    for rule in rules:
        try:
            tree = parse(rule.formula)
        except FormulaError as error:
            raise ValidationError(gettext("Structure %(structure)s, rule %(code)s (%(name)s): %(problem)s.",
                                          structure=structure_name, code=rule.code, name=rule.name,
                                          problem=error), "formula") from None
        compiled.append(CompiledRule(rule.sequence, rule.code, rule.name, rule.category, rule.formula, tree))
    problems = check_order([rule.code for rule in compiled], [rule.tree for rule in compiled])
    if problems:
        index, problem = problems[0]
        raise ValidationError(gettext("Structure %(structure)s, rule %(code)s (%(name)s): %(problem)s.",
                                      structure=structure_name, code=compiled[index].code,
                                      name=compiled[index].name, problem=problem), "formula")
    return compiled


class Calculator:
    """Computes payslips of one structure for one country and year."""

    def __init__(self, rules: list[CompiledRule], rates: dict[str, Decimal], country: str, year: int) -> None:
        self.rules, self.rates, self.country, self.year = rules, rates, country, year
        self.evaluator = Evaluator()

    def compute(self, job: Employment, inputs: dict[str, Decimal]) -> Result:
        amounts: dict[str, Decimal] = {"wage": job.wage, "worked_ratio": Decimal(job.worked_days) / job.month_days,
                                       "worked_days": Decimal(job.worked_days), "month_days": Decimal(job.month_days)}
        by_category: dict[str, Decimal] = defaultdict(lambda: ZERO)
        functions = {"rate": self._rate, "input": lambda code: inputs.get(code, ZERO),
                     "category": lambda name: by_category[name], "min": min, "max": max, "round": rounded}
        result = Result()
        for rule in self.rules:
            try:
                amount = self.evaluator.evaluate(rule.tree, rule.formula, amounts, functions)
            except FormulaError as error:
                raise ValidationError(gettext("Payslip of %(employee)s, rule %(code)s (%(name)s): %(problem)s.",
                                              employee=job.employee_name, code=rule.code, name=rule.name,
                                              problem=error)) from None
            amounts[rule.code] = amount
            by_category[rule.category] += amount
            result.lines.append((rule, amount))
        result.gross = sum((by_category[category] for category in EARNINGS), ZERO)
        result.net = by_category[NET]
        result.employer_cost = result.gross + by_category[EMPLOYER_SS]
        return result

    def _rate(self, code) -> Decimal:
        found = self.rates.get(code)
        if found is None:
            raise FormulaError(gettext("the rate table has no %(code)s for %(country)s %(year)s",
                                       code=code, country=self.country, year=self.year))
        return found
