"""Companies and their profile: what the company's invoices and e-invoices say of it.

:func:`create_company` and :func:`update_company` check every value first
(lengths from the columns, the tax id per country with python-stdnum, the
IBAN, email, phone, web address, language and logo) and raise
:class:`CompanyValidationError` naming each wrong field; nothing is written
then. The web form, the CLI, the demo and scripts all go through them.
"""
from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.images import ImageProblem, check_logo
from core.languages import CODES
from core.models import Company
from core.security import log_event
from core.taxid import InvalidTaxId, check_tax_id

LABELS = {
    "name": _l("Name"), "currency_code": _l("Currency"), "country_code": _l("Country"), "street": _l("Street"),
    "street2": _l("Street (2)"), "zip": _l("Post code"), "city": _l("City"), "province": _l("Province or state"),
    "vat": _l("Tax ID"), "iban": _l("IBAN"), "email": _l("Email"), "phone": _l("Phone"), "website": _l("Website"),
    "lang": _l("Document language"), "logo": _l("Logo"),
}
#: what a caller may set; ``logo`` takes the image's bytes, or None to remove it
FIELDS = tuple(LABELS)
TEXT_FIELDS = tuple(name for name in FIELDS if name != "logo")

EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\".]{2,}$")
PHONE = re.compile(r"^\+?[0-9][0-9\s().\-/]{5,}$")


class CompanyValidationError(ValidationError):
    """Some values were refused: ``errors`` maps each wrong field to its message; the first is ``field``."""

    def __init__(self, errors: dict):
        field, problem = next(iter(errors.items()))
        super().__init__(_l("%(field)s: %(problem)s", field=LABELS.get(field, field), problem=problem), field)
        self.errors = errors


def create_company(session: Session, **values) -> Company:
    """A new company from checked ``values`` (see :data:`FIELDS`); ``name`` is required."""
    cleaned = clean_company_values(session, values)
    company = Company(**{"currency_code": "EUR", **cleaned})
    session.add(company)
    session.flush()
    return company


def update_company(session: Session, company: Company, **values) -> Company:
    """Change ``company``'s profile; a new country checks the stored tax id again.

    A new IBAN is written to the security log: it is where customers send
    their money, so a changed one is worth knowing about.
    """
    cleaned = clean_company_values(session, values, company)
    if "iban" in cleaned and cleaned["iban"] != company.iban:
        log_event(session, "company_iban_changed",
                  detail=f"{company.name}: {_masked(company.iban)} → {_masked(cleaned['iban'])}")
    for key, value in cleaned.items():
        setattr(company, key, value)
    session.flush()
    return company


def _masked(iban: str | None) -> str:
    """Enough of an IBAN to tell two apart in a log: country, check digits and the last four."""
    return f"{iban[:4]}…{iban[-4:]}" if iban else "-"


def clean_company_values(session: Session, values: dict, company: Company | None = None) -> dict:
    """The checked, normalised form of ``values`` for a new company (or changes to ``company``).

    Text is stripped (empty becomes None); ``logo`` becomes ``logo`` and
    ``logo_type``. Writes nothing; raises :class:`CompanyValidationError`.
    """
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise CompanyValidationError({unknown[0]: _l("Unknown company fields: %(names)s.",
                                                     names=", ".join(unknown))})
    errors: dict = {}
    cleaned = {}
    for name in TEXT_FIELDS:
        if name in values:
            problem, cleaned[name] = _text(name, values[name])
            if problem:
                errors[name] = problem
    current = {name: getattr(company, name) for name in TEXT_FIELDS} if company is not None else {}
    merged = {**current, **cleaned}
    if not merged.get("name") and "name" not in errors:
        errors["name"] = _l("A company needs a name.")
    elif cleaned.get("name") and _name_taken(session, cleaned["name"], company):
        errors["name"] = _l("There is already a company called %(name)s.", name=cleaned["name"])
    if company is None and not merged.get("currency_code"):
        cleaned.pop("currency_code", None)  # the column's default
    elif "currency_code" in cleaned and not cleaned["currency_code"] and "currency_code" not in errors:
        errors["currency_code"] = _l("A company needs a currency.")
    for name, check in CHECKS.items():
        if cleaned.get(name) and name not in errors:
            try:
                cleaned[name] = check(cleaned[name])
            except ValueError as problem:
                errors[name] = problem.args[0]
    _check_tax_id(cleaned, merged, errors)
    if "logo" in values:
        _check_logo(values["logo"], cleaned, errors)
    if errors:
        raise CompanyValidationError({name: errors[name] for name in FIELDS if name in errors})
    return cleaned


