"""Chart templates: the accounts, taxes, journals, payment terms and default accounts a company starts with.

A template is plain data (see :class:`ChartTemplate`); accounts are referred
to by code everywhere else in it. :func:`addons.accounting.services.books.setup_books`
turns one into rows for a company. Names are in the country's language: they
become the company's data, not interface strings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class AccountTemplate:
    code: str
    name: str
    type: str
    reconcile: bool = False


@dataclass(frozen=True)
class TaxTemplate:
    """``percent`` is negative for a withholding; ``reverse_charge_account`` makes it a reverse charge."""

    code: str
    name: str
    use: str
    percent: Decimal
    account: str
    reverse_charge_account: str | None = None
    price_include: bool = False
    sequence: int = 10


@dataclass(frozen=True)
class JournalTemplate:
    code: str
    name: str
    kind: str
    default_account: str | None = None


@dataclass(frozen=True)
class TermTemplate:
    """Instalments as (percent, days, end_of_month); the last instalment takes what rounding leaves."""

    name: str
    lines: tuple[tuple[Decimal, int, bool], ...]


@dataclass(frozen=True)
class ChartTemplate:
    key: str
    name: str
    accounts: tuple[AccountTemplate, ...]
    taxes: tuple[TaxTemplate, ...]
    journals: tuple[JournalTemplate, ...]
    terms: tuple[TermTemplate, ...]
    #: ``Settings`` column (without ``_account_id``) -> account code, e.g. ``{"receivable": "430"}``.
    defaults: dict[str, str] = field(default_factory=dict)


def terms(immediate: str, days30: str, days306090: str, eom30: str, eom60: str) -> tuple[TermTemplate, ...]:
    """The usual payment terms, named in the chart's language."""
    third = Decimal("33.3333")
    return (
        TermTemplate(immediate, ((Decimal(100), 0, False),)),
        TermTemplate(days30, ((Decimal(100), 30, False),)),
        TermTemplate(days306090, ((third, 30, False), (third, 60, False), (Decimal(100) - 2 * third, 90, False))),
        TermTemplate(eom30, ((Decimal(100), 30, True),)),
        TermTemplate(eom60, ((Decimal(100), 60, True),)),
    )


#: (code, name, symbol, decimals): inserted when missing whenever books are set up.
CURRENCIES = (
    ("EUR", "Euro", "€", 2), ("USD", "US Dollar", "$", 2), ("GBP", "Pound Sterling", "£", 2),
    ("CHF", "Swiss Franc", "CHF", 2), ("JPY", "Yen", "¥", 0), ("SEK", "Swedish Krona", "kr", 2),
    ("NOK", "Norwegian Krone", "kr", 2), ("DKK", "Danish Krone", "kr", 2), ("PLN", "Zloty", "zł", 2),
    ("CZK", "Czech Koruna", "Kč", 2), ("HUF", "Forint", "Ft", 2), ("RON", "Romanian Leu", "lei", 2),
    ("CAD", "Canadian Dollar", "$", 2), ("AUD", "Australian Dollar", "$", 2), ("CNY", "Yuan Renminbi", "¥", 2),
    ("MXN", "Mexican Peso", "$", 2), ("BRL", "Brazilian Real", "R$", 2), ("MAD", "Moroccan Dirham", "DH", 2),
    ("KWD", "Kuwaiti Dinar", "KD", 3),
)


def templates() -> dict[str, ChartTemplate]:
    from . import es, generic, it

    return {chart.key: chart for chart in (generic.CHART, es.CHART, it.CHART)}


#: Company country code -> chart key; any other country gets the generic chart.
BY_COUNTRY = {"ES": "es", "IT": "it"}
