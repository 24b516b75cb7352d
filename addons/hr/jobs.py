"""HR's scheduled jobs (declared in the plugin): reminders of pending leave, the monthly accrual, the
carry-over on the first day of the year."""
import datetime as dt

from sqlalchemy import select

from core.db import utcnow
from core.models import Company

from . import leaves


def leave_reminders(context) -> None:
    with context.session() as session:
        leaves.remind_pending(session)
        session.commit()


def leave_accrual(context) -> None:
    """On the first of a month: the days earned in the month that ended."""
    last_month = utcnow().date().replace(day=1) - dt.timedelta(days=1)
    with context.session() as session:
        for company_id in session.scalars(select(Company.id)):
            leaves.accrue(session, company_id, last_month)
        today = utcnow().date()
        if today.month == 1:
            for company_id in session.scalars(select(Company.id)):
                leaves.carry_over(session, company_id, today.year - 1)
        session.commit()
