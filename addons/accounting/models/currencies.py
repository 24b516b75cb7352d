"""Currencies and their rates against each company's own currency."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core import Base, CompanyMixin, intpk


class Currency(Base):
    """An ISO 4217 currency and the number of decimals its amounts are rounded to."""

    __tablename__ = "accounting_currency"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    symbol: Mapped[str] = mapped_column(String(8))
    decimals: Mapped[int] = mapped_column(default=2)

    @property
    def display_name(self) -> str:
        return self.code


class CurrencyRate(CompanyMixin, Base):
    """From ``date`` on, one unit of ``currency_code`` is worth ``rate`` units of the company's currency."""

    __tablename__ = "accounting_currency_rate"
    __table_args__ = (UniqueConstraint("company_id", "currency_code", "date"), CheckConstraint("rate > 0", "positive"))

    id: Mapped[intpk]
    currency_code: Mapped[str] = mapped_column(String(3))
    date: Mapped[dt.date] = mapped_column(Date)
    rate: Mapped[Decimal] = mapped_column(Numeric(18, 8))
