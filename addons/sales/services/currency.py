"""Amounts kept in the company's currency (list prices, costs) expressed in a quotation's currency, and back.

Rates belong to accounting, which sales depends on: the rate of the date,
read as the system (rates are no secret), refused with accounting's own
message when none is recorded.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.orm import Session

from addons.accounting.services.currency import company_currency, rate_at
from core.sessions import system_rows

PLACES = Decimal("0.000001")
CENT = Decimal("0.01")


def from_company(session: Session, company_id: int, amount: Decimal, currency_code: str, date: dt.date) -> Decimal:
    """``amount`` in the company's currency, in ``currency_code`` at ``date``'s rate (six decimals)."""
    if currency_code == company_currency(session, company_id):
        return Decimal(amount)
    return (Decimal(amount) / _rate(session, company_id, currency_code, date)).quantize(PLACES, rounding=ROUND_HALF_UP)


def to_company(session: Session, company_id: int, amount: Decimal, currency_code: str, date: dt.date) -> Decimal:
    """``amount`` in ``currency_code``, in the company's currency at ``date``'s rate (to the cent)."""
    if currency_code == company_currency(session, company_id):
        return Decimal(amount)
    return (Decimal(amount) * _rate(session, company_id, currency_code, date)).quantize(CENT, rounding=ROUND_HALF_UP)


def _rate(session: Session, company_id: int, currency_code: str, date: dt.date) -> Decimal:
    with system_rows(session) as system:
        return rate_at(system, company_id, currency_code, date=date)
