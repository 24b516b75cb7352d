"""Accounting on the home page: what customers owe (and how much is overdue), and drafts waiting to be posted."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from core.web.dashboard import Tile
from core.web.i18n import money

from .models import Invoice, Move
from .models.invoicing import DRAFT, OUT_INVOICE, OUT_REFUND, POSTED
from .services.currency import company_currency


def tiles(session, actor, registry, today: dt.date | None = None) -> tuple[Tile, ...]:
    if not registry.can(actor, Invoice, "read"):
        return ()
    today = today or dt.date.today()
    due = Invoice.residual * Invoice.rate
    owed, overdue, drafts = session.execute(
        select(func.sum(case((Invoice.state == POSTED, case((Invoice.kind == OUT_REFUND, -due), else_=due)),
                             else_=0)),
               func.sum(case(((Invoice.state == POSTED) & (Invoice.kind == OUT_INVOICE) & (Invoice.due_date < today),
                              due), else_=0)),
               func.count(case((Invoice.state == DRAFT, Invoice.id))))
        .where(Invoice.kind.in_((OUT_INVOICE, OUT_REFUND)))).one()
    currency = company_currency(session, actor.company_id)
    result = [Tile(title=_l("Customers owe"), value=money(Decimal(str(owed or 0)), currency),
                   caption=_l("of which overdue: %(amount)s", amount=money(Decimal(str(overdue or 0)), currency)),
                   endpoint="accounting.invoice_list", sequence=5)]
    if registry.can(actor, Move, "create"):
        result.append(Tile(title=_l("Draft invoices to post"), value=format_decimal(drafts or 0),
                           endpoint="accounting.invoice_list", sequence=6))
    return tuple(result)