def _name_taken(session: Session, name: str, company: Company | None) -> bool:
    others = select(Company.id).where(Company.name == name)
    if company is not None and company.id is not None:
        others = others.where(Company.id != company.id)
    return session.scalar(others.limit(1)) is not None


def _check_tax_id(cleaned: dict, merged: dict, errors: dict) -> None:
    """The tax id, checked for the company's country whenever either changes (the tax id may give the country)."""
    changed = "vat" in cleaned or "country_code" in cleaned
    if not merged.get("vat") or not changed or "vat" in errors or "country_code" in errors:
        return
    country = cleaned.get("country_code", merged.get("country_code"))
    try:
        cleaned["vat"], found = check_tax_id(merged["vat"], country)
    except InvalidTaxId as invalid:
        errors["vat"] = invalid.message
    else:
        if not country and found:
            cleaned["country_code"] = found


def _check_logo(data, cleaned: dict, errors: dict) -> None:
    if data is not None and not isinstance(data, bytes):
        errors["logo"] = _l("Give the image file's content (bytes).")
        return
    try:
        cleaned["logo_type"] = check_logo(data) if data is not None else None
    except ImageProblem as problem:
        errors["logo"] = problem.args[0]
    else:
        cleaned["logo"] = data


def _text(name: str, value) -> tuple[object, str | None]:
    """(problem or None, the stripped text or None) for a text field."""
    if value is None:
        return None, None
    if not isinstance(value, str):
        return _l("Write it as text."), None
    value = value.strip()
    limit = Company.__table__.c[name].type.length
    if len(value) > limit:
        return _l("This can have at most %(count)s characters (it has %(length)s).", count=limit,
                  length=len(value)), None
    return None, value or None


def _currency(value: str) -> str:
    code = value.upper()
    if code not in _currencies():
        raise ValueError(_l("%(value)s is not a currency code: use three letters such as EUR or USD.", value=value))
    return code


def _country(value: str) -> str:
    code = value.upper()
    if code not in _countries():
        raise ValueError(_l("%(value)s is not a country code: use two letters such as ES or IT.", value=value))
    return code


def _iban(value: str) -> str:
    from stdnum import iban
    from stdnum.exceptions import ValidationError as NumberError

    try:
        return iban.validate(value)
    except NumberError:
        raise ValueError(_l("%(value)s is not a valid IBAN: check the country letters and the digits.",
                          value=value)) from None


def _email(value: str) -> str:
    if not EMAIL.match(value):
        raise ValueError(_l("%(value)s is not an email address.", value=value))
    return value.lower()


def _phone(value: str) -> str:
    if not PHONE.match(value):
        raise ValueError(_l("%(value)s is not a phone number: use digits, spaces and an optional + prefix.",
                          value=value))
    return " ".join(value.split())


def _website(value: str) -> str:
    address = value if "://" in value else "https://" + value
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or any(ch.isspace() for ch in address):
        raise ValueError(_l("%(value)s is not a web address.", value=value))
    return address


def _lang(value: str) -> str:
    if value.lower() not in CODES:
        raise ValueError(_l("Choose one of the languages: %(codes)s.", codes=", ".join(CODES)))
    return value.lower()


@cache
def _currencies() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


@cache
def _countries() -> frozenset[str]:
    from babel import Locale

    return frozenset(code for code in Locale("en").territories if len(code) == 2 and code.isalpha())


CHECKS = {"currency_code": _currency, "country_code": _country, "iban": _iban, "email": _email, "phone": _phone,
          "website": _website, "lang": _lang}
