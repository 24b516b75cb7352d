"""Whether a quotation's customer may be given more credit: accounting's open balance, plus this quotation.

The figures are accounting's (:func:`addons.accounting.services.balances.open_balance`, the same the partner
summary panel shows), read as the system: a salesperson who may not read invoices still learns that the
customer owes too much, and how much, but not which invoices.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy.orm import Session

from addons.accounting.services.balances import open_balance
from addons.accounting.services.currency import company_currency
from core.sessions import system_rows
from core.web.i18n import money

from ..models import SaleOrder
from .currency import to_company


@dataclass(frozen=True)
class CreditCheck:
    """A customer's open balance and credit limit against one quotation, in the company's currency."""

    customer: str
    currency: str
    receivable: Decimal
    overdue: Decimal
    credit_limit: Decimal | None
    quotation: Decimal

    @property
    def exposure(self) -> Decimal:
        """What the customer would owe once this quotation is invoiced too."""
        return self.receivable + self.quotation

    @property
    def over_limit(self) -> bool:
        return self.credit_limit is not None and self.exposure > self.credit_limit

    @property
    def problem(self) -> bool:
        return self.over_limit or self.overdue > 0

    def message(self) -> str:
        """What is wrong, naming the customer, the limit and the amounts (empty when nothing is)."""
        parts = []
        if self.over_limit:
            parts.append(gettext(
                "%(customer)s would owe %(exposure)s (%(open)s open plus %(quotation)s for this quotation), over "
                "their credit limit of %(limit)s.", customer=self.customer, exposure=self._money(self.exposure),
                open=self._money(self.receivable), quotation=self._money(self.quotation),
                limit=self._money(self.credit_limit)))
        if self.overdue > 0:
            parts.append(gettext("%(customer)s has %(overdue)s of overdue invoices.", customer=self.customer,
                                 overdue=self._money(self.overdue)))
        return " ".join(parts)

    def _money(self, amount: Decimal) -> str:
        return money(amount, self.currency)


def credit_check(session: Session, order: SaleOrder, *, today: dt.date | None = None) -> CreditCheck:
    """The quotation's customer's balance, overdue amount and limit, and the quotation's total, as of ``today``."""
    today = today or dt.date.today()
    with system_rows(session) as system:
        balance = open_balance(system, order.partner, today=today)
    quotation = to_company(session, order.company_id, order.amount_total, order.currency_code, order.date_order)
    return CreditCheck(customer=order.partner.name, currency=company_currency(session, order.company_id),
                       receivable=balance.receivable, overdue=balance.overdue, credit_limit=balance.credit_limit,
                       quotation=quotation)
