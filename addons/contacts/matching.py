"""Finding partners that are the same business or person: same tax id, same email, near-identical name.

Names are compared after :func:`normalize_name`: accents, case, punctuation
and legal-form suffixes (S.L., S.A., S.r.l., S.p.A., GmbH, Ltd...) removed,
so "Ferretería Ibérica, S.L." and "FERRETERIA IBERICA SL" are the same name.
Two names are near-identical when their normalized forms are equal or differ
by a typo or two (a similarity ratio of at least :data:`NAME_SIMILARITY`).

Only partners of the same company are compared, and only those the session
may read (a user session applies the user's record rules).

The comparison keys are stored on each partner (``match_*`` columns, set
whenever it is written, see :func:`set_match_keys`) and near-identical names
as pairs (:class:`.models.PartnerNamePair`, see :func:`refresh_match_keys`),
so the duplicate search is a few indexed SQL joins, a page at a time.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Connection, Integer, and_, bindparam, case, delete, func, insert, literal, or_, select, union_all, update
from sqlalchemy.orm import Session, aliased

from core.taxid import COUNTRY_VAT_PREFIX, compact, same_tax_id_key

from .models import Partner, PartnerNamePair

NAME_SIMILARITY = 0.92

# Legal forms, as they read once punctuation and case are gone ("S.r.l." -> "srl", "S. A." -> "s a").
LEGAL_FORMS = (
    "sociedad limitada", "sociedad anonima", "societa a responsabilita limitata", "societa per azioni",
    "s l u", "s l l", "s l", "s a u", "s a", "s r l s", "s r l", "s p a", "s a s", "s n c", "s coop",
    "slu", "sll", "sl", "sau", "sa", "srls", "srl", "spa", "sas", "snc", "scoop", "scarl", "coop",
    "cb", "s c", "sc", "gmbh", "ag", "kg", "bv", "nv", "sarl", "ltd", "limited", "llc", "inc", "plc", "co",
    "corp", "corporation", "company",
)
_LEGAL_SUFFIX = re.compile(r"(?:\s+(?:" + "|".join(re.escape(f) for f in LEGAL_FORMS) + r"))+$")

REASON_TAX_ID = "tax_id"
REASON_EMAIL = "email"
REASON_NAME = "name"
REASONS = {
    REASON_TAX_ID: _l("Same tax ID"),
    REASON_EMAIL: _l("Same email"),
    REASON_NAME: _l("Similar name"),
}


def strip_accents(text: str) -> str:
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


_PUNCTUATION = re.compile(r"[^\w\s]|_")
_SPACES = re.compile(r"\s+")


def normalize_name(name: str | None) -> str:
    """The name with accents, case, punctuation and legal-form suffixes removed."""
    if not name:
        return ""
    text = strip_accents(name).lower()
    text = _PUNCTUATION.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    stripped = _LEGAL_SUFFIX.sub("", " " + text).strip()
    return stripped or text


def normalize_email(email: str | None) -> str | None:
    return email.strip().lower() if email and email.strip() else None


MIN_SIMILAR_LENGTH = 6
_DIGITS = re.compile(r"\d+")


def _length_slack(longer: str) -> int:
    """How many letters two near-identical names may differ in length by, the longer being ``longer``."""
    return max(2, len(longer) // 10)


def similar_names(first: str, second: str) -> bool:
    """Whether two normalized names are near-identical (the same either way round)."""
    if not first or not second:
        return False
    if first == second:
        return True
    if _DIGITS.findall(first) != _DIGITS.findall(second):
        return False  # "Store 12" and "Store 13" are two stores
    longer = first if len(first) >= len(second) else second
    if abs(len(first) - len(second)) > _length_slack(longer) or min(len(first), len(second)) < MIN_SIMILAR_LENGTH:
        return False
    return difflib.SequenceMatcher(None, first, second, autojunk=False).ratio() >= NAME_SIMILARITY


@dataclass(frozen=True)
class DuplicatePair:
    """Two partners that look like the same one; ``reasons`` are keys of :data:`REASONS`."""

    first: Partner
    second: Partner
    reasons: tuple[str, ...]

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASONS[reason]) for reason in self.reasons]


_ORDER = (REASON_TAX_ID, REASON_EMAIL, REASON_NAME)


def _candidates(partners: Iterable[Partner] | None):
    """Every (first id, second id, reason number) of active partners of one company, first id the lower:
    equal keys found through the key indexes, near-identical names read from the stored pairs. Each side is an
    ``aliased`` partner, so the session's record rules apply to both."""
    first, second = aliased(Partner), aliased(Partner)
    focus = sorted({p.id for p in partners}) if partners is not None else None

    def scoped(statement):
        statement = statement.where(first.active.is_(True), second.active.is_(True),
                                    first.company_id == second.company_id)
        if focus is not None:
            statement = statement.where(or_(first.id.in_(focus), second.id.in_(focus)))
        return statement

    branches = []
    for number, key in enumerate(("match_vat", "match_email", "match_name")):
        branches.append(scoped(
            select(first.id.label("first_id"), second.id.label("second_id"), literal(number, Integer).label("reason"))
            .join(second, and_(getattr(second, key) == getattr(first, key), second.company_id == first.company_id,
                               second.id > first.id))
            .where(getattr(first, key).is_not(None))))
    branches.append(scoped(
        select(first.id.label("first_id"), second.id.label("second_id"), literal(2, Integer).label("reason"))
        .select_from(PartnerNamePair)
        .join(first, first.id == PartnerNamePair.first_id).join(second, second.id == PartnerNamePair.second_id)))
    return union_all(*branches).subquery("candidates")


