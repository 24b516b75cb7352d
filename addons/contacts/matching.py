"""Finding partners that are the same business or person: same tax id, same email, near-identical name.

Names are compared after :func:`normalize_name`: accents, case, punctuation
and legal-form suffixes (S.L., S.A., S.r.l., S.p.A., GmbH, Ltd...) removed,
so "Ferretería Ibérica, S.L." and "FERRETERIA IBERICA SL" are the same name.
Two names are near-identical when their normalized forms are equal or differ
by a typo or two (a similarity ratio of at least :data:`NAME_SIMILARITY`).

Only partners of the same company are compared, and only those the session
may read (a user session applies the user's record rules).

The comparison keys are stored on each partner (``match_*`` columns, set
whenever it is written, see :func:`set_match_keys`) and the pairs they match
in :class:`.models.PartnerMatch` (see :func:`refresh_match_keys`), so the
duplicate search reads stored pairs, a page at a time.
"""
from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from rapidfuzz import fuzz, process
from sqlalchemy import Connection, bindparam, case, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session, aliased

from core.taxid import COUNTRY_VAT_PREFIX, compact, same_tax_id_key

from .models import Partner, PartnerMatch

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
#: the key column each reason compares (near-identical names are found apart, see similar_name_pairs)
_KEYS = {REASON_TAX_ID: "match_vat", REASON_EMAIL: "match_email", REASON_NAME: "match_name"}


def _pairs_query(partners: Iterable[Partner] | None):
    """The stored pairs of active partners, one row per pair with a flag per reason, strongest first.

    Each side is an ``aliased`` partner, so the session's record rules
    apply to both: a pair shows only when the user may read both partners.
    """
    first, second = aliased(Partner), aliased(Partner)
    flags = [func.max(case((PartnerMatch.reason == key, 1), else_=0)).label(key) for key in _ORDER]
    strongest = func.min(case(*((PartnerMatch.reason == key, number) for number, key in enumerate(_ORDER))))
    statement = (select(PartnerMatch.first_id, PartnerMatch.second_id, *flags).select_from(PartnerMatch)
                 .join(first, first.id == PartnerMatch.first_id).join(second, second.id == PartnerMatch.second_id)
                 .where(first.active.is_(True), second.active.is_(True))
                 .group_by(PartnerMatch.first_id, PartnerMatch.second_id)
                 .order_by(strongest, (flags[0] + flags[1] + flags[2]).desc(), PartnerMatch.first_id,
                           PartnerMatch.second_id))
    if partners is not None:
        focus = sorted({p.id for p in partners})
        statement = statement.where(or_(PartnerMatch.first_id.in_(focus), PartnerMatch.second_id.in_(focus)))
    return statement


