"""What sales and CRM do together: quotations made from opportunities, which follow and win them.

- A quotation made from an open opportunity is for its customer, by its
  salesperson (by the user quoting, when a salesperson quotes a teammate's),
  in the sales team named like its CRM team (else the salesperson's own sales
  team); it is linked to the opportunity, and so are its later revisions.
- While an opportunity is open, its expected revenue is the untaxed total of
  its open quotations (draft or sent), in the company's currency, recomputed
  whenever sales writes one of them (``sales_orders_changed``). Quotations
  without an amount yet (a quotation just made, still empty) leave the
  salesperson's estimate alone, and so does having no open quotation left.
  Declined, cancelled and expired quotations do not count.
- Confirming a quotation (by the salesperson, or the customer accepting it
  online) wins its opportunity (crm's own service), closed at the
  confirmation's moment; its expected revenue is then what was ordered. The
  opportunity's other open quotations are cancelled: the customer chose. A
  lost opportunity is reopened and won (as Odoo does): the order proves it was
  not lost; one already won stays as it is.
- When every quotation of an opportunity is declined, cancelled or expired,
  the opportunity stays open: the salesperson decides whether it is lost (its
  page says so, with the customer's reasons, see :mod:`.panels`).

The opportunity's updates are the quotation's consequence, not the
salesperson's CRM work: they are written by the system inside the user's
transaction (``system_rows``), so a salesperson confirming a teammate's
quotation wins the opportunity without the right to change it.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from addons.accounting.services.currency import rate_at
from addons.crm import services as crm
from addons.crm.models import LOST, OPEN, OPPORTUNITY, Lead
from addons.sales.models import (
    CANCELLED,
    CONFIRMED,
    DECLINED,
    DRAFT,
    EXPIRED,
    REVISED,
    SENT,
    SaleOrder,
    SalesTeam,
)
from addons.sales.security import MANAGER as SALES_MANAGER
from addons.sales.services.quotes import cancel_quote, create_quote
from core.bulk import ID_CHUNK
from core.errors import ValidationError
from core.sessions import system_rows

from .models import QuoteOpportunity

OPEN_QUOTES = (DRAFT, SENT)
#: how a quotation ends without an order
ENDED = (DECLINED, CANCELLED, EXPIRED)
CENTS = Decimal("0.01")


def quote_from_opportunity(session: Session, lead: Lead) -> SaleOrder:
    """A draft quotation for the open opportunity ``lead`` (one the user may read), linked to it."""
    readable = session.scalar(select(Lead).where(Lead.id == lead.id))
    if readable is None:
        raise ValidationError(gettext("You may not read this opportunity."))
    if lead.kind != OPPORTUNITY or lead.state != OPEN:
        raise ValidationError(gettext("Only an open opportunity can be quoted."), "state")
    if lead.partner_id is None:
        raise ValidationError(gettext("Set the opportunity's partner first: a quotation is for a customer."),
                              "partner_id")
    salesperson = _salesperson(session, lead)
    values = {"user_id": salesperson} if salesperson is not None else {}
    team_id = _sales_team_of(session, lead)
    if team_id is not None:
        values["team_id"] = team_id
    order = create_quote(session, lead.company_id, partner_id=lead.partner_id, **values)
    with system_rows(session) as system:
        system.add(QuoteOpportunity(order_id=order.id, opportunity_id=lead.id, company_id=lead.company_id))
    return order


def _salesperson(session: Session, lead: Lead) -> int | None:
    """The opportunity's salesperson; a salesperson quoting a teammate's opportunity quotes as themself (sales
    lets them make only their own quotations), a sales manager for the opportunity's salesperson."""
    actor = session.info.get("actor")
    if actor is None or lead.user_id in (None, actor.user_id) or actor.in_group(SALES_MANAGER):
        return lead.user_id
    return actor.user_id


def _sales_team_of(session: Session, lead: Lead) -> int | None:
    """The active sales team named like the opportunity's CRM team (sales keeps its own teams)."""
    if lead.team is None:
        return None
    return session.scalar(select(SalesTeam.id).where(
        SalesTeam.company_id == lead.company_id, SalesTeam.name == lead.team.name, SalesTeam.active.is_(True))
        .order_by(SalesTeam.id).limit(1))


