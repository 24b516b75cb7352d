"""Helpers shared by the accounting pages: loading a record as the user, running a service safely."""
from __future__ import annotations

from flask import flash
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.errors import AccessDenied, ValidationError
from core.web.context import db

from ..models import Journal
from ..models.ledger import BANK, CASH


def money_journals(session) -> list[Journal]:
    """The active bank and cash journals the user may read: where money comes in and goes out."""
    return session.scalars(select(Journal).where(Journal.kind.in_((BANK, CASH)), Journal.active.is_(True))
                           .order_by(Journal.code)).all()


def run(action) -> tuple[object, ValidationError | AccessDenied | None]:
    """Run ``action(session)`` and commit; on a refusal roll back and return the error instead."""
    session = db()
    try:
        result = action(session)
        session.commit()
    except (ValidationError, AccessDenied) as error:
        session.rollback()
        return None, error
    except IntegrityError:
        session.rollback()
        return None, ValidationError(gettext("This clashes with another record; nothing was saved."))
    return result, None


def run_and_flash(action, success: str) -> None:
    """:func:`run`, then tell the user how it went (``success``, or the refusal's message)."""
    _result, error = run(action)
    flash(str(error) if error else success, "error" if error else "success")
