"""Companies and their profile: what the company's invoices and e-invoices say of it.

:func:`create_company` and :func:`update_company` check every value first:
the field layer (:func:`core.fields.clean`: lengths, required, the tax id,
IBAN, email, phone, web address, country and language as declared on
:class:`~core.models.Company`), then the rules of a company (a unique name, a
known currency, the tax id against a new country, the logo's image). They
raise one :class:`~core.errors.ValidationError` naming each wrong field;
nothing is written then. The web form, the CLI, the demo and scripts all go
through them.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.fields import clean, fields_of
from core.fields.cleaning import error_for
from core.fields.formats import currencies
from core.images import ImageProblem, check_logo
from core.models import Company
from core.security import log_event
from core.taxid import InvalidTaxId, check_tax_id


def create_company(session: Session, **values) -> Company:
    """A new company from checked ``values`` (the fields of :class:`Company`); ``name`` is required.

    ``logo`` takes the image's bytes.
    """
    company = Company(**clean_company(session, values))
    session.add(company)
    session.flush()
    return company


def update_company(session: Session, company: Company, **values) -> Company:
    """Change ``company``'s profile; a new country checks the stored tax id again; ``logo=None`` removes it.

    A new IBAN is written to the security log: it is where customers send
    their money, so a changed one is worth knowing about.
    """
    cleaned = clean_company(session, values, company)
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


def clean_company(session: Session, values: dict, company: Company | None = None) -> dict:
    """The checked, normalised form of ``values`` for a new company (or changes to ``company``).

    The field layer's cleaning, then the business rules on the fields that
    passed it; a logo also sets ``logo_type``. Writes nothing; raises one
    :class:`ValidationError` for every wrong field.
    """
    try:
        cleaned = clean(Company, values, record=company)
        errors = {}
    except ValidationError as error:
        errors = dict(error.errors)
        cleaned = clean(Company, {k: v for k, v in values.items() if k not in errors}, record=company,
                        creating=False)
    if cleaned.get("name") and _name_taken(session, cleaned["name"], company):
        errors["name"] = str(_l("There is already a company called %(name)s.", name=cleaned["name"]))
    _check_currency(cleaned, company, errors)
    _check_tax_id(cleaned, values.get("vat"), company, errors)
    if "logo" in cleaned:
        _check_logo(cleaned, errors)
    if errors:
        order = list(fields_of(Company))
        raise error_for(Company, dict(sorted(errors.items(), key=lambda item: (
            order.index(item[0]) if item[0] in order else -1))))
    return cleaned


def _name_taken(session: Session, name: str, company: Company | None) -> bool:
    others = select(Company.id).where(Company.name == name)
    if company is not None and company.id is not None:
        others = others.where(Company.id != company.id)
    return session.scalar(others.limit(1)) is not None


def _check_currency(cleaned: dict, company: Company | None, errors: dict) -> None:
    """A currency babel knows, in capitals; a new company without one gets the column's default (EUR)."""
    if "currency_code" not in cleaned:
        return
    code = cleaned["currency_code"]
    if code is None:
        if company is None:
            del cleaned["currency_code"]
        else:
            errors["currency_code"] = str(_l("A company needs a currency."))
    elif code.upper() not in currencies():
        errors["currency_code"] = str(_l("%(value)s is not a currency code: use three letters such as EUR or USD.",
                                         value=code))
    else:
        cleaned["currency_code"] = code.upper()


def _check_tax_id(cleaned: dict, submitted_vat, company: Company | None, errors: dict) -> None:
    """The stored tax id checked again for a new country, and the country read from an EU VAT prefix.

    The field layer has checked a new tax id against the country already; a new one is read as submitted,
    since its cleaned form has lost the prefix that names its country (ESB12345674 is stored as B12345674).
    """
    if "vat" in errors or "country_code" in errors or not ({"vat", "country_code"} & set(cleaned)):
        return
    vat = submitted_vat if "vat" in cleaned else company.vat if company is not None else None
    country = cleaned.get("country_code", company.country_code if company is not None else None)
    if not vat:
        return
    try:
        _number, found = check_tax_id(vat, country)
    except InvalidTaxId as invalid:
        errors["vat"] = str(invalid.message)
    else:
        if not country and found:
            cleaned["country_code"] = found


def _check_logo(cleaned: dict, errors: dict) -> None:
    """A PNG or JPEG image (see :mod:`core.images`); its type is read from its bytes."""
    if cleaned["logo"] is None:
        cleaned["logo_type"] = None
        return
    try:
        cleaned["logo_type"] = check_logo(cleaned["logo"])
    except ImageProblem as problem:
        errors["logo"] = str(problem)
        del cleaned["logo"]

