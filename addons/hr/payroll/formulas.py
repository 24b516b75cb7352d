"""The salary rules' formulas: arithmetic over Decimal, read by simpleeval's whitelist evaluator.

A formula is one expression: numbers, ``+ - * /``, comparisons, ``a if cond else b``, and the names a
payslip offers (:data:`NAMES`, the codes of the rules before it) and the functions ``rate(code)``,
``input(code)``, ``category(name)``, ``min``, ``max``, ``round``. Every number is a Decimal (a literal
``0.0635`` too), so no float enters a payslip. Attributes, subscripts, comprehensions, strings other than a
function's code argument, and Python's builtins are refused by the evaluator.
"""
from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import gettext
from simpleeval import FunctionNotDefined, InvalidExpression, NameNotDefined, SimpleEval

CENT = Decimal("0.01")
#: the names every formula may read besides the codes of the rules before it
NAMES = ("wage", "worked_ratio", "worked_days", "month_days")
FUNCTIONS = ("rate", "input", "category", "min", "max", "round")
_REFUSED_NODES = (ast.Attribute, ast.Subscript, ast.Assign, ast.AugAssign, ast.Import, ast.JoinedStr,
                  ast.FormattedValue, ast.Slice)
_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UAdd, ast.Eq, ast.NotEq, ast.Gt, ast.Lt,
              ast.GtE, ast.LtE, ast.Not)


class FormulaError(Exception):
    """What is wrong with one formula, in words for the payroll manager (the caller names rule and employee)."""


def parse(text: str) -> ast.Expression:
    """The formula's syntax tree; a FormulaError when it is not one expression the evaluator accepts."""
    try:
        tree = ast.parse((text or "").strip(), mode="eval")
    except SyntaxError as error:
        raise FormulaError(gettext("the formula is not valid (%(problem)s)", problem=error.msg)) from None
    for node in ast.walk(tree):
        if isinstance(node, _REFUSED_NODES) or isinstance(node, (ast.operator, ast.unaryop, ast.cmpop)) and not \
                isinstance(node, _OPERATORS):
            raise FormulaError(gettext("the formula uses %(what)s, which formulas do not offer",
                                       what=type(node).__name__))
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS):
            raise FormulaError(gettext("the formula calls something that is not one of %(functions)s",
                                       functions=", ".join(FUNCTIONS)))
    return tree


def names_read(tree: ast.Expression) -> set[str]:
    """The names the formula reads (not the functions it calls)."""
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and id(node) not in called}


def check_order(codes: list[str], trees: list[ast.Expression]) -> list[tuple[int, str]]:
    """For rules in order (``codes[i]`` computed by ``trees[i]``): (index, problem) of each rule that reads a
    rule computed after it, itself, or a name that is neither a rule nor one of :data:`NAMES`."""
    position = {code: index for index, code in enumerate(codes)}
    problems = []
    for index, tree in enumerate(trees):
        for name in sorted(names_read(tree)):
            if name in NAMES:
                continue
            found = position.get(name)
            if found is None:
                problems.append((index, gettext("it refers to %(name)s, which is no rule of the structure",
                                                name=name)))
            elif found == index:
                problems.append((index, gettext("it refers to itself")))
            elif found > index:
                problems.append((index, gettext(
                    "it refers to %(name)s, which is computed after it (a cycle: rules are computed in order)",
                    name=name)))
    return problems


def _decimal_constant(node: ast.Constant):
    value = node.value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    return Decimal(str(value))


class Evaluator:
    """One evaluator for a whole batch: the names and functions of the payslip being computed are swapped in
    (:meth:`evaluate`), the parsed formulas are reused."""

    def __init__(self) -> None:
        self._engine = SimpleEval(operators=None, functions={}, names={})
        self._engine.operators = {op: fn for op, fn in self._engine.operators.items() if op in _OPERATORS}
        self._engine.nodes[ast.Constant] = _decimal_constant

    def evaluate(self, tree: ast.Expression, text: str, names: Mapping[str, Decimal],
                 functions: Mapping[str, Callable]) -> Decimal:
        self._engine.names = names
        self._engine.functions = functions
        try:
            value = self._engine.eval(text, previously_parsed=tree.body)
        except ZeroDivisionError:
            raise FormulaError(gettext("it divides by zero")) from None
        except NameNotDefined as error:
            raise FormulaError(gettext("it refers to %(name)s, which is no rule computed before it",
                                       name=error.name)) from None
        except FunctionNotDefined as error:
            raise FormulaError(gettext("it calls %(name)s, which formulas do not offer",
                                       name=error.func_name)) from None
        except (InvalidExpression, InvalidOperation, TypeError, ValueError) as error:
            raise FormulaError(gettext("it cannot be computed (%(problem)s)", problem=str(error) or
                                       type(error).__name__)) from None
        if isinstance(value, bool):
            value = Decimal(int(value))
        if not isinstance(value, Decimal):
            raise FormulaError(gettext("it gives %(value)s, which is not an amount", value=repr(value)))
        return value.quantize(CENT, rounding=ROUND_HALF_UP)


def rounded(value: Decimal, places: Decimal = Decimal(2)) -> Decimal:
    """``round(x)`` and ``round(x, places)`` in a formula: half up, as payroll rounds."""
    return value.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
