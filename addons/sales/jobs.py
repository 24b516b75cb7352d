"""Sales background jobs: quotations past their validity date are marked expired every morning."""
from __future__ import annotations

import datetime as dt


def expire_quotes(context) -> None:
    """Safe to repeat: a quotation already expired is not found again."""
    from .services.quotes import expire_quotes as expire

    with context.session() as session:
        expire(session, today=dt.date.today())
        session.commit()
