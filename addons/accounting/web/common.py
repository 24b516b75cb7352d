"""What several accounting pages share: the journals money moves through."""
from __future__ import annotations

from sqlalchemy import select

from ..models import Journal
from ..models.ledger import BANK, CASH


def money_journals(session) -> list[Journal]:
    """The active bank and cash journals the user may read: where money comes in and goes out."""
    return session.scalars(select(Journal).where(Journal.kind.in_((BANK, CASH)), Journal.active.is_(True))
                           .order_by(Journal.code)).all()
