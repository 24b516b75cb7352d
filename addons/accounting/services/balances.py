"""What partners owe and are owed, from posted invoices: the partner panel, the home page and credit checks.

Aggregate SELECTs through the caller's session, so access and record rules
apply. Amounts are in the company's currency, at each invoice's own rate.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from addons.contacts.models import Partner

from ..models import Invoice, PartnerAccounting
from ..models.invoicing import IN_INVOICE, IN_REFUND, OUT_INVOICE, OUT_REFUND, POSTED
from .currency import sql_money


@dataclass(frozen=True)
class Balance:
    receivable: Decimal
    overdue: Decimal
    payable: Decimal
    credit_limit: Decimal | None

    @property
    def over_limit(self) -> bool:
        return self.credit_limit is not None and self.receivable > self.credit_limit


def open_balance(session: Session, partner: Partner | None = None, *, today: dt.date) -> Balance:
    """What customers owe (receivable, of it overdue) and suppliers are owed (payable): of one partner, or of all
    the partners the session may see; the credit limit only for one partner."""
    due = Invoice.residual * Invoice.rate
    signed = case((Invoice.kind.in_((OUT_REFUND, IN_REFUND)), -due), else_=due)
    customer = Invoice.kind.in_((OUT_INVOICE, OUT_REFUND))
    query = (select(func.sum(case((customer, signed), else_=0)),
                    func.sum(case(((Invoice.kind == OUT_INVOICE) & (Invoice.due_date < today), due), else_=0)),
                    func.sum(case((Invoice.kind.in_((IN_INVOICE, IN_REFUND)), signed), else_=0)))
             .where(Invoice.state == POSTED, Invoice.residual != 0))
    limit = None
    if partner is not None:
        query = query.where(Invoice.partner_id == partner.id)
        row = session.get(PartnerAccounting, partner.id)
        limit = row.credit_limit if row is not None else None
    receivable, overdue, payable = session.execute(query).one()
    return Balance(sql_money(receivable), sql_money(overdue), sql_money(payable), limit)
