"""What the bridge shows on an opportunity's page: its quotations with their state and untaxed amount, for who
may read quotations (with the customer's reason for those declined), and a warning when every one of them was
declined, cancelled or expired while it is still open; and on
a quotation's page, its opportunity's state and expected revenue with a link to it, for who may read it."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from addons.accounting.services.currency import company_currency
from addons.crm.models import OPEN, OPPORTUNITY, STATES, Lead
from addons.sales.models import DECLINED, ORDER_STATES, SaleOrder
from core.web.i18n import money
from core.web.panels import Panel

from .models import QuoteOpportunity
from .services import all_declined, quotes_of

_STATE_LABELS = dict(ORDER_STATES)
ALL_DECLINED = _l("All quotations declined or cancelled: the opportunity is still open. "
                  "Make a new quotation, or mark it lost.")


def panels(session, actor, record):
    if isinstance(record, SaleOrder):
        return _opportunity_panels(session, actor, record)
    if not (isinstance(record, Lead) and record.kind == OPPORTUNITY) \
            or not session.info["registry"].can(actor, SaleOrder, "read"):
        return ()
    quotes = quotes_of(session, record)
    if not quotes:
        return ()
    warning = ALL_DECLINED if record.state == OPEN and all_declined(quotes) else None
    return (Panel(title=_l("Quotations"), warning=warning, lines=tuple(
        (order.display_name, _quote_line(order)) for order in quotes)),)


def _quote_line(order: SaleOrder) -> str:
    """The quotation's state and untaxed amount, and the customer's reason when they declined it."""
    line = f"{_STATE_LABELS[order.state]} · {money(order.amount_untaxed, order.currency_code)}"
    return f"{line} · {order.decline_reason}" if order.state == DECLINED and order.decline_reason else line


def _opportunity_panels(session, actor, order: SaleOrder):
    if not session.info["registry"].can(actor, Lead, "read"):
        return ()
    lead = session.scalar(select(Lead).join(QuoteOpportunity, QuoteOpportunity.opportunity_id == Lead.id)
                          .where(QuoteOpportunity.order_id == order.id))
    if lead is None:
        return ()
    return (Panel(title=_l("Opportunity"), lines=(
        (lead.name, f"{dict(STATES)[lead.state]} · {lead.stage.name if lead.stage else '—'}"),
        (str(_l("Expected revenue")), money(lead.expected_revenue, company_currency(session, lead.company_id)))),
        endpoint="crm.opportunity_view", endpoint_args=(("record_id", lead.id),),
        link_label=_l("Open the opportunity")),)
