"""Which days an employee works: their contract's schedule, less the public holidays of their country and
region (from the maintained ``holidays`` package, not typed by hand) and the company's own days off."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

import holidays
from flask_babel import gettext
from sqlalchemy import or_, select

from core.errors import ValidationError
from core.models import Company
from core.sessions import system_rows

from .models import DRAFT, Contract, Employee, PublicHoliday

#: the longest request counted day by day
MAX_DAYS = 366
#: the hours of a working day under a contract without a schedule
FULL_DAY = Decimal(8)


@lru_cache(maxsize=256)
def _national(country: str, region: str | None, year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays(country, subdiv=region, years=year))


def check_region(country: str | None, region: str | None) -> None:
    """Refuse a region the holidays of ``country`` do not know (naming the ones they do)."""
    if not region:
        return
    known = holidays.list_supported_countries().get(country or "", [])
    if region not in known:
        raise ValidationError(gettext("%(region)s is not a region of %(country)s; known: %(known)s.",
                                      region=region, country=country or "—", known=", ".join(known) or "—"),
                              "region")


def country_of(session, employee: Employee) -> str | None:
    return employee.country_code or session.get(Company, employee.company_id).country_code


def national_holidays(country: str | None, region: str | None, start: dt.date, end: dt.date) -> set[dt.date]:
    """The country's public holidays (and the region's, when the package knows it) from ``start`` to ``end``."""
    days: set[dt.date] = set()
    if country in holidays.list_supported_countries():
        region = region if region in holidays.list_supported_countries()[country] else None
        for year in range(start.year, end.year + 1):
            days |= _national(country, region, year)
    return {day for day in days if start <= day <= end}


def holidays_between(session, employee: Employee, start: dt.date, end: dt.date) -> set[dt.date]:
    """The public holidays (national, regional and the company's own) from ``start`` to ``end``."""
    days = national_holidays(country_of(session, employee), employee.region, start, end)
    own = session.scalars(select(PublicHoliday.date).where(
        PublicHoliday.company_id == employee.company_id, PublicHoliday.date.between(start, end),
        or_(PublicHoliday.region.is_(None), PublicHoliday.region == employee.region)))
    return days | set(own)


def working_days(session, employee: Employee, start: dt.date, end: dt.date) -> list[dt.date]:
    """The days from ``start`` to ``end`` that ``employee`` works: a day without a contract is an error.

    The contracts are read by the system: an employee counting their own request may not read them.
    """
    if (end - start).days >= MAX_DAYS:
        raise ValidationError(gettext("A request covers at most %(days)s days.", days=MAX_DAYS), "date_to")
    with system_rows(session) as system:
        return _working_days(system, system.get(Employee, employee.id), start, end)


def _working_days(session, employee: Employee, start: dt.date, end: dt.date) -> list[dt.date]:
    contracts = session.scalars(select(Contract).where(
        Contract.employee_id == employee.id, Contract.state != DRAFT, Contract.date_start <= end,
        or_(Contract.date_end.is_(None), Contract.date_end >= start)).order_by(Contract.date_start)).all()
    off = holidays_between(session, employee, start, end)
    days, day = [], start
    while day <= end:
        contract = covering(contracts, day)
        if contract is None:
            raise ValidationError(gettext("%(employee)s has no contract on %(date)s.", employee=employee.name,
                                          date=day.isoformat()), "date_from")
        if scheduled_hours(contract, day) > 0 and day not in off:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def covering(contracts, day: dt.date) -> Contract | None:
    """The contract among ``contracts`` that runs on ``day``."""
    return next((c for c in contracts if c.date_start <= day and (c.date_end is None or c.date_end >= day)), None)


def scheduled_hours(contract: Contract, day: dt.date) -> Decimal:
    """The hours ``contract``'s schedule plans on ``day`` (no schedule: a full day from Monday to Friday)."""
    if contract.schedule is not None:
        return contract.schedule.hours_on(day)
    return FULL_DAY if day.weekday() < 5 else Decimal(0)
