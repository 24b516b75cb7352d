"""What an addon paying commissions (sales) tells one paying salaries (HR) through the
``commission_amounts`` hook, so that neither depends on the other."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CommissionAmount:
    """A confirmed commission owed to one user for one period, in ``currency_code``."""

    user_id: int
    date_from: dt.date
    date_to: dt.date
    amount: Decimal
    currency_code: str
    #: the confirmed statement's reference, to show on the payslip and to find it again
    reference: str
