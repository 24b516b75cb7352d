"""Journal entries: create, post (gapless numbering per journal and fiscal year), reverse.

Posting checks the balance to the cent, the lock date and the fiscal year,
takes the next number of ``accounting.journal.<id>`` for the fiscal year
from :mod:`core.sequences` (row-locked until commit, given back on
rollback), and freezes the entry: from then on only a reversal corrects it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext, ngettext
from sqlalchemy import exc, func, or_, select
from sqlalchemy.orm import Session

from addons.contacts.models import Partner
from core.db import utcnow
from core.errors import ValidationError
from core.sequences import next_number
from core.transaction_cache import cached

from ..guards import POSTING, allow, require_balanced
from ..models import FiscalYear, Journal, Move, MoveLine, Period
from ..models.ledger import CLOSED, DRAFT, POSTED, PURCHASE, SALE

ZERO = Decimal(0)


@dataclass
class LineSpec:
    """One line to book: a positive ``debit`` or ``credit`` in company currency."""

    account_id: int
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    name: str | None = None
    partner_id: int | None = None
    currency_code: str | None = None
    amount_currency: Decimal | None = None
    date_maturity: dt.date | None = None
    tax_id: int | None = None
    tax_base_amount: Decimal | None = None


def fiscal_year_of(session: Session, company_id: int, *, date: dt.date) -> FiscalYear:
    """The company's fiscal year covering ``date``; its years are read once per transaction, without a flush."""
    years = cached(session, ("accounting.fiscal_years", company_id), lambda: _years_of(session, company_id),
                   depends_on=(FiscalYear,))
    year = next((year for year in years if year.date_start <= date <= year.date_end), None)
    if year is None:
        raise ValidationError(gettext("No fiscal year covers %(date)s; create it first.", date=date.isoformat()),
                              "date")
    if year.state == CLOSED and not session.info.get("accounting.closing_year"):
        raise ValidationError(gettext("Fiscal year %(name)s is closed.", name=year.name), "date")
    return year


def _years_of(session: Session, company_id: int) -> list[FiscalYear]:
    with session.no_autoflush:
        return list(session.scalars(select(FiscalYear).where(FiscalYear.company_id == company_id)))


def period_of(session: Session, year: FiscalYear, *, date: dt.date) -> int | None:
    """The id of ``year``'s period covering ``date`` (periods read once per transaction)."""
    periods = cached(session, ("accounting.periods", year.id), lambda: session.execute(
        select(Period.id, Period.date_start, Period.date_end).where(Period.fiscal_year_id == year.id)).all(),
        depends_on=(Period,))
    return next((period_id for period_id, start, end in periods if start <= date <= end), None)


def create_move(session: Session, journal: Journal, *, date: dt.date, lines: list[LineSpec], ref: str | None = None,
                partner_id: int | None = None, origin: str = "entry", narration: str | None = None) -> Move:
    """A draft entry in ``journal`` with ``lines``; nothing is checked but the shape of each line."""
    move = Move(company_id=journal.company_id, journal_id=journal.id, date=date, ref=ref, partner_id=partner_id,
                origin=origin, narration=narration, state=DRAFT)
    for spec in lines:
        if spec.debit < 0 or spec.credit < 0 or (spec.debit and spec.credit):
            raise ValidationError(gettext("A line has either a debit or a credit, never both, and never negative."))
        move.lines.append(MoveLine(
            company_id=journal.company_id, account_id=spec.account_id, partner_id=spec.partner_id, name=spec.name,
            debit=spec.debit, credit=spec.credit, currency_code=spec.currency_code,
            amount_currency=spec.amount_currency, date=date, date_maturity=spec.date_maturity,
            journal_id=journal.id, posted=False, tax_id=spec.tax_id, tax_base_amount=spec.tax_base_amount))
    session.add(move)
    return move


def post_move(session: Session, move: Move) -> Move:
    """Number and post a draft entry; it must balance, be dated in an open year and after the lock date."""
    if move.state != DRAFT:
        raise ValidationError(gettext("Entry %(name)s is already posted.", name=move.display_name))
    require_balanced(move.lines)
    year = fiscal_year_of(session, move.company_id, date=move.date)
    for line in move.lines:  # the lines carry the entry's date and journal; posting then only flips ``posted``
        line.date, line.journal_id = move.date, move.journal_id
    session.flush()  # the draft is checked (lock date, access) before a number is taken
    journal = session.get(Journal, move.journal_id)
    sequence = next_number(session, move.company_id, f"accounting.journal.{journal.id}", year.name)
    if journal.kind in (SALE, PURCHASE):
        _require_chronological(session, move, journal, year)
    period_id = period_of(session, year, date=move.date)
    with allow(session, POSTING, move):
        for name, value in posting_values(session, journal, year, period_id=period_id, sequence=sequence).items():
            setattr(move, name, value)
        for line in move.lines:
            line.posted = True
        session.flush()
    return move


