"""Accounting on the home page: what customers owe (and how much is overdue), and drafts waiting to be posted."""
from __future__ import annotations

import datetime as dt

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.web.dashboard import Tile
from core.web.i18n import money

from .models import Invoice, Move
from .models.invoicing import DRAFT, OUT_INVOICE, OUT_REFUND
from .services.balances import open_balance
from .services.currency import company_currency


def tiles(session, actor, registry, today: dt.date | None = None) -> tuple[Tile, ...]:
    if not registry.can(actor, Invoice, "read"):
        return ()
    today = today or dt.date.today()
    balance = open_balance(session, today=today)
    currency = company_currency(session, actor.company_id)
    result = [Tile(title=_l("Customers owe"), value=money(balance.receivable, currency),
                   caption=_l("of which overdue: %(amount)s", amount=money(balance.overdue, currency)),
                   endpoint="accounting.invoice_list", sequence=5)]
    if registry.can(actor, Move, "create"):
        drafts = session.scalar(select(func.count(Invoice.id)).where(Invoice.state == DRAFT,
                                                                     Invoice.kind.in_((OUT_INVOICE, OUT_REFUND))))
        result.append(Tile(title=_l("Draft invoices to post"), value=format_decimal(drafts),
                           endpoint="accounting.invoice_list", sequence=6))
    return tuple(result)
