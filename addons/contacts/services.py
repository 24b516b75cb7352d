"""Partner services: every caller (web, API, CLI, jobs, tests) goes through these."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from core.errors import ValidationError

from .models import Partner

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FIELDS = ("name", "is_company", "parent_id", "email", "phone", "street", "city", "zip",
          "country_code", "vat", "lang")


def create_partner(session: Session, company_id: int, **values) -> Partner:
    partner = Partner(company_id=company_id)
    _assign(session, partner, values)
    session.add(partner)
    session.flush()
    return partner


def update_partner(session: Session, partner: Partner, **values) -> Partner:
    _assign(session, partner, values)
    session.flush()
    return partner


def archive_partner(session: Session, partner: Partner) -> None:
    partner.active = False
    session.flush()


def _assign(session: Session, partner: Partner, values: dict) -> None:
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise ValidationError(_l("unknown partner fields: %(names)s", names=", ".join(unknown)), unknown[0])
    for key, value in values.items():
        if isinstance(value, str):
            value = value.strip() or None
        setattr(partner, key, value)
    if not partner.name:
        raise ValidationError(_l("A partner needs a name."), "name")
    if len(partner.name) > 120:
        raise ValidationError(_l("The name can have at most 120 characters."), "name")
    if partner.email and not EMAIL_RE.match(partner.email):
        raise ValidationError(_l("%(value)s is not an email address.", value=partner.email), "email")
    if partner.country_code:
        partner.country_code = partner.country_code.upper()
        if not re.fullmatch(r"[A-Z]{2}", partner.country_code):
            raise ValidationError(_l("Use a two-letter country code such as ES or IT."), "country_code")
    if partner.parent_id is not None:
        parent = session.get(Partner, partner.parent_id)
        if parent is None:
            raise ValidationError(_l("There is no partner %(id)s.", id=partner.parent_id), "parent_id")
        if not parent.is_company:
            raise ValidationError(_l("%(name)s is a person, not a company.", name=parent.name), "parent_id")
        if partner.is_company:
            raise ValidationError(_l("A company cannot belong to another company."), "parent_id")
