"""Partner services: every caller (web, API, CLI, import, jobs, tests) goes through these.

Each takes a session: a user session applies that user's access and record
rules, a system session none. Invalid input raises
:class:`PartnerValidationError` (a :class:`core.errors.ValidationError`
naming the first wrong field) whose ``errors`` lists every wrong field with
its message; nothing is written then. They are called as docs/services.md
says: ``create_partner(session, company_id, name=...)``, ``update_partner(session, partner, email=...)``.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.models import User
from core.taxid import InvalidTaxId, check_tax_id

from .models import CONTACT, CONTACT_TYPES, LANGUAGES, Partner, Tag

EMAIL_RE = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\".]{2,}$")
PHONE_RE = re.compile(r"^\+?[0-9\s().\-/]{6,}(?:\s*(?:ext\.?|x)\s*[0-9]{1,6})?$", re.IGNORECASE)
COUNTRY_RE = re.compile(r"[A-Z]{2}")
FIELDS = ("name", "is_company", "parent_id", "type", "email", "phone", "mobile", "street", "street2", "zip",
          "city", "country_code", "vat", "lang", "salesperson_id", "tags", "import_hash")
MAX_LENGTHS = {"name": 120, "email": 255, "phone": 40, "mobile": 40, "street": 255, "street2": 255, "city": 120,
               "zip": 20, "import_hash": 64}
TAG_MAX_LENGTH = 64


class PartnerValidationError(ValidationError):
    """Several fields can be wrong at once: ``errors`` maps each to its message, the first also in ``field``."""

    def __init__(self, errors: list[tuple[str, object]]):
        super().__init__(errors[0][1], errors[0][0], dict(errors))


# --- partners -----------------------------------------------------------------------------


def create_partner(session: Session, company_id: int, *, flush: bool = True, **values) -> Partner:
    """Create a partner of ``company_id`` from checked ``values`` (see :data:`FIELDS`).

    ``flush=False`` leaves the insert to the next flush (bulk imports flush every few hundred).
    """
    partner = Partner(company_id=company_id)
    cleaned = clean_partner_values(session, company_id, values)
    _apply(session, partner, cleaned)
    session.add(partner)
    if flush:
        session.flush()
    return partner


def update_partner(session: Session, partner: Partner, **values) -> Partner:
    """Change ``partner``; the whole record is checked again (a new country re-checks the tax id)."""
    cleaned = clean_partner_values(session, partner.company_id, values, partner=partner)
    _apply(session, partner, cleaned)
    session.flush()
    return partner


def archive_partner(session: Session, partner: Partner) -> None:
    partner.active = False
    session.flush()


def restore_partner(session: Session, partner: Partner) -> None:
    partner.active = True
    session.flush()


def clean_partner_values(session: Session, company_id: int, values: dict, *, partner: Partner | None = None) -> dict:
    """The checked, normalized form of ``values`` for a new partner (or changes to ``partner``).

    Writes nothing: the import preview calls it for every line. Raises
    :class:`PartnerValidationError` listing every wrong field.
    """
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise PartnerValidationError([(unknown[0], _l("unknown partner fields: %(names)s", names=", ".join(unknown)))])
    cleaned = {}
    for key, value in values.items():
        if isinstance(value, str):
            value = value.strip() or None
        cleaned[key] = value
    current = {field: getattr(partner, field) for field in FIELDS if field != "tags"} if partner else {}
    merged = {**current, **cleaned}

    def get(field):
        return merged.get(field)

    errors: list[tuple[str, object]] = []

    def error(field, message):
        if field not in {f for f, _m in errors}:
            errors.append((field, message))

    if not get("name"):
        error("name", _l("A partner needs a name."))
    for field, limit in MAX_LENGTHS.items():
        value = get(field)
        if isinstance(value, str) and len(value) > limit:
            if field == "name":
                error(field, _l("The name can have at most 120 characters."))
            else:
                error(field, _l("This can have at most %(count)s characters.", count=limit))
    for field in ("is_company",):
        if field in cleaned:
            cleaned[field] = bool(cleaned[field])
    if "is_company" not in merged or merged["is_company"] is None:
        merged["is_company"] = cleaned["is_company"] = False if partner is None else partner.is_company

    email = get("email")
    if email and "email" not in {f for f, _m in errors} and not EMAIL_RE.match(email):
        error("email", _l("%(value)s is not an email address.", value=email))
    for field in ("phone", "mobile"):
        number = get(field)
        if number and field not in {f for f, _m in errors} and not PHONE_RE.match(number):
            error(field, _l("%(value)s is not a phone number: use digits, spaces and an optional + prefix.",
                            value=number))

    country = get("country_code")
    if country:
        country = country.upper()
        if not COUNTRY_RE.fullmatch(country):
            error("country_code", _l("Use a two-letter country code such as ES or IT."))
            country = None
        elif "country_code" in cleaned:
            cleaned["country_code"] = country
    vat = get("vat")
    if vat and "country_code" not in {f for f, _m in errors} and ("vat" in cleaned or "country_code" in cleaned):
        try:
            compact_vat, vat_country = check_tax_id(vat, country)
        except InvalidTaxId as invalid:
            error("vat", invalid.message)
        else:
            cleaned["vat"] = compact_vat
            if not country and vat_country:
                cleaned["country_code"] = vat_country

    lang = get("lang")
    if lang:
        lang = lang.lower()
        if lang not in dict(LANGUAGES):
            error("lang", _l("Choose one of the languages: %(codes)s.", codes=", ".join(dict(LANGUAGES))))
        elif "lang" in cleaned:
            cleaned["lang"] = lang

    # a contact of a company has a type (a person by default); a partner on its own has none
    parent_id = get("parent_id")
    kind = get("type")
    if kind is not None and kind not in dict(CONTACT_TYPES):
        error("type", _l("Choose contact, invoice or delivery."))
    elif parent_id is not None and kind is None:
        kind = cleaned["type"] = CONTACT
    elif parent_id is None and kind == CONTACT:
        kind = cleaned["type"] = None
    if parent_id is not None:
        parent = session.get(Partner, parent_id)
        if parent is None:
            error("parent_id", _l("There is no partner %(id)s.", id=parent_id))
        elif partner is not None and parent.id == partner.id:
            error("parent_id", _l("A partner cannot work at itself."))
        elif not parent.is_company:
            error("parent_id", _l("%(name)s is a person, not a company.", name=parent.name))
        elif merged["is_company"]:
            error("parent_id", _l("A company cannot belong to another company."))
    elif kind is not None and kind != CONTACT and "type" not in {f for f, _m in errors}:
        error("type", _l("Only a contact of a company can be its invoice or delivery address."))
    if partner is not None and partner.id is not None and not merged["is_company"] and partner.is_company:
        has_children = session.scalar(select(func.count(Partner.id)).where(Partner.parent_id == partner.id))
        if has_children:
            error("is_company", _l("%(name)s has contacts: move them to another company first.", name=partner.name))

    salesperson_id = get("salesperson_id")
    if salesperson_id is not None and "salesperson_id" in cleaned:
        user = session.get(User, salesperson_id)
        if user is None or not user.active:
            error("salesperson_id", _l("There is no active user %(id)s.", id=salesperson_id))

    if "tags" in cleaned:
        try:
            cleaned["tags"] = _clean_tags(session, company_id, cleaned["tags"] or ())
        except ValidationError as invalid:
            error("tags", str(invalid))

    if errors:
        order = {field: i for i, field in enumerate(FIELDS)}
        errors.sort(key=lambda item: order.get(item[0], -1))
        raise PartnerValidationError(errors)
    return cleaned


def _apply(session: Session, partner: Partner, cleaned: dict) -> None:
    for key, value in cleaned.items():
        if key == "tags":
            value = [tag if isinstance(tag, Tag) else ensure_tag(session, partner.company_id, name=tag)
                     for tag in value]
        setattr(partner, key, value)


def find_similar(session: Session, company_id: int, *, name: str | None = None, email: str | None = None,
                 vat: str | None = None, country_code: str | None = None,
                 exclude_id: int | None = None) -> list[tuple[Partner, str]]:
    """Existing partners that look like these values, each with why ("Same email, Similar name").

    The duplicate check to run before creating a partner from elsewhere (a CRM
    lead, a form): same tax id, same email, or a near-identical name.
    """
    from .matching import REASONS, find_matches

    return [(partner, ", ".join(str(REASONS[reason]) for reason in reasons))
            for partner, reasons in find_matches(session, company_id, name=name, email=email, vat=vat,
                                                 country_code=country_code, exclude_id=exclude_id)]


# --- tags ---------------------------------------------------------------------------------


def _clean_tags(session: Session, company_id: int, tags: Iterable) -> list:
    """Tags as records (given as records, ids or names); names of new tags stay as names."""
    if isinstance(tags, str):
        tags = split_tag_names(tags)
    result, seen = [], set()
    for tag in tags:
        if isinstance(tag, Tag):
            record = tag
        elif isinstance(tag, int):
            record = session.get(Tag, tag)
            if record is None:
                raise ValidationError(_l("There is no tag %(id)s.", id=tag), "tags")
        else:
            name = " ".join(str(tag).split())
            if not name:
                continue
            if len(name) > TAG_MAX_LENGTH:
                raise ValidationError(_l("A tag can have at most %(count)s characters.", count=TAG_MAX_LENGTH),
                                      "tags")
            record = find_tag(session, company_id, name=name) or name
        if isinstance(record, Tag) and record.company_id != company_id:
            raise ValidationError(_l("The tag %(name)s belongs to another company.", name=record.name), "tags")
        key = record.id if isinstance(record, Tag) else record.lower()
        if key not in seen:
            seen.add(key)
            result.append(record)
    return result


def split_tag_names(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;|]", text or "") if part.strip()]


def find_tag(session: Session, company_id: int, *, name: str) -> Tag | None:
    pending = [obj for obj in session.new if isinstance(obj, Tag) and obj.company_id == company_id
               and obj.name.lower() == name.lower()]
    if pending:
        return pending[0]
    return session.scalars(
        select(Tag).where(Tag.company_id == company_id, func.lower(Tag.name) == name.lower())
    ).first()


def ensure_tag(session: Session, company_id: int, *, name: str) -> Tag:
    """The company's tag called ``name`` (any case), created if it does not exist yet."""
    name = " ".join(name.split())
    tag = find_tag(session, company_id, name=name)
    if tag is None:
        tag = create_tag(session, company_id, name=name)
    return tag


def create_tag(session: Session, company_id: int, *, name: str) -> Tag:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_l("A tag needs a name."), "name")
    if len(name) > TAG_MAX_LENGTH:
        raise ValidationError(_l("A tag can have at most %(count)s characters.", count=TAG_MAX_LENGTH), "name")
    existing = session.scalars(
        select(Tag).where(Tag.company_id == company_id, func.lower(Tag.name) == name.lower())
    ).first()
    if existing is not None:
        raise ValidationError(_l("There is already a tag %(name)s.", name=existing.name), "name")
    tag = Tag(company_id=company_id, name=name)
    session.add(tag)
    session.flush()
    return tag


def rename_tag(session: Session, tag: Tag, *, name: str) -> Tag:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_l("A tag needs a name."), "name")
    if len(name) > TAG_MAX_LENGTH:
        raise ValidationError(_l("A tag can have at most %(count)s characters.", count=TAG_MAX_LENGTH), "name")
    clash = session.scalars(select(Tag).where(Tag.company_id == tag.company_id, Tag.id != tag.id,
                                              func.lower(Tag.name) == name.lower())).first()
    if clash is not None:
        raise ValidationError(_l("There is already a tag %(name)s.", name=clash.name), "name")
    tag.name = name
    session.flush()
    return tag
