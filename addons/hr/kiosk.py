"""The entrance kiosk: an employee checks in or out with their badge code and a PIN.

- a PIN is 4 to 8 digits, stored only as an Argon2 hash (:mod:`core.security.passwords`);
- a wrong badge or PIN gets one message that tells neither apart, and takes as long either way;
- a kiosk acts for one company, opened by an HR officer's session or by the company's kiosk link (a token signed
  with the server's secret key).
"""
from __future__ import annotations

import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from core.errors import ValidationError
from core.security.passwords import hash_password, verify_password

from . import attendance
from .models import Employee
from .time_models import Attendance, KioskBadge

PIN_DIGITS = (4, 8)
_SALT = "hr.kiosk"


@cache
def _no_badge() -> str:
    """Verified when the badge is unknown, so a wrong badge costs as long as a wrong PIN."""
    return hash_password("no badge")


def set_badge(session, employee: Employee, badge: str, pin: str) -> KioskBadge:
    """Give ``employee`` a badge code and a PIN (replacing what they had)."""
    badge = (badge or "").strip()
    if not badge or len(badge) > 40:
        raise ValidationError(gettext("Type the badge code (at most 40 characters)."), "badge")
    low, high = PIN_DIGITS
    if not (pin or "").isdigit() or not low <= len(pin) <= high:
        raise ValidationError(gettext("The PIN is %(low)s to %(high)s digits.", low=low, high=high), "pin")
    taken = session.scalars(select(KioskBadge).where(KioskBadge.company_id == employee.company_id,
                                                     KioskBadge.badge == badge,
                                                     KioskBadge.employee_id != employee.id)).first()
    if taken is not None:
        raise ValidationError(gettext("Badge %(badge)s is someone else's.", badge=badge), "badge")
    record = session.get(KioskBadge, employee.id)
    if record is None:
        record = KioskBadge(employee_id=employee.id, company_id=employee.company_id)
        session.add(record)
    record.badge, record.pin_hash = badge, hash_password(pin)
    session.flush()
    return record


def punch(session, company_id: int, badge: str, pin: str) -> tuple[Employee, Attendance]:
    """Check the badge's employee in or out when the PIN matches (a system session: the kiosk has no user)."""
    record = session.scalars(select(KioskBadge).where(KioskBadge.company_id == company_id,
                                                      KioskBadge.badge == (badge or "").strip())).first()
    if not verify_password(record.pin_hash if record is not None else _no_badge(), pin or "") or record is None:
        raise ValidationError(gettext("Wrong badge or PIN: try again."), "pin")
    employee = session.get(Employee, record.employee_id)
    if not employee.active:
        raise ValidationError(gettext("Wrong badge or PIN: try again."), "pin")
    return employee, attendance.toggle(session, employee)


def kiosk_token(secret_key: str, company_id: int, timezone: str | None) -> str:
    """The kiosk link's token: the company, and the time zone the kiosk shows times in (its opener's)."""
    return URLSafeSerializer(secret_key, salt=_SALT).dumps([company_id, timezone])


def read_token(secret_key: str, token: str) -> tuple[int, str | None] | None:
    """(company id, time zone) of a kiosk token, None when it was not signed with ``secret_key``."""
    try:
        company_id, timezone = URLSafeSerializer(secret_key, salt=_SALT).loads(token)
    except (BadSignature, TypeError, ValueError):
        return None
    if not isinstance(company_id, int) or not (timezone is None or isinstance(timezone, str)):
        return None
    return company_id, timezone


def local_time(at: dt.datetime, timezone: str | None) -> str:
    """``at`` (UTC) as HH:MM in ``timezone`` (UTC when unset or unknown)."""
    try:
        zone = ZoneInfo(timezone) if timezone else dt.timezone.utc
    except (ZoneInfoNotFoundError, ValueError):
        zone = dt.timezone.utc
    return at.replace(tzinfo=dt.timezone.utc).astimezone(zone).strftime("%H:%M")