def posting_values(session: Session, journal: Journal, year: FiscalYear, *, period_id: int | None,
                   sequence: int) -> dict:
    """What posting writes on an entry numbered ``sequence`` of ``journal`` in ``year``."""
    actor = session.info.get("actor")
    return {"fiscal_year_id": year.id, "period_id": period_id, "sequence_number": sequence,
            "number": entry_number(journal, year, sequence), "state": POSTED, "posted_at": utcnow(),
            "posted_by_id": actor.user_id if actor is not None else None}


def entry_number(journal: Journal, year: FiscalYear, sequence: int) -> str:
    return f"{journal.code}/{year.name}/{sequence:05d}"


def latest_posted_date(session: Session, journal: Journal, year: FiscalYear) -> dt.date | None:
    """The date of the journal's last posted entry in ``year``: sales and purchases are numbered in date order."""
    return session.scalar(select(func.max(Move.date)).where(
        Move.journal_id == journal.id, Move.fiscal_year_id == year.id, Move.state == POSTED))


def chronology_error(journal: Journal, latest: dt.date, date: dt.date) -> ValidationError:
    return ValidationError(gettext(
        "Journal %(journal)s already has an entry posted on %(latest)s: entries of a sales or purchase journal "
        "are numbered in date order, so this one cannot be dated %(date)s; date it on or after %(latest)s.",
        journal=journal.code, latest=latest.isoformat(), date=date.isoformat()), "date")


def _require_chronological(session: Session, move: Move, journal: Journal, year: FiscalYear) -> None:
    """Sales and purchases are numbered in date order (required in Spain and Italy).

    Runs once the journal's sequence is row-locked, so no other posting in the journal can interleave.
    """
    latest = latest_posted_date(session, journal, year)
    if latest is not None and move.date < latest:
        raise chronology_error(journal, latest, move.date)


def reverse_move(session: Session, move: Move, *, date: dt.date | None = None, post: bool = True) -> Move:
    """The entry that cancels ``move`` line by line (debit and credit swapped), posted unless told not to.

    The original is row-locked first (PostgreSQL), so two sessions reversing it at once queue up and the
    second sees the first reversal. Should a concurrent reversal still win, the flush fails on the unique
    ``reversed_move_id`` and a ValidationError is raised: the session's transaction is then rolled back by
    the flush, and the caller must call ``session.rollback()`` before using the session again.
    """
    if move.state != POSTED:
        raise ValidationError(gettext("Only a posted entry is reversed; a draft can simply be changed or deleted."))
    session.execute(select(Move.id).where(Move.id == move.id).with_for_update())
    if session.scalar(select(Move.id).where(Move.reversed_move_id == move.id)) is not None:
        raise ValidationError(gettext("Entry %(name)s has already been reversed.", name=move.number))
    journal = session.get(Journal, move.journal_id)
    reversal = create_move(session, journal, date=date or move.date, lines=[
        LineSpec(account_id=line.account_id, debit=line.credit, credit=line.debit, name=line.name,
                 partner_id=line.partner_id, currency_code=line.currency_code,
                 amount_currency=-line.amount_currency if line.amount_currency is not None else None,
                 date_maturity=line.date_maturity, tax_id=line.tax_id,
                 tax_base_amount=-line.tax_base_amount if line.tax_base_amount is not None else None)
        for line in move.lines
    ], ref=gettext("Reversal of %(name)s", name=move.number), partner_id=move.partner_id, origin="reversal")
    reversal.reversed_move_id = move.id
    try:
        session.flush()
    except exc.IntegrityError as error:
        if "reversed_move_id" not in str(error.orig):
            raise
        raise ValidationError(gettext("Entry %(name)s has already been reversed.", name=move.number)) from error
    return post_move(session, reversal) if post else reversal


def posted_entry_count(session: Session, partner: Partner) -> int:
    """How many posted entries name the partner, on the entry or on a line, whoever may read them."""
    mentions = or_(Move.partner_id == partner.id,
                   Move.id.in_(select(MoveLine.move_id).where(MoveLine.partner_id == partner.id)))
    return session.connection().scalar(select(func.count(Move.id)).where(Move.state == POSTED, mentions))


def partner_merge_blockers(session: Session, source, target) -> list[str]:
    """A partner with posted entries cannot be merged away: a posted entry never changes partner."""
    count = posted_entry_count(session, source)
    if not count:
        return []
    if posted_entry_count(session, target):
        return [gettext("%(source)s and %(target)s both have posted journal entries, and a posted entry never "
                        "changes partner: they cannot be merged.", source=source.name, target=target.name)]
    return [ngettext("%(source)s has %(num)s posted journal entry, and a posted entry never changes partner: "
                     "merge %(target)s into %(source)s instead.",
                     "%(source)s has %(num)s posted journal entries, and a posted entry never changes partner: "
                     "merge %(target)s into %(source)s instead.", count, source=source.name, target=target.name)]
