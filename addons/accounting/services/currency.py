"""Rounding per currency and conversion at the rate of a date, in exact Decimal arithmetic."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.models.company import Company
from core.transaction_cache import cached

from ..models import Currency, CurrencyRate

ONE = Decimal(1)
CENT = Decimal("0.01")


def decimals(session: Session, currency_code: str) -> int:
    currency = cached(session, ("accounting.currency", currency_code), lambda: session.get(Currency, currency_code),
                      depends_on=(Currency,))
    if currency is None:
        raise ValidationError(gettext("Unknown currency %(code)s.", code=currency_code), "currency_code")
    return currency.decimals


def quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def round_amount(amount: Decimal, places: int = 2) -> Decimal:
    """Round half up (away from zero on ties), as invoices and tax offices do."""
    return Decimal(amount).quantize(quantum(places), rounding=ROUND_HALF_UP)


def sql_money(value) -> Decimal:
    """A SQL sum as Decimal to the cent (SQLite returns floats: go through ``str`` to keep their digits)."""
    return Decimal(str(value or 0)).quantize(CENT, rounding=ROUND_HALF_UP)


def company_currency(session: Session, company_id: int) -> str:
    return cached(session, ("core.company", company_id), lambda: session.get(Company, company_id),
                  depends_on=(Company,)).currency_code


def rate_at(session: Session, company_id: int, currency_code: str, *, date: dt.date) -> Decimal:
    """Company-currency units for one unit of ``currency_code`` on ``date`` (the latest rate on or before it)."""
    if currency_code == company_currency(session, company_id):
        return ONE
    rate = session.scalar(
        select(CurrencyRate.rate)
        .where(CurrencyRate.company_id == company_id, CurrencyRate.currency_code == currency_code,
               CurrencyRate.date <= date)
        .order_by(CurrencyRate.date.desc()).limit(1)
    )
    if rate is None:
        raise ValidationError(gettext("There is no exchange rate for %(code)s on or before %(date)s; "
                                      "enter one under Accounting › Configuration › Currency rates.",
                                      code=currency_code, date=date.isoformat()), "currency_code")
    return Decimal(rate)


def to_company(session: Session, company_id: int, *, amount: Decimal, rate: Decimal) -> Decimal:
    """``amount`` at ``rate`` in the company's currency, rounded to that currency's decimals."""
    return round_amount(Decimal(amount) * rate, decimals(session, company_currency(session, company_id)))