def orders_changed(session: Session, orders: list[SaleOrder], deleting: list[SaleOrder]) -> None:
    """Follow the quotations sales wrote (or is deleting) on their opportunities."""
    with system_rows(session) as system:
        _keep_links_of_revisions(system, orders)
        gone = {link.order_id: link.opportunity_id for link in _links(system, [order.id for order in deleting])}
        for order_id in gone:
            system.delete(system.get(QuoteOpportunity, order_id))
        system.flush()
        links = {link.order_id: link.opportunity_id for link in _links(system, [order.id for order in orders])}
        # sales passes a confirmed order only when it confirms it: its opportunity is won then
        confirmed = {links[order.id]: order for order in orders if order.state == CONFIRMED and order.id in links}
        cancelled = [other for opportunity_id, order in confirmed.items()
                     for other in _cancel_alternatives(system, opportunity_id, order.id)]
        touched = set(links.values()) | set(gone.values())
        for opportunity_id in sorted(touched):
            won = confirmed.get(opportunity_id)
            follow(system, system.get(Lead, opportunity_id), won_at=won.confirmed_at if won else None)
    for record in list(session.identity_map.values()):
        if (isinstance(record, Lead) and record.id in touched) or (isinstance(record, SaleOrder)
                                                                   and record.id in cancelled):
            session.expire(record)


def _cancel_alternatives(session: Session, opportunity_id: int, confirmed_id: int) -> list[int]:
    """Cancel the opportunity's other open quotations (sales' own service): the customer chose one."""
    others = session.scalars(select(SaleOrder).join(QuoteOpportunity, QuoteOpportunity.order_id == SaleOrder.id)
                             .where(QuoteOpportunity.opportunity_id == opportunity_id,
                                    SaleOrder.id != confirmed_id, SaleOrder.state.in_(OPEN_QUOTES))
                             .order_by(SaleOrder.id)).all()
    for other in others:
        cancel_quote(session, other)
    return [other.id for other in others]


def _links(session: Session, order_ids: list[int]) -> list[QuoteOpportunity]:
    """The links of these orders (a query per ``ID_CHUNK`` orders: the expiry job passes them all)."""
    return [link for first in range(0, len(order_ids), ID_CHUNK) for link in session.scalars(
        select(QuoteOpportunity).where(QuoteOpportunity.order_id.in_(order_ids[first:first + ID_CHUNK])))]


def _keep_links_of_revisions(session: Session, orders: list[SaleOrder]) -> None:
    """A new revision is for its predecessor's opportunity."""
    revisions = {order.id: order.previous_id for order in orders if order.previous_id is not None}
    linked = {link.order_id for link in _links(session, list(revisions))}
    previous = {link.order_id: link for link in _links(session, list(revisions.values()))}
    session.add_all(QuoteOpportunity(order_id=order_id, opportunity_id=previous[previous_id].opportunity_id,
                                     company_id=previous[previous_id].company_id)
                    for order_id, previous_id in revisions.items()
                    if order_id not in linked and previous_id in previous)
    session.flush()


def quotes_of(session: Session, lead: Lead) -> list[SaleOrder]:
    """The opportunity's quotations and orders the session may read, oldest first."""
    return list(session.scalars(select(SaleOrder).join(QuoteOpportunity, QuoteOpportunity.order_id == SaleOrder.id)
                                .where(QuoteOpportunity.opportunity_id == lead.id)
                                .order_by(SaleOrder.id)))


def follow(session: Session, lead: Lead, *, won_at: dt.datetime | None = None) -> None:
    """The opportunity's expected revenue from its quotations; won ``won_at``, the moment one of them was
    confirmed (reopened first when it was lost). An opportunity reopened by hand after its order stays open until
    another is confirmed."""
    quotes = quotes_of(session, lead)
    confirmed = [order for order in quotes if order.state == CONFIRMED]
    open_quotes = [order for order in quotes if order.state in OPEN_QUOTES]
    if confirmed:
        lead.expected_revenue = _untaxed(session, confirmed)
    elif lead.state == OPEN and any(order.amount_untaxed for order in open_quotes):
        lead.expected_revenue = _untaxed(session, open_quotes)
    if won_at is not None and lead.state == LOST:
        crm.reopen(session, lead)
    if won_at is not None and lead.state == OPEN:
        crm.mark_won(session, lead, at=won_at)
    session.flush()


def all_declined(quotes: list[SaleOrder]) -> bool:
    """Every quotation of the opportunity ended without an order (the opportunity itself stays open)."""
    current = [order for order in quotes if order.state != REVISED]
    return bool(current) and all(order.state in ENDED for order in current)


def _untaxed(session: Session, orders: list[SaleOrder]) -> Decimal:
    """The orders' untaxed total in the company's currency (each at its quotation date's rate)."""
    total = sum((order.amount_untaxed * rate_at(session, order.company_id, order.currency_code,
                                                 date=order.date_order) for order in orders), Decimal(0))
    return total.quantize(CENTS, rounding=ROUND_HALF_UP)
