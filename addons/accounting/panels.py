"""What accounting tells on a partner's page: unpaid and overdue amounts against the credit limit.

A user who may not read invoices gets no panel at all; the figures come from
``services.balances`` through the viewer's session.
"""
from __future__ import annotations

import datetime as dt

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from core.web.i18n import money
from core.web.panels import Panel

from .models import Invoice
from .services.balances import open_balance
from .services.currency import company_currency

def partner_panels(session, actor, registry, partner, today: dt.date | None = None) -> tuple[Panel, ...]:
    if not registry.can(actor, Invoice, "read"):
        return ()
    balance = open_balance(session, partner, today=today or dt.date.today())
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
