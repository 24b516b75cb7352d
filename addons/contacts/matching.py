"""Finding partners that are the same business or person: same tax id, same email, near-identical name.

Names are compared after :func:`normalize_name`: accents, case, punctuation
and legal-form suffixes (S.L., S.A., S.r.l., S.p.A., GmbH, Ltd...) removed,
so "Ferretería Ibérica, S.L." and "FERRETERIA IBERICA SL" are the same name.
Two names are near-identical when their normalized forms are equal or differ
by a typo or two (a similarity ratio of at least :data:`NAME_SIMILARITY`).

Only partners of the same company are compared, and only those the session
may read (a user session applies the user's record rules).
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.taxid import COUNTRY_VAT_PREFIX, compact, same_tax_id_key

from .models import Partner

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


def similar_names(first: str, second: str) -> bool:
    """Whether two normalized names are near-identical."""
    if not first or not second:
        return False
    if first == second:
        return True
    if re.findall(r"\d+", first) != re.findall(r"\d+", second):
        return False  # "Store 12" and "Store 13" are two stores
    if abs(len(first) - len(second)) > max(2, len(first) // 10) or min(len(first), len(second)) < 6:
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


def find_duplicates(session: Session, partners: Iterable[Partner] | None = None,
                    limit: int | None = None) -> list[DuplicatePair]:
    """Candidate duplicate pairs among the active partners the session may read.

    ``partners`` restricts the search to pairs involving at least one of
    them. Pairs come strongest first (tax id, then email, then name).
    """
    rows = session.scalars(select(Partner).where(Partner.active.is_(True)).order_by(Partner.id)).all()
    focus = {p.id for p in partners} if partners is not None else None
    reasons: dict[tuple[int, int], list[str]] = defaultdict(list)
    by_id = {p.id: p for p in rows}

    def add_groups(groups: dict, reason: str) -> None:
        for ids in groups.values():
            if len(ids) < 2:
                continue
            for i, first in enumerate(ids):
                for second in ids[i + 1:]:
                    if focus is None or first in focus or second in focus:
                        if reason not in reasons[first, second]:
                            reasons[first, second].append(reason)

    by_vat, by_email, by_name = defaultdict(list), defaultdict(list), defaultdict(list)
    blocks = defaultdict(list)
    for partner in rows:
        key = same_tax_id_key(partner.vat, partner.country_code)
        if key:
            by_vat[partner.company_id, key].append(partner.id)
        email = normalize_email(partner.email)
        if email:
            by_email[partner.company_id, email].append(partner.id)
        name = normalize_name(partner.name)
        if name:
            by_name[partner.company_id, name].append(partner.id)
    add_groups(by_vat, REASON_TAX_ID)
    add_groups(by_email, REASON_EMAIL)
    add_groups(by_name, REASON_NAME)
    # near-identical (not equal) names: compare within blocks sharing the first three letters
    for company_id, name in by_name:
        blocks[company_id, name[:3]].append(name)
    for (company_id, _prefix), names in blocks.items():
        for i, first in enumerate(names):
            for second in names[i + 1:]:
                if similar_names(first, second):
                    for a in by_name[company_id, first]:
                        for b in by_name[company_id, second]:
                            pair = (min(a, b), max(a, b))
                            if (focus is None or a in focus or b in focus) and REASON_NAME not in reasons[pair]:
                                reasons[pair].append(REASON_NAME)
    order = {REASON_TAX_ID: 0, REASON_EMAIL: 1, REASON_NAME: 2}
    pairs = [
        DuplicatePair(by_id[a], by_id[b], tuple(sorted(found, key=order.get)))
        for (a, b), found in reasons.items() if found
    ]
    pairs.sort(key=lambda p: (min(order[r] for r in p.reasons), -len(p.reasons), p.first.id, p.second.id))
    return pairs[:limit] if limit else pairs


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
