"""Formats a text field may declare (``field(format="email")``): each checks and normalises a value.

A checker takes the stripped text (and, for a tax id, the record's country)
and returns the normalised value, or raises :class:`FormatProblem` with a
message for the person who typed it.
"""
from __future__ import annotations

import re
import unicodedata
from functools import cache
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

from core.bounds import short
from core.languages import CODES as LANGUAGES

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()./-]+$")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
#: names people write for a country that Babel does not list (folded, without dots)
#: two-letter regions in Babel's territory data that are not countries of ISO 3166 (the EU, the UN, pseudo-locales,
#: "unknown region"); Kosovo's XK stays, as tax and bank data use it
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
COUNTRY_ALIASES = {"uk": "GB", "usa": "US", "eeuu": "US", "ee uu": "US", "holland": "NL"}


class FormatProblem(ValueError):
    """The value does not have the declared format; ``str()`` says why, for the user."""


def check(format_: str, value: str, *, country: str | None = None) -> str:
    return CHECKERS[format_](value, country)


def _email(value: str, _country) -> str:
    value = value.lower()
    if len(value) > 254 or not EMAIL.match(value):
        raise FormatProblem(_l("%(value)s is not an email address.", value=short(value)))
    return value


def _phone(value: str, _country) -> str:
    if not PHONE.match(value) or sum(ch.isdigit() for ch in value) < 6:
        raise FormatProblem(_l("%(value)s is not a phone number: use digits, spaces and an optional leading +.",
                               value=short(value)))
    return " ".join(value.split())


def fold(text: str) -> str:
    """Lower case without accents, so "italia", "Itália" and "ITALIA" meet."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


@cache
def _countries() -> tuple[dict[str, str], dict[str, str]]:
    """(code -> English name, folded name in English, Spanish or Italian -> code)."""
    from babel import Locale

    codes = {code: name for code, name in Locale("en").territories.items()
             if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES}
    by_name = {}
    for language in LANGUAGES:
        for code, name in Locale(language).territories.items():
            if code in codes:
                by_name.setdefault(fold(name), code)
    return codes, by_name


def _country(value: str, _country) -> str:
    codes, by_name = _countries()
    if value.upper() in codes and len(value) == 2:
        return value.upper()
    code = by_name.get(fold(value)) or COUNTRY_ALIASES.get(fold(value).replace(".", ""))
    if code is None:
        raise FormatProblem(_l("%(value)s is not a country: write its name (Spain, España, Spagna) or its "
                               "two-letter code (ES).", value=short(value)))
    return code


@cache
def country_names() -> dict[str, tuple[str, ...]]:
    """Each country code with its names in English, Spanish and Italian (what a country picker searches)."""
    from babel import Locale

    codes = _countries()[0]
    return {code: tuple(dict.fromkeys(Locale(language).territories.get(code, code) for language in LANGUAGES))
            for code in codes}


def country_name(code: str) -> str:
    """The English name of a country code (the code itself when unknown)."""
    return _countries()[0].get(code, code)


def _url(value: str, _country) -> str:
    if "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or any(ch.isspace() for ch in value):
        raise FormatProblem(_l("%(value)s is not a web address.", value=short(value)))
    return value


def _iban(value: str, _country) -> str:
    from stdnum import iban
    from stdnum.exceptions import ValidationError

    try:
        return iban.validate(value)
    except ValidationError:
        raise FormatProblem(_l("%(value)s is not a valid IBAN: check the country letters and the digits.",
                               value=short(value))) from None


def _taxid(value: str, country) -> str:
    from core.taxid import InvalidTaxId, check_tax_id

    try:
        return check_tax_id(value, country)[0]
    except InvalidTaxId as error:
        raise FormatProblem(error.message) from None


def _language(value: str, _country) -> str:
    if value.lower() not in LANGUAGES:
        raise FormatProblem(_l("%(value)s is not a language: use one of %(codes)s.", value=short(value),
                               codes=", ".join(LANGUAGES)))
    return value.lower()


@cache
def currencies() -> frozenset[str]:
    """The ISO 4217 codes Babel knows."""
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def _currency(value: str, _country) -> str:
    if value.upper() not in currencies():
        raise FormatProblem(_l("%(value)s is not a currency code: use three letters such as EUR or USD.",
                               value=short(value)))
    return value.upper()


def _code(value: str, _country) -> str:
    if not CODE.match(value):
        raise FormatProblem(_l("%(value)s is not a code: use letters, digits, '.', '-' and '_', without spaces.",
                               value=short(value)))
    return value


CHECKERS = {"email": _email, "phone": _phone, "country": _country, "url": _url, "iban": _iban, "taxid": _taxid,
            "language": _language, "code": _code, "currency": _currency}
