"""Tax identifiers, checked per country with python-stdnum.

- Spain: NIF of a person (DNI), of a foreigner (NIE) or of a company (CIF),
  stored in the national compact form (``B12345674``, ``X1234567L``);
- Italy: partita IVA (11 digits) or codice fiscale (16 characters), stored
  compact without the ``IT`` prefix;
- another EU country: the VAT number with its country prefix
  (``DE136695976``; Greece is ``EL``), with or without the prefix as typed;
- a country outside the EU: the number as typed, without spaces (no checker);
- no country: only an EU VAT number with its prefix is understood, and it
  gives the country.

:func:`check_tax_id` returns the compact form and the country, or raises
:class:`InvalidTaxId` with a message for the person who typed it.
"""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from stdnum import exceptions as stdnum_errors
from stdnum.es import cif as es_cif
from stdnum.es import nie as es_nie
from stdnum.es import nif as es_nif
from stdnum.eu import vat as eu_vat
from stdnum.it import codicefiscale as it_codicefiscale
from stdnum.it import iva as it_iva

SEPARATORS = re.compile(r"[\s.\-/,_]")
# VAT prefixes that are not the ISO country code
VAT_PREFIX_COUNTRY = {"EL": "GR", "XI": "GB"}
COUNTRY_VAT_PREFIX = {"GR": "EL"}
EU_COUNTRIES = {VAT_PREFIX_COUNTRY.get(code.upper(), code.upper()) for code in eu_vat.MEMBER_STATES} - {"GB"}


class InvalidTaxId(ValueError):
    """The tax id does not pass its country's check; ``message`` says why, for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _reason(error: Exception):
    if isinstance(error, stdnum_errors.InvalidChecksum):
        return _l("The check digit is wrong: look for a mistyped character.")
    if isinstance(error, stdnum_errors.InvalidLength):
        return _l("It has the wrong number of characters.")
    if isinstance(error, stdnum_errors.InvalidComponent):
        return _l("A part of it (a date, a place or a province code) does not exist.")
    return _l("It contains characters that do not belong in it.")


def compact(value: str) -> str:
    return SEPARATORS.sub("", value or "").upper()


def _spanish(number: str) -> str:
    bare = number[2:] if number.startswith("ES") and len(number) == 11 else number
    first = bare[:1]
    if first in "XYZ":
        module, message = es_nie, _l("%(value)s is not a valid Spanish NIE.", value=number)
    elif first.isalpha() and first not in "KLM":
        module, message = es_cif, _l("%(value)s is not a valid Spanish CIF.", value=number)
    else:
        module, message = es_nif, _l("%(value)s is not a valid Spanish NIF.", value=number)
    try:
        return module.validate(bare)
    except stdnum_errors.ValidationError as error:
        raise InvalidTaxId(message + " " + _reason(error)) from None


def _italian(number: str) -> str:
    bare = number[2:] if number.startswith("IT") and len(number) == 13 else number
    try:
        if len(bare) == 16:
            return it_codicefiscale.validate(bare)
        return it_iva.validate(bare)
    except stdnum_errors.ValidationError as error:
        raise InvalidTaxId(_l("%(value)s is not a valid Italian partita IVA or codice fiscale.", value=number)
                           + " " + _reason(error)) from None


def _european(number: str) -> str:
    try:
        return eu_vat.validate(number)
    except stdnum_errors.ValidationError as error:
        raise InvalidTaxId(_l("%(value)s is not a valid EU VAT number.", value=number) + " " + _reason(error)) from None


def _prefix_country(number: str) -> str | None:
    prefix = number[:2]
    if prefix.isalpha() and prefix.lower() in eu_vat.MEMBER_STATES:
        return VAT_PREFIX_COUNTRY.get(prefix, prefix)
    return None


def check_tax_id(value: str, country_code: str | None) -> tuple[str, str | None]:
    """The compact, checked form of ``value`` and the country it belongs to."""
    number = compact(value)
    country = (country_code or "").upper() or None
    if not number:
        raise InvalidTaxId(_l("The tax ID is empty."))
    prefixed = _prefix_country(number)
    if country in ("ES", "IT"):
        try:
            return (_spanish(number) if country == "ES" else _italian(number)), country
        except InvalidTaxId:
            if prefixed is not None and prefixed != country:
                raise InvalidTaxId(_l("%(value)s is a tax ID of %(prefix)s, not of %(country)s: check the country.",
                                      value=number, prefix=prefixed, country=country)) from None
            raise
    if country in EU_COUNTRIES:
        prefix = COUNTRY_VAT_PREFIX.get(country, country)
        candidate = number if number.startswith(prefix) else prefix + number
        try:
            return eu_vat.validate(candidate), country
        except stdnum_errors.ValidationError as error:
            if prefixed is not None and prefixed != country:
                raise InvalidTaxId(_l("%(value)s is a tax ID of %(prefix)s, not of %(country)s: check the country.",
                                      value=number, prefix=prefixed, country=country)) from None
            raise InvalidTaxId(_l("%(value)s is not a valid EU VAT number.", value=number)
                               + " " + _reason(error)) from None
    if prefixed is not None:
        if country is None or prefixed == country:
            if prefixed == "ES":
                return _spanish(number), "ES"
            if prefixed == "IT":
                return _italian(number), "IT"
            return _european(number), prefixed
    if country is None:
        raise InvalidTaxId(_l("Set the country, or write the tax ID with its country prefix (for example "
                              "ESB12345674)."))
    return number, country


def same_tax_id_key(vat: str | None, country_code: str | None) -> str | None:
    """A key under which two stored tax ids of the same holder compare equal."""
    if not vat:
        return None
    number = compact(vat)
    country = (country_code or "").upper()
    for prefix in {country, COUNTRY_VAT_PREFIX.get(country, country)} - {""}:
        if number.startswith(prefix) and len(number) > len(prefix) + 2:
            number = number[len(prefix):]
            break
    return f"{country}:{number}"


def international_vat(vat: str, country_code: str | None) -> str:
    """``vat`` with its VAT country prefix for an EU country (``B12345674`` of ES is ``ESB12345674``).

    Spanish and Italian numbers are kept in their national form; e-invoices
    such as UBL want the prefixed one. Others are returned compact.
    """
    number = compact(vat)
    country = (country_code or "").upper()
    if country not in EU_COUNTRIES:
        return number
    prefix = COUNTRY_VAT_PREFIX.get(country, country)
    return number if number.startswith(prefix) else prefix + number
