"""After install: every company gets a work centre to start from, so a first bill can name its operations."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Company

from ..models import WorkCentre

DEFAULT_CODE = "MAIN"


def set_up_missing_companies(session: Session) -> list[WorkCentre]:
    """A work centre "MAIN" (8 hours a day, no cost yet) for each company without any (idempotent)."""
    missing = select(Company.id).where(Company.id.not_in(select(WorkCentre.company_id))).order_by(Company.id)
    made = [WorkCentre(company_id=company_id, code=DEFAULT_CODE, name="Main work centre", capacity_hours=Decimal(8),
                       hourly_cost=Decimal(0), setup_minutes=Decimal(0), active=True)
            for company_id in session.scalars(missing).all()]
    session.add_all(made)
    session.flush()
    return made