def _pairs_query(partners: Iterable[Partner] | None):
    found = _candidates(partners)
    flags = [func.max(case((found.c.reason == number, 1), else_=0)).label(key) for number, key in enumerate(_ORDER)]
    strongest = func.min(found.c.reason)
    return (select(found.c.first_id, found.c.second_id, *flags)
            .group_by(found.c.first_id, found.c.second_id)
            .order_by(strongest, (flags[0] + flags[1] + flags[2]).desc(), found.c.first_id, found.c.second_id))


def find_duplicates(session: Session, partners: Iterable[Partner] | None = None,
                    limit: int | None = None, offset: int = 0) -> list[DuplicatePair]:
    """Candidate duplicate pairs among the active partners the session may read, a page at a time.

    ``partners`` restricts the search to pairs involving at least one of
    them. Pairs come strongest first (tax id, then email, then name; more
    reasons first), then by the partners' ids. The pairs are computed in
    SQL from the partners' stored match keys and near-identical name pairs
    (kept current by :func:`refresh_match_keys`), never by comparing every
    two partners here.
    """
    statement = _pairs_query(partners)
    if limit is not None:
        statement = statement.limit(limit)
    if offset:
        statement = statement.offset(offset)
    rows = session.execute(statement).all()
    ids = sorted({row.first_id for row in rows} | {row.second_id for row in rows})
    by_id = {p.id: p for p in session.scalars(select(Partner).where(Partner.id.in_(ids)))} if ids else {}
    return [DuplicatePair(by_id[row.first_id], by_id[row.second_id],
                          tuple(key for key in _ORDER if getattr(row, key)))
            for row in rows if row.first_id in by_id and row.second_id in by_id]


def count_duplicates(session: Session, partners: Iterable[Partner] | None = None) -> int:
    """How many pairs :func:`find_duplicates` finds in all."""
    found = _pairs_query(partners).order_by(None).subquery("pairs")
    return session.scalar(select(func.count()).select_from(found)) or 0


# --- the stored keys ----------------------------------------------------------------------------

#: rows per statement when keys or pairs are written for many partners
CHUNK = 2000