def find_duplicates(session: Session, partners: Iterable[Partner] | None = None,
                    limit: int | None = None, offset: int = 0) -> list[DuplicatePair]:
    """Candidate duplicate pairs among the active partners the session may read, a page at a time.

    ``partners`` restricts the search to pairs involving at least one of
    them. Pairs come strongest first (tax id, then email, then name; more
    reasons first), then by the partners' ids. The pairs are read from
    :class:`.models.PartnerMatch` (kept current by :func:`refresh_match_keys`),
    never computed by comparing partners here.
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
    """The near-identical pairs (:func:`similar_names`) among distinct normalized ``names`` of one block, sorted.

    With ``changed``, only pairs with at least one of those names. Only
    names with the same numbers and lengths close enough are compared, and
    first by RapidFuzz's ratio (from the longest common subsequence, in C++):
    it is never below difflib's, whose matches are a common subsequence, so
    a pair it rejects would fail difflib too; difflib decides the rest.
    """
    groups: dict[tuple, list[str]] = defaultdict(list)
    for name in set(names):
        if len(name) >= MIN_SIMILAR_LENGTH:
            groups[tuple(_DIGITS.findall(name))].append(name)
    found = set()
    for digits, group in groups.items():
        group.sort(key=len)
        lengths = [len(name) for name in group]
        if changed is not None and len(changed) * 4 < len(group):
            windows = [(name, group[bisect.bisect_left(lengths, len(name) - _most_slack(len(name))):
                                    bisect.bisect_right(lengths, len(name) + _most_slack(len(name)))])
                       for name in changed if len(name) >= MIN_SIMILAR_LENGTH and tuple(_DIGITS.findall(name)) == digits]
        else:
            windows = [(name, group[i + 1:bisect.bisect_right(lengths, len(name) + _most_slack(len(name)))])
                       for i, name in enumerate(group)]
        for name, others in windows:
            for other, _score, _index in process.extract(name, others, scorer=fuzz.ratio, limit=None,
                                                         score_cutoff=NAME_SIMILARITY * 100 - 0.01):
                if other != name and similar_names(name, other):
                    found.add((name, other) if name < other else (other, name))
    if changed is not None:
        found = {pair for pair in found if pair[0] in changed or pair[1] in changed}
    return found


def _most_slack(length: int) -> int:
    """At most how much longer or shorter than a name of ``length`` a near-identical one can be."""
    return max(2, (length * 10) // 9 + 2 - length)


def refresh_match_keys(connection: Connection, partner_ids: Iterable[int], *, keys: bool = False) -> None:
    """Store again the pairs of ``partner_ids`` (and with ``keys``, compute their match keys first).

    Called whenever partners are created, changed, merged or imported (the
    model's events and the batch create), and by the migration for every
    partner. It writes derived rows on the given connection (the partners'
    own writes went through the user's checks). Partners of the same company
    match on an equal key, found through the key's index, or on a
    near-identical name of the same block; archived ones keep their pairs
    (the search leaves them out, and restoring one needs no new pairs).
    """
    wanted = set(partner_ids)
    ids = sorted(wanted)
    table, matches = Partner.__table__, PartnerMatch.__table__
    wanted_keys: dict[str, dict[int, set[str]]] = {key: defaultdict(set) for key in (*_KEYS.values(), "match_block")}
    for chunk in _chunks(ids):
        if keys:
            rows = connection.execute(select(table.c.id, table.c.name, table.c.email, table.c.vat,
                                             table.c.country_code).where(table.c.id.in_(chunk))).all()
            values = [{"key_id": row.id, **match_keys(row.name, row.email, row.vat, row.country_code)}
                      for row in rows]
            if values:
                connection.execute(update(table).where(table.c.id == bindparam("key_id"))
                                   .values({key: bindparam(key) for key in values[0] if key != "key_id"}), values)
        connection.execute(delete(matches).where(or_(matches.c.first_id.in_(chunk), matches.c.second_id.in_(chunk))))
        for row in connection.execute(select(table.c.company_id, *(table.c[key] for key in wanted_keys))
                                      .where(table.c.id.in_(chunk))):
            for key in wanted_keys:
                if getattr(row, key) is not None:
                    wanted_keys[key][row.company_id].add(getattr(row, key))
    found: dict[str, dict[tuple, list[int]]] = {}
    for key, by_company in wanted_keys.items():
        groups = found[key] = defaultdict(list)
        for company_id, values in by_company.items():
            values = sorted(values)
            for start in range(0, len(values), CHUNK):
                for partner_id, value, name in connection.execute(
                        select(table.c.id, table.c[key], table.c.match_name)
                        .where(table.c.company_id == company_id, table.c[key].in_(values[start:start + CHUNK]))):
                    groups[company_id, value].append((partner_id, name))
    new_rows = set()

    def add(reason: str, firsts, seconds) -> None:
        for a in firsts:
            for b in seconds:
                if a != b and (a in wanted or b in wanted):  # pairs of two other partners were kept
                    new_rows.add((min(a, b), max(a, b), reason))

    for reason, key in _KEYS.items():
        for members in found[key].values():
            ids_of = [partner_id for partner_id, _name in members]
            add(reason, ids_of, ids_of)
    for (company_id, block), members in found["match_block"].items():
        names = defaultdict(list)
        for partner_id, name in members:
            names[name].append(partner_id)
        changed = {name for name in wanted_keys["match_name"][company_id] if name[:3] == block}
        for first_name, second_name in similar_name_pairs(names, changed):
            add(REASON_NAME, names[first_name], names[second_name])
    rows = [{"first_id": a, "second_id": b, "reason": reason} for a, b, reason in sorted(new_rows)]
    for start in range(0, len(rows), CHUNK):
        connection.execute(insert(matches), rows[start:start + CHUNK])


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
