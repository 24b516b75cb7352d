"""A company's purchase settings: one row per company, created when first read."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.fields import clean
from core.sessions import system_rows
from core.transaction_cache import cached

from ..models import PurchaseSettings


def company_settings(session: Session, company_id: int) -> PurchaseSettings:
    """The company's settings (read once per transaction); a company without a row gets one (no approval)."""
    def load():
        found = session.scalar(select(PurchaseSettings).where(PurchaseSettings.company_id == company_id))
        if found is None:
            with system_rows(session) as system:
                system.add(PurchaseSettings(company_id=company_id))
            found = session.scalar(select(PurchaseSettings).where(PurchaseSettings.company_id == company_id))
        return found

    return cached(session, ("purchase.settings", company_id), load, depends_on=(PurchaseSettings,))


def set_approval_amount(session: Session, company_id: int, *, amount: Decimal | None) -> PurchaseSettings:
    """Orders above ``amount`` (company currency) need a manager's approval; None: never."""
    actor = session.info.get("actor")
    if actor is not None:
        session.info["registry"].require(actor, PurchaseSettings, "write")
    settings = company_settings(session, company_id)
    settings.approval_amount = clean(PurchaseSettings, {"approval_amount": amount}, record=settings)[
        "approval_amount"]
    session.flush()
    return settings


def set_up_missing_settings(session: Session) -> None:
    """A settings row (no approval) for every company that has none (idempotent)."""
    from core.models import Company

    missing = select(Company.id).where(Company.id.not_in(select(PurchaseSettings.company_id)))
    session.add_all(PurchaseSettings(company_id=company_id) for company_id in session.scalars(missing).all())
    session.flush()
