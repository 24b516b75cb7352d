"""Payment terms: the instalments (due date and amount) of an invoice total.

Each term line is ``percent`` of the total due ``days`` after the invoice
date, optionally moved to the last day of that month. Every instalment but
the last is rounded to the currency; the last takes what is left, so the
instalments always add up to the total exactly (33.33 + 33.33 + 33.34).
"""
from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from flask_babel import gettext
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.fields import clean

from ..models import PaymentTerm, PaymentTermLine
from .currency import round_amount
from .values import clean_line

ZERO = Decimal(0)
HUNDRED = Decimal(100)


class TermLine(Protocol):
    percent: Decimal
    days: int
    end_of_month: bool


@dataclass(frozen=True)
class Instalment:
    date: dt.date
    amount: Decimal


def due_date(date: dt.date, days: int, end_of_month: bool = False) -> dt.date:
    """``days`` after ``date``; with ``end_of_month``, the last day of the month that lands in."""
    due = date + dt.timedelta(days=days)
    if end_of_month:
        due = due.replace(day=calendar.monthrange(due.year, due.month)[1])
    return due


def instalments(lines: Sequence[TermLine] | None, date: dt.date, total: Decimal, places: int = 2) -> list[Instalment]:
    """The instalments of ``total`` for ``lines`` (in order); no lines: all of it due on ``date``."""
    if not lines:
        return [Instalment(date, Decimal(total))]
    for line in lines:
        if Decimal(line.percent) < 0 or Decimal(line.percent) > HUNDRED:
            raise ValidationError(gettext("An instalment is a percentage between 0 and 100."), "percent")
        if line.days < 0:
            raise ValidationError(gettext("An instalment cannot fall due before the invoice date."), "days")
    if sum((Decimal(line.percent) for line in lines[:-1]), ZERO) > HUNDRED:
        raise ValidationError(gettext("The instalments add up to more than 100 percent."), "percent")
    result, left = [], Decimal(total)
    for index, line in enumerate(lines):
        last = index == len(lines) - 1
        amount = left if last else round_amount(Decimal(total) * Decimal(line.percent) / HUNDRED, places)
        left -= amount
        result.append(Instalment(due_date(date, line.days, line.end_of_month), amount))
    return result


def save_term(session: Session, company_id: int, term: PaymentTerm | None, *, name: str, lines: Sequence[dict],
              active: bool = True) -> PaymentTerm:
    """Create or rewrite a payment term with its instalments (``percent``, ``days``, ``end_of_month`` each),
    refused unless they give due dates as ``instalments`` will use them."""
    values = clean(PaymentTerm, {"name": name, "active": active}, record=term, creating=True)
    rows = []
    for index, row in enumerate(lines):
        given = {name: value for name, value in row.items() if value is not None}
        row = clean_line(PaymentTermLine, index, {"percent": HUNDRED, "days": 0, **given})
        rows.append(PaymentTermLine(company_id=company_id, sequence=(index + 1) * 10, percent=row["percent"],
                                    days=row["days"], end_of_month=bool(row.get("end_of_month"))))
    instalments(rows, dt.date.today(), Decimal(100))
    if term is None:
        term = PaymentTerm(company_id=company_id)
        session.add(term)
    term.name, term.active = values["name"], values["active"]
    term.lines = rows
    session.flush()
    return term
