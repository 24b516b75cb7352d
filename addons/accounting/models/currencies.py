"""Currencies and their rates against each company's own currency."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core import Base, CompanyMixin, intpk
from core.fields import field


class Currency(Base):
    """An ISO 4217 currency and the number of decimals its amounts are rounded to."""

    __tablename__ = "accounting_currency"

    code: Mapped[str] = mapped_column(String(3), primary_key=True, info=field(_l("Code")))
    name: Mapped[str] = mapped_column(String(64), info=field(_l("Name")))
    symbol: Mapped[str] = mapped_column(String(8), info=field(_l("Symbol")))
    decimals: Mapped[int] = mapped_column(default=2, info=field(_l("Decimals"), minimum=0, maximum=6))

    @property
    def display_name(self) -> str:
        return self.code


class CurrencyRate(CompanyMixin, Base):
    """From ``date`` on, one unit of ``currency_code`` is worth ``rate`` units of the company's currency."""

    __tablename__ = "accounting_currency_rate"
    __table_args__ = (UniqueConstraint("company_id", "currency_code", "date"), CheckConstraint("rate > 0", "positive"))

    id: Mapped[intpk]
    currency_code: Mapped[str] = mapped_column(String(3), info=field(_l("Currency"), listed=True))
    date: Mapped[dt.date] = mapped_column(Date, info=field(_l("Date"), listed=True))
    rate: Mapped[Decimal] = mapped_column(Numeric(18, 8), info=field(
        _l("Rate"), minimum=Decimal("0.00000001"), listed=True,
        help=_l("What one unit of the currency is worth in the company's currency.")))
