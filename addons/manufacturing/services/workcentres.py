"""Work centres: where operations are done, at a cost per hour."""
from __future__ import annotations

from sqlalchemy.orm import Session

from core.fields import clean

from ..models import WorkCentre


def create_workcentre(session: Session, company_id: int, **values) -> WorkCentre:
    centre = WorkCentre(company_id=company_id, **clean(WorkCentre, values, session=session))
    session.add(centre)
    session.flush()
    return centre
