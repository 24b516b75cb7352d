"""When purchase converts between currencies, and how.

Rates belong to accounting. Purchase asks for them through the core hook
``exchange_rate`` and never imports accounting, so the rule is:

- a supplier price in the order's own currency is used as it is, with or
  without accounting;
- a supplier price in another currency is converted at the rate of the
  order date when an installed addon keeps rates (accounting): from the
  price's currency to the company's, then to the order's;
- without such an addon, or when it has no rate for that date, the price
  cannot be used and the user is told why and what to do (record a price in
  the order's currency, make the order in the price's currency, or enter a
  rate in accounting). Nothing is written.

The approval amount is in the company's currency: an order in another
currency is converted by the same rule to be compared with it.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.models import Company
from core.transaction_cache import cached


def company_currency(session: Session, company_id: int) -> str:
    return cached(session, ("core.company", company_id), lambda: session.get(Company, company_id),
                  depends_on=(Company,)).currency_code


def rate(session: Session, company_id: int, currency_code: str, *, date: dt.date, field: str) -> Decimal:
    """Company-currency units for one ``currency_code`` on ``date``; ValidationError on ``field`` when unknown."""
    if currency_code == company_currency(session, company_id):
        return Decimal(1)
    registry = session.info.get("registry")
    found = registry.hook.exchange_rate(session=session, company_id=company_id, currency_code=currency_code,
                                        date=date) if registry is not None else None
    if found is None:
        raise ValidationError(gettext(
            "No exchange rate is known for %(code)s: without accounting, purchase does not convert currencies. "
            "Record the supplier's price in %(company)s, or make the order in %(code)s.",
            code=currency_code, company=company_currency(session, company_id)), field)
    return Decimal(found)


def convert(session: Session, company_id: int, *, amount: Decimal, source: str, target: str, date: dt.date,
            field: str, places: int = 6) -> Decimal:
    """``amount`` in ``source`` expressed in ``target`` at ``date``'s rates, rounded to ``places`` decimals."""
    if source == target:
        return amount
    value = (Decimal(amount) * rate(session, company_id, source, date=date, field=field)
             / rate(session, company_id, target, date=date, field=field))
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
