"""A company's sales settings: read with their defaults, changed by a sales manager."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.fields import clean
from core.transaction_cache import cached

from ..models import WARN, SalesSettings

#: what the settings page and the service accept
FIELDS = ("min_margin_percent", "margin_policy", "credit_policy")


def sales_settings(session: Session, company_id: int) -> SalesSettings:
    """The company's settings; a company that never saved any gets the defaults (a row not added)."""
    found = cached(session, ("sales.settings", company_id),
                   lambda: session.scalar(select(SalesSettings).where(SalesSettings.company_id == company_id)),
                   depends_on=(SalesSettings,))
    return found if found is not None else SalesSettings(company_id=company_id, min_margin_percent=None,
                                                         margin_policy=WARN, credit_policy=WARN)


def update_settings(session: Session, company_id: int, **values) -> SalesSettings:
    """Change the company's settings (created on first save); a bad value changes nothing."""
    current = session.scalar(select(SalesSettings).where(SalesSettings.company_id == company_id))
    cleaned = clean(SalesSettings, values, record=current, session=session, creating=current is None)
    with session.begin_nested():
        if current is None:
            current = SalesSettings(company_id=company_id, **cleaned)
            session.add(current)
        else:
            for name, value in cleaned.items():
                setattr(current, name, value)
        session.flush()
    return current
