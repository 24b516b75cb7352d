"""What accounting tells on a partner's page: unpaid and overdue amounts against the credit limit.

Computed by aggregate SELECTs through the viewer's session, so access and
record rules apply; a user who may not read invoices gets no panel at all.
Amounts are in the company's currency, at each invoice's own rate.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from core.web.i18n import money
from core.web.panels import Panel

from .models import Invoice, PartnerAccounting
from .models.invoicing import IN_INVOICE, IN_REFUND, OUT_INVOICE, OUT_REFUND, POSTED
from .services.currency import company_currency

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Balance:
    receivable: Decimal
    overdue: Decimal
    payable: Decimal
    credit_limit: Decimal | None

    @property
    def over_limit(self) -> bool:
        return self.credit_limit is not None and self.receivable > self.credit_limit


def _decimal(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def partner_balance(session, partner, today: dt.date) -> Balance:
    """What ``partner`` owes (receivable, of it overdue) and is owed (payable), from posted documents."""
    due = Invoice.residual * Invoice.rate
    signed = case((Invoice.kind.in_((OUT_REFUND, IN_REFUND)), -due), else_=due)
    customer = Invoice.kind.in_((OUT_INVOICE, OUT_REFUND))
    receivable, overdue, payable = session.execute(
        select(func.sum(case((customer, signed), else_=0)),
               func.sum(case((customer & (Invoice.kind == OUT_INVOICE) & (Invoice.due_date < today), due), else_=0)),
               func.sum(case((Invoice.kind.in_((IN_INVOICE, IN_REFUND)), signed), else_=0)))
        .where(Invoice.partner_id == partner.id, Invoice.state == POSTED, Invoice.residual != 0)).one()
    limit = session.scalar(select(PartnerAccounting.credit_limit).where(PartnerAccounting.partner_id == partner.id))
    return Balance(_decimal(receivable), _decimal(overdue), _decimal(payable), limit)


def partner_panels(session, actor, registry, partner, today: dt.date | None = None) -> tuple[Panel, ...]:
    if not registry.can(actor, Invoice, "read"):
        return ()
    balance = partner_balance(session, partner, today or dt.date.today())
    currency = company_currency(session, partner.company_id)
    lines = [(str(_l("Unpaid")), money(balance.receivable, currency)),
             (str(_l("Overdue")), money(balance.overdue, currency)),
             (str(_l("Credit limit")), money(balance.credit_limit, currency) if balance.credit_limit is not None
              else str(_l("None")))]
    if balance.payable:
        lines.append((str(_l("We owe (bills)")), money(balance.payable, currency)))
    warnings = []
    if balance.over_limit:
        warnings.append(gettext("Over the credit limit by %(amount)s.",
                                amount=money(balance.receivable - balance.credit_limit, currency)))
    if balance.overdue > 0:
        warnings.append(gettext("%(amount)s is overdue.", amount=money(balance.overdue, currency)))
    return (Panel(title=_l("Invoicing"), lines=tuple(lines), warning=" ".join(warnings) or None,
                  endpoint="accounting.invoice_list", endpoint_args=(("filter", "unpaid"), ("q", partner.name)),
                  sequence=20),)
