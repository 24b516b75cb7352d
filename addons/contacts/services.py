"""Partner services: every caller (web, API, CLI, import, jobs, tests) goes through these.

Each takes a session: a user session applies that user's access and record
rules, a system session none. The field layer (:func:`core.fields.clean`)
checks the values as the model declares them (types, lengths, choices, email,
phone, country and tax-id formats, the related company and salesperson);
these services add the partner's business rules. Invalid input raises a
:class:`core.errors.ValidationError` naming the first wrong field, whose
``errors`` maps every wrong field to its message; nothing is written then.
They are called as docs/services.md says: ``create_partner(session,
company_id, name=...)``, ``update_partner(session, partner, email=...)``.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.bounds import short
from core.bulk import insert_rows
from core.errors import ValidationError
from core.fields import clean, clean_one, fields_of
from core.fields.cleaning import Problem, error_for
from core.taxid import InvalidTaxId, check_tax_id

from .matching import match_keys, refresh_match_keys
from .models import CONTACT, Partner, Tag

# --- partners -----------------------------------------------------------------------------


def create_partner(session: Session, company_id: int, **values) -> Partner:
    """Create a partner of ``company_id`` from ``values`` (the fields of :class:`Partner`)."""
    cleaned = clean_partner_values(session, company_id, values)
    partner = Partner(company_id=company_id)
    _apply(session, partner, cleaned)
    session.add(partner)
    session.flush()
    return partner


def create_partners(session: Session, company_id: int, rows: list[dict]) -> list[int]:
    """New partners from values :func:`clean_partner_values` returned, written set-wise; their ids, in order.

    What :func:`create_partner` does for one partner is done once for the
    batch: a tag given by a name no tag has yet becomes a tag (once, however
    many rows name it), and one insert (:func:`core.bulk.insert_rows`: the
    acting user's access and record rules, the audit log) writes the partners
    with their tags. A row may carry ``import_hash``, the file line it came from.
    """
    named = {tag.lower(): tag for row in rows for tag in row.get("tags") or () if not isinstance(tag, Tag)}
    made = {key: ensure_tag(session, company_id, name=name) for key, name in named.items()}
    tags = [[tag if isinstance(tag, Tag) else made[tag.lower()] for tag in row.get("tags") or ()] for row in rows]
    partners = [{**{key: value for key, value in row.items() if key != "tags"}, "company_id": company_id,
                 **match_keys(row.get("name"), row.get("email"), row.get("vat"), row.get("country_code"))}
                for row in rows]
    ids = insert_rows(session, Partner, partners, collections={"tags": tags} if any(tags) else None)
    refresh_match_keys(session.connection(), ids)
    return ids


def update_partner(session: Session, partner: Partner, **values) -> Partner:
    """Change ``partner``; a new country checks its tax id again."""
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

    Writes nothing: the import preview calls it for every line. Tags may be
    given as records, ids or names (a new name becomes a tag when saved).
    Raises a ValidationError listing every wrong field.
    """
    values = dict(values)
    given_tags = "tags" in values
    tags = values.pop("tags", None)
    if partner is not None and "country_code" in values and "vat" not in values and partner.vat:
        values["vat"] = partner.vat  # the tax id is checked against the new country
    _country_from_tax_id(values, partner)
    errors: dict[str, str] = {}
    try:
        cleaned = clean(Partner, values, record=partner, session=session)
    except ValidationError as invalid:
        errors.update(invalid.errors)
        cleaned = {}
    if given_tags:
        try:
            cleaned["tags"] = _clean_tags(session, company_id, tags or ())
        except ValidationError as invalid:
            errors["tags"] = str(invalid)
    if not errors:
        errors = _partner_rules(session, partner, cleaned)
    if errors:
        raise error_for(Partner, errors)
    return cleaned


def _country_from_tax_id(values: dict, partner: Partner | None) -> None:
    """A tax id written with its country prefix (FR40303265045) gives the country when none is set."""
    vat = values.get("vat")
    country = values["country_code"] if "country_code" in values else getattr(partner, "country_code", None)
    if not isinstance(vat, str) or not vat.strip() or (isinstance(country, str) and country.strip()):
        return
    try:
        found = check_tax_id(vat, None)[1]
    except InvalidTaxId:
        return  # the field layer says what is wrong with it
    if found:
        values["country_code"] = found


def _partner_rules(session: Session, partner: Partner | None, cleaned: dict) -> dict[str, str]:
    """The business rules on cleaned values; completes ``cleaned`` and returns the broken rules by field.

    A contact of a company has a type (a person by default), a partner on
    its own has none; a company belongs to no company, and stays a company
    while it has contacts.
    """
    if cleaned.get("is_company", False) is None:
        del cleaned["is_company"]  # not given: a new partner is a person, a partner keeps what it is

    def current(name):
        return cleaned[name] if name in cleaned else getattr(partner, name, None)

    errors = {}
    parent_id, kind, is_company = current("parent_id"), current("type"), bool(current("is_company"))
    if parent_id is not None and kind is None:
        cleaned["type"] = CONTACT
    elif parent_id is None and kind == CONTACT:
        cleaned["type"] = None
    elif parent_id is None and kind is not None:
        errors["type"] = str(_l("Only a contact of a company can be its invoice or delivery address."))
    if parent_id is not None and partner is not None and parent_id == partner.id:
        errors["parent_id"] = str(_l("A partner cannot work at itself."))
    elif parent_id is not None and is_company:
        errors["parent_id"] = str(_l("A company cannot belong to another company."))
    if partner is not None and partner.id is not None and partner.is_company and not is_company:
        if session.scalar(select(func.count(Partner.id)).where(Partner.parent_id == partner.id)):
            errors["is_company"] = str(_l("%(name)s has contacts: move them to another company first.",
                                          name=partner.name))
    return errors


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
            try:
                clean_one(fields_of(Tag)["name"], name)
            except Problem as problem:
                raise ValidationError(_l("Tag %(name)s: %(problem)s", name=short(name), problem=str(problem)),
                                      "tags") from None
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
    name = clean(Tag, {"name": " ".join((name or "").split())}, record=None)["name"]
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
    name = clean(Tag, {"name": " ".join((name or "").split())}, record=tag)["name"]
    clash = session.scalars(select(Tag).where(Tag.company_id == tag.company_id, Tag.id != tag.id,
                                              func.lower(Tag.name) == name.lower())).first()
    if clash is not None:
        raise ValidationError(_l("There is already a tag %(name)s.", name=clash.name), "name")
    tag.name = name
    session.flush()
    return tag