def match_keys(name: str | None, email: str | None, vat: str | None, country_code: str | None) -> dict:
    """The match-key columns of a partner with these values (None where there is nothing to match)."""
    normalized = normalize_name(name)[:120] or None
    email_key = normalize_email(email)
    return {"match_name": normalized, "match_block": normalized[:3] if normalized else None,
            "match_email": email_key[:255] if email_key else None,
            "match_vat": same_tax_id_key(vat, country_code)}


def set_match_keys(partner: Partner) -> None:
    """Give ``partner`` the keys of its current values (before it is written)."""
    for key, value in match_keys(partner.name, partner.email, partner.vat, partner.country_code).items():
        if getattr(partner, key) != value:
            setattr(partner, key, value)


def similar_name_pairs(names: Iterable[str], changed: set[str] | None = None) -> set[tuple[str, str]]:
    """The near-identical pairs among distinct normalized ``names`` (of one block), each sorted.

    With ``changed``, only pairs with at least one of those names. Names
    can only be near-identical with the same numbers in them and lengths
    close enough (:func:`similar_names`), so each name is compared only with
    those; difflib's cheap upper bounds are tried before the exact ratio.
    """
    groups: dict[tuple, list[str]] = defaultdict(list)
    for name in set(names):
        if len(name) >= MIN_SIMILAR_LENGTH:
            groups[tuple(_DIGITS.findall(name))].append(name)
    for group in groups.values():
        group.sort(key=len)
    found = set()
    matcher = difflib.SequenceMatcher(None, autojunk=False)

    def compare(one: str, others: Iterable[str]) -> None:
        matcher.set_seq2(one)
        for other in others:
            longer = other if len(other) >= len(one) else one
            if other == one or abs(len(other) - len(one)) > _length_slack(longer):
                continue
            matcher.set_seq1(other)
            if (matcher.real_quick_ratio() >= NAME_SIMILARITY and matcher.quick_ratio() >= NAME_SIMILARITY
                    and matcher.ratio() >= NAME_SIMILARITY):
                found.add((one, other) if one < other else (other, one))

    if changed is not None and len(changed) * 4 < sum(len(group) for group in groups.values()):
        for name in changed:
            if len(name) >= MIN_SIMILAR_LENGTH:
                compare(name, groups[tuple(_DIGITS.findall(name))])
        return found
    for group in groups.values():
        for i, shorter in enumerate(group):
            others = []
            for longer in group[i + 1:]:
                if len(longer) - len(shorter) > _length_slack(longer):
                    break
                if changed is None or shorter in changed or longer in changed:
                    others.append(longer)
            compare(shorter, others)
    return found


