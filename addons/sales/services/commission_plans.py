"""Commission plans: who they pay, on what, and their progressive bands.

A plan is for one salesperson or one sales team, never both, and each has
at most one active plan in a company. Its bands start at 0 and follow each
other without gap or overlap (each starts where the previous one ends); only
the last has no upper end, so every base earns something. :func:`banded`
works out a base's commission band by band: each band's rate on the part of
the base inside it. A negative base (credit notes outweighing invoices in
the period) is taken back at the first band's rate.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from flask_babel import format_decimal, gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from addons.accounting.services.currency import round_amount
from addons.accounting.services.values import clean_line
from core.errors import ValidationError
from core.fields import clean

from ..models import CommissionBand, CommissionPlan

ZERO = Decimal(0)
HUNDRED = Decimal(100)


class Band(Protocol):
    amount_from: Decimal
    amount_to: Decimal | None
    rate: Decimal


@dataclass(frozen=True)
class BandPart:
    """The part of a base inside one band, and the commission on it (rounded to the cent)."""

    amount_from: Decimal
    amount_to: Decimal | None
    rate: Decimal
    base: Decimal
    amount: Decimal


def banded(base: Decimal, bands: Sequence[Band], places: int = 2) -> list[BandPart]:
    """The commission on ``base`` band by band (progressive); the total is the sum of the parts."""
    parts = []
    for index, band in enumerate(bands):
        if base < 0:
            inside = base if index == 0 else ZERO
        else:
            top = base if band.amount_to is None else min(base, band.amount_to)
            inside = max(top - band.amount_from, ZERO)
        parts.append(BandPart(band.amount_from, band.amount_to, band.rate, inside,
                              round_amount(inside * band.rate / HUNDRED, places)))
    return parts


def save_plan(session: Session, company_id: int, plan: CommissionPlan | None, *, name: str, bands: Sequence[dict],
              user_id: int | None = None, team_id: int | None = None, base: str | None = None,
              trigger: str | None = None, active: bool = True) -> CommissionPlan:
    """Create (``plan`` None) or rewrite a plan with its bands (``amount_from``, ``amount_to``, ``rate`` each);
    refused, with nothing written, unless the bands cover every base once."""
    given = {"name": name, "user_id": user_id, "team_id": team_id, "active": active}
    given.update({key: value for key, value in (("base", base), ("trigger", trigger)) if value is not None})
    values = clean(CommissionPlan, given, record=plan, session=session, creating=plan is None)
    if (values["user_id"] is None) == (values["team_id"] is None):
        raise ValidationError(gettext("A commission plan is for a salesperson or for a sales team: choose one "
                                      "of the two."), "user_id")
    rows = check_bands(bands)
    if values["active"]:
        _refuse_second_plan(session, company_id, plan, values)
    with session.begin_nested():
        if plan is None:
            plan = CommissionPlan(company_id=company_id)
            session.add(plan)
        for key, value in values.items():
            setattr(plan, key, value)
        plan.bands = [CommissionBand(company_id=company_id, sequence=(index + 1) * 10, **row)
                      for index, row in enumerate(rows)]
        session.flush()
    return plan


def check_bands(bands: Sequence[dict]) -> list[dict]:
    """The bands cleaned, in order; refused when there are none, a rate is missing or out of 0–100, or they
    leave a gap or overlap."""
    if not bands:
        raise ValidationError(gettext("A commission plan needs at least one band: its rate from 0 up."), "bands")
    rows = []
    for index, row in enumerate(bands):
        given = {key: row.get(key) for key in ("amount_from", "amount_to", "rate")}
        if given["rate"] in (None, ""):
            raise ValidationError(gettext("Band %(number)s: give its rate, a percentage from 0 to 100.",
                                          number=index + 1), f"lines-{index}-rate")
        cleaned = clean_line(CommissionBand, index, {key: value for key, value in given.items()
                                                     if value not in (None, "")})
        rows.append({"amount_from": cleaned.get("amount_from", ZERO), "amount_to": cleaned.get("amount_to"),
                     "rate": cleaned["rate"]})
    _check_sequence(rows)
    return rows


def _check_sequence(rows: list[dict]) -> None:
    if rows[0]["amount_from"] != 0:
        raise ValidationError(gettext("Band 1 starts at %(start)s: the first band starts at 0, so that every "
                                      "base earns commission.", start=_plain(rows[0]["amount_from"])),
                              "lines-0-amount_from")
    for index, row in enumerate(rows):
        number, last = index + 1, index == len(rows) - 1
        if row["amount_to"] is None and not last:
            raise ValidationError(gettext("Band %(number)s has no upper end, yet band %(next)s follows it: only "
                                          "the last band is open-ended.", number=number, next=number + 1),
                                  f"lines-{index}-amount_to")
        if row["amount_to"] is not None and last:
            raise ValidationError(gettext("The last band (%(number)s) ends at %(end)s: leave its upper end empty, "
                                          "or a base above it would earn nothing.", number=number,
                                          end=_plain(row["amount_to"])), f"lines-{index}-amount_to")
        if row["amount_to"] is not None and row["amount_to"] <= row["amount_from"]:
            raise ValidationError(gettext("Band %(number)s ends at %(end)s, not above where it starts (%(start)s).",
                                          number=number, end=_plain(row["amount_to"]),
                                          start=_plain(row["amount_from"])), f"lines-{index}-amount_to")
        if index and row["amount_from"] != rows[index - 1]["amount_to"]:
            previous = rows[index - 1]["amount_to"]
            message = (gettext("Band %(number)s starts at %(start)s, inside band %(previous)s which ends at %(end)s: "
                               "bands must not overlap.", number=number, previous=number - 1,
                               start=_plain(row["amount_from"]), end=_plain(previous))
                       if row["amount_from"] < previous else
                       gettext("Band %(number)s starts at %(start)s but band %(previous)s ends at %(end)s: the bases "
                               "in between would earn nothing. Start it where the previous band ends.",
                               number=number, previous=number - 1, start=_plain(row["amount_from"]),
                               end=_plain(previous)))
            raise ValidationError(message, f"lines-{index}-amount_from")


def _plain(amount: Decimal) -> str:
    return format_decimal(amount)


def _refuse_second_plan(session: Session, company_id: int, plan: CommissionPlan | None, values: dict) -> None:
    column, key = ((CommissionPlan.user_id, "user_id") if values["user_id"] is not None
                   else (CommissionPlan.team_id, "team_id"))
    other = session.scalars(select(CommissionPlan).where(
        CommissionPlan.company_id == company_id, CommissionPlan.active.is_(True), column == values[key],
        CommissionPlan.id != (plan.id if plan is not None else -1))).first()
    if other is None:
        return
    if key == "user_id":
        message = gettext("“%(other)s” is already the active commission plan of this salesperson: change that plan, "
                          "or archive it first.", other=other.name)
    else:
        message = gettext("“%(other)s” is already the active commission plan of this sales team: change that plan, "
                          "or archive it first.", other=other.name)
    raise ValidationError(message, key)
