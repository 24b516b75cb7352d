"""Fiscal years and their monthly periods, the lock date, and the year-end closing.

Lock date policy: only an accountant (or a system session) sets it; moving it
forward is an accountant's call, moving it back re-opens locked months and is
kept to administrators (``core.group_admin``) and system sessions. The date is
refused while draft entries remain on or before it, since they could never be
posted afterwards.
"""
from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import AccessDenied, ValidationError
from core.fields import clean
from core.security import log_event
from core.security.actor import ADMIN_GROUP

from ..models import Account, FiscalYear, Move, MoveLine, Period, Settings
from ..models.ledger import CLOSED, DRAFT, GENERAL, RESULT_TYPES
from ..security import ACCOUNTANT
from .books import company_settings, default_journal
from .currency import sql_money
from .ledger import LineSpec, create_move, post_move



def require_accountant(session: Session, what: str) -> None:
    """Refuse unless the session is a system session or acts for an accountant."""
    actor = session.info.get("actor")
    if actor is not None and not actor.in_group(ACCOUNTANT):
        raise AccessDenied(gettext("Only an accountant may %(what)s.", what=what))


def create_fiscal_year(session: Session, company_id: int, *, year: int | None = None,
                       date_start: dt.date | None = None, date_end: dt.date | None = None,
                       monthly: bool = True) -> FiscalYear:
    """A fiscal year (calendar ``year``, or ``date_start``..``date_end``) with a period per month.

    Refused when it overlaps another fiscal year of the company.
    """
    if year is not None:
        date_start, date_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    dates = clean(FiscalYear, {"date_start": date_start, "date_end": date_end}, creating=False)
    date_start, date_end = dates["date_start"], dates["date_end"]
    if date_start > date_end:
        raise ValidationError(gettext("A fiscal year needs a start date on or before its end date."), "date_start")
    overlap = session.scalar(select(FiscalYear.name).where(
        FiscalYear.company_id == company_id, FiscalYear.date_start <= date_end, FiscalYear.date_end >= date_start))
    if overlap is not None:
        raise ValidationError(gettext("The dates %(start)s to %(end)s overlap fiscal year %(name)s.",
                                      start=date_start.isoformat(), end=date_end.isoformat(), name=overlap),
                              "date_start")
    name = str(date_start.year) if date_start.year == date_end.year else f"{date_start.year}-{date_end.year}"
    fiscal_year = FiscalYear(company_id=company_id, name=name, date_start=date_start, date_end=date_end)
    spans = _months(date_start, date_end) if monthly else [(date_start, date_end)]
    for start, end in spans:
        fiscal_year.periods.append(Period(company_id=company_id, name=f"{start:%Y-%m}", date_start=start,
                                          date_end=end))
    session.add(fiscal_year)
    session.flush()
    return fiscal_year


def _months(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    spans = []
    while start <= end:
        last = dt.date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
        spans.append((start, min(last, end)))
        start = last + dt.timedelta(days=1)
    return spans


def set_lock_date(session: Session, company_id: int, *, date: dt.date | None) -> Settings:
    """Lock the books up to ``date`` included (``None`` unlocks; see the module's policy)."""
    require_accountant(session, gettext("set the lock date"))
    date = clean(Settings, {"lock_date": date}, creating=False)["lock_date"]
    settings = company_settings(session, company_id)
    current = settings.lock_date
    moving_back = current is not None and (date is None or date < current)
    actor = session.info.get("actor")
    if moving_back and actor is not None and not actor.in_group(ADMIN_GROUP):
        raise AccessDenied(gettext("Only an administrator may move the lock date back from %(lock)s.",
                                   lock=current.isoformat()))
    if date is not None:
        draft = session.scalar(select(Move).where(Move.company_id == company_id, Move.state == DRAFT,
                                                  Move.date <= date).order_by(Move.date).limit(1))
        if draft is not None:
            raise ValidationError(gettext(
                "Draft entry %(name)s dated %(date)s would be locked: post or delete the drafts on or before "
                "%(lock)s first.", name=draft.display_name, date=draft.date.isoformat(), lock=date.isoformat()),
                "lock_date")
    settings.lock_date = date
    session.flush()
    if date != current:
        log_event(session, "lock_date_changed", detail=f"company {company_id}: "
                  f"{current.isoformat() if current else 'none'} → {date.isoformat() if date else 'none'}")
    return settings


def close_fiscal_year(session: Session, fiscal_year: FiscalYear) -> Move | None:
    """Zero every income and expense account into the retained earnings account, then close the year.

    The closing entry (``origin="closing"``) is posted in the miscellaneous
    journal on the year's last day; there is none when nothing was booked.
    """
    require_accountant(session, gettext("close a fiscal year"))
    if fiscal_year.state == CLOSED:
        raise ValidationError(gettext("Fiscal year %(name)s is already closed.", name=fiscal_year.name))
    company_id = fiscal_year.company_id
    drafts = session.scalar(select(func.count(Move.id)).where(
        Move.company_id == company_id, Move.state == DRAFT, Move.date >= fiscal_year.date_start,
        Move.date <= fiscal_year.date_end))
    if drafts:
        raise ValidationError(gettext("Fiscal year %(name)s still has %(count)s draft entries: post or delete "
                                      "them before closing it.", name=fiscal_year.name, count=drafts))
    settings = company_settings(session, company_id)
    if settings.retained_earnings_account_id is None:
        raise ValidationError(gettext("Set the retained earnings account in the accounting settings first."))
    balances = session.execute(
        select(MoveLine.account_id, func.sum(MoveLine.debit) - func.sum(MoveLine.credit))
        .join(Account, Account.id == MoveLine.account_id)
        .where(MoveLine.company_id == company_id, MoveLine.posted.is_(True),
               MoveLine.date >= fiscal_year.date_start, MoveLine.date <= fiscal_year.date_end,
               Account.type.in_(RESULT_TYPES))
        .group_by(MoveLine.account_id).order_by(MoveLine.account_id)).all()
    lines = []
    for account_id, balance in balances:
        balance = sql_money(balance)
        if balance:
            lines.append(LineSpec(account_id=account_id, debit=max(-balance, Decimal(0)),
                                  credit=max(balance, Decimal(0)), name=gettext("Year-end closing")))
    move = None
    if lines:
        profit = sum((line.debit - line.credit for line in lines), Decimal(0))
        if profit:
            lines.append(LineSpec(account_id=settings.retained_earnings_account_id, debit=max(-profit, Decimal(0)),
                                  credit=max(profit, Decimal(0)), name=gettext("Result of the year")))
        journal = default_journal(session, company_id, GENERAL)
        move = create_move(session, journal, date=fiscal_year.date_end, lines=lines, origin="closing",
                           ref=gettext("Closing of fiscal year %(name)s", name=fiscal_year.name))
        post_move(session, move)
    fiscal_year.state = CLOSED
    session.flush()
    return move