def refresh_match_keys(connection: Connection, partner_ids: Iterable[int], *, keys: bool = False) -> None:
    """Store again the near-identical name pairs of ``partner_ids`` (and with ``keys``, their match keys first).

    Called by the contacts services whenever partners are created, renamed,
    merged or imported, and by the migration for every partner; it writes
    derived rows on the session's connection (the partners' own writes went
    through the user's checks). Pairs are found among the partners of the
    same company and name block, archived ones included (the duplicate search
    leaves those out, and restoring one needs no new pairs).
    """
    wanted = set(partner_ids)
    ids = sorted(wanted)
    table, pairs = Partner.__table__, PartnerNamePair.__table__
    blocks: dict[tuple[int, str], set[str]] = defaultdict(set)
    for chunk in _chunks(ids):
        if keys:
            rows = connection.execute(select(table.c.id, table.c.name, table.c.email, table.c.vat,
                                             table.c.country_code).where(table.c.id.in_(chunk))).all()
            values = [{"key_id": row.id, **match_keys(row.name, row.email, row.vat, row.country_code)}
                      for row in rows]
            if values:
                connection.execute(update(table).where(table.c.id == bindparam("key_id"))
                                   .values({key: bindparam(key) for key in values[0] if key != "key_id"}), values)
        connection.execute(delete(pairs).where(or_(pairs.c.first_id.in_(chunk), pairs.c.second_id.in_(chunk))))
        for company_id, block, name in connection.execute(
                select(table.c.company_id, table.c.match_block, table.c.match_name)
                .where(table.c.id.in_(chunk), table.c.match_name.is_not(None))):
            blocks[company_id, block].add(name)
    members: dict[tuple[int, str], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    by_company = defaultdict(list)
    for company_id, block in blocks:
        by_company[company_id].append(block)
    for company_id, names in by_company.items():
        for start in range(0, len(names), CHUNK):
            for partner_id, block, name in connection.execute(
                    select(table.c.id, table.c.match_block, table.c.match_name)
                    .where(table.c.company_id == company_id, table.c.match_block.in_(names[start:start + CHUNK]))):
                members[company_id, block][name].append(partner_id)
    new_rows = set()
    for key, changed in blocks.items():
        names = members[key]
        for first_name, second_name in similar_name_pairs(names, changed):
            for a in names[first_name]:
                for b in names[second_name]:
                    if a in wanted or b in wanted:  # pairs of two other partners were kept
                        new_rows.add((min(a, b), max(a, b)))
    rows = [{"first_id": a, "second_id": b} for a, b in sorted(new_rows)]
    for start in range(0, len(rows), CHUNK):
        connection.execute(insert(pairs), rows[start:start + CHUNK])


def backfill_match_keys(connection: Connection) -> None:
    """Compute the match keys and name pairs of every partner (the migration that adds them)."""
    table = Partner.__table__
    refresh_match_keys(connection, connection.scalars(select(table.c.id).order_by(table.c.id)).all(), keys=True)


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def tax_id_variants(vat: str | None, country_code: str | None) -> set[str]:
    """The stored forms the same tax id may have (with or without its country prefix)."""
    key = same_tax_id_key(vat, country_code)
    if not key:
        return set()
    country, number = key.split(":", 1)
    variants = {number, compact(vat)}
    for prefix in {country, COUNTRY_VAT_PREFIX.get(country, country)} - {""}:
        variants.add(prefix + number)
    return variants


def find_matches(session: Session, company_id: int, *, name: str | None = None, email: str | None = None,
                 vat: str | None = None, country_code: str | None = None,
                 exclude_id: int | None = None) -> list[tuple[Partner, tuple[str, ...]]]:
    """Existing active partners of ``company_id`` that look like the given values, with the reasons.

    For a duplicate check before creating a partner (a CRM lead being
    converted, a form): strongest reason first. Names are compared in Python
    after normalization, so accents and legal forms do not hide a match.
    """
    reasons: dict[int, list[str]] = defaultdict(list)
    scope = (Partner.company_id == company_id, Partner.active.is_(True))
    vat_key = same_tax_id_key(vat, country_code)
    if vat_key:
        for partner_id, stored, country in session.execute(
                select(Partner.id, Partner.vat, Partner.country_code)
                .where(*scope, Partner.vat.in_(sorted(tax_id_variants(vat, country_code))))):
            if same_tax_id_key(stored, country) == vat_key:
                reasons[partner_id].append(REASON_TAX_ID)
    wanted_email = normalize_email(email)
    if wanted_email:
        for partner_id in session.scalars(select(Partner.id).where(*scope, func.lower(Partner.email) == wanted_email)):
            reasons[partner_id].append(REASON_EMAIL)
    wanted_name = normalize_name(name)
    if wanted_name:
        for partner_id, stored in session.execute(select(Partner.id, Partner.name).where(*scope)):
            if similar_names(wanted_name, normalize_name(stored)):
                reasons[partner_id].append(REASON_NAME)
    reasons.pop(exclude_id, None)
    if not reasons:
        return []
    partners = {p.id: p for p in session.scalars(select(Partner).where(Partner.id.in_(sorted(reasons))))}
    order = {REASON_TAX_ID: 0, REASON_EMAIL: 1, REASON_NAME: 2}
    found = [(partners[i], tuple(r)) for i, r in reasons.items() if i in partners]
    found.sort(key=lambda item: (order[item[1][0]], -len(item[1]), item[0].id))
    return found
