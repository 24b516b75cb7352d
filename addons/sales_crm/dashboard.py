"""What CRM adds to the sales dashboard (``sales_dashboard_sections``): the customer acquisition cost of each
campaign and the customers' lifetime value, each an aggregate SELECT through the user's session.

- A **new customer** of a period is a partner whose first confirmed sales order
  (the earliest the user may read, in the company) was confirmed in the
  period; they were **won from a campaign** when that order was quoted from an
  opportunity of the campaign.
- **Customer acquisition cost** (CAC) of a campaign = its cost, counted in the
  period it was sent in ÷ the new customers won from it in the period.
- **Customer lifetime value** (CLV) = the margin of every confirmed order of
  the customers, from their first order to the end of the period, ÷ the number
  of customers; shown for all customers and by the campaign that won them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from addons.accounting.services.currency import company_currency, sql_money
from addons.crm.models import Campaign, Lead
from addons.sales.models import CONFIRMED, SaleOrder
from addons.sales.services.dashboard import Period, confirmed_in, rate_to_company
from core.reports import MONEY, QUANTITY, TEXT, Column, Report
from core.web.dashboard import Section

from .models import QuoteOpportunity

CENT = Decimal("0.01")


@dataclass(frozen=True)
class CampaignCost:
    campaign: str
    cost: Decimal
    new_customers: int
    cac: Decimal | str


@dataclass(frozen=True)
class LifetimeValue:
    acquired_through: str
    customers: int
    margin: Decimal
    clv: Decimal | None


def _per(amount: Decimal, count: int) -> Decimal | None:
    return (amount / count).quantize(CENT, rounding=ROUND_HALF_UP) if count else None


def _end(period: Period) -> dt.datetime:
    """The first moment after the period."""
    return dt.datetime.combine(period.date_to + dt.timedelta(days=1), dt.time())


def _first_orders(period: Period):
    """Each customer's first confirmed order's moment, up to the end of the period (of every team: a customer is
    new once)."""
    return (select(SaleOrder.partner_id.label("partner_id"), func.min(SaleOrder.confirmed_at).label("first_at"))
            .where(SaleOrder.company_id == period.company_id, SaleOrder.state == CONFIRMED,
                   SaleOrder.confirmed_at < _end(period))
            .group_by(SaleOrder.partner_id).subquery("first_orders"))


def new_customers_by_campaign(session: Session, period: Period) -> dict[int, int]:
    """Campaign id -> the customers whose first confirmed order, confirmed in the period, was quoted from one of
    its opportunities."""
    first = _first_orders(period)
    statement = (select(Lead.campaign_id, func.count(func.distinct(SaleOrder.partner_id))).select_from(SaleOrder)
                 .join(first, and_(first.c.partner_id == SaleOrder.partner_id,
                                   first.c.first_at == SaleOrder.confirmed_at))
                 .join(QuoteOpportunity, QuoteOpportunity.order_id == SaleOrder.id)
                 .join(Lead, Lead.id == QuoteOpportunity.opportunity_id)
                 .where(*confirmed_in(period), Lead.campaign_id.is_not(None)).group_by(Lead.campaign_id))
    return dict(session.execute(statement).all())


def acquisition_costs(session: Session, period: Period) -> Report:
    """The campaigns sent in the period or that won new customers in it: cost, new customers, CAC."""
    won = new_customers_by_campaign(session, period)
    start = dt.datetime.combine(period.date_from, dt.time())
    sent_in_period = and_(Campaign.sent_at >= start, Campaign.sent_at < _end(period))
    rows, total_cost = [], Decimal(0)
    for campaign_id, name, cost, sent in session.execute(
            select(Campaign.id, Campaign.name, Campaign.cost, sent_in_period)
            .where(Campaign.company_id == period.company_id,
                   or_(sent_in_period, Campaign.id.in_(list(won) or [0])))
            .order_by(Campaign.name, Campaign.id)):
        counted = sql_money(cost) if sent else Decimal(0)
        total_cost += counted
        rows.append(CampaignCost(name, counted, won.get(campaign_id, 0), _cac(counted, won.get(campaign_id, 0))))
    customers = sum(row.new_customers for row in rows)
    currency = company_currency(session, period.company_id)
    return Report(
        title=gettext("Customer acquisition cost by campaign"), slug="customer-acquisition-cost",
        columns=(Column("campaign", gettext("Campaign")),
                 Column("cost", gettext("Cost in the period (%(currency)s)", currency=currency), MONEY),
                 Column("new_customers", gettext("New customers"), QUANTITY),
                 Column("cac", gettext("Acquisition cost per customer (%(currency)s)", currency=currency), MONEY)),
        rows=rows,
        totals=[(gettext("All campaigns"), {"cost": total_cost, "new_customers": customers,
                                             "cac": _cac(total_cost, customers)})] if rows else [])


def _cac(cost: Decimal, customers: int) -> Decimal | str:
    return _per(cost, customers) if customers else gettext("No new customers")


def lifetime_values(session: Session, period: Period) -> Report:
    """The customers' margin to the end of the period and its average per customer, by the campaign that won
    them (customers of no campaign together), then for all."""
    currency = company_currency(session, period.company_id)
    conditions = [SaleOrder.company_id == period.company_id, SaleOrder.state == CONFIRMED,
                  SaleOrder.confirmed_at < _end(period)]
    if period.team_id is not None:
        conditions.append(SaleOrder.team_id == period.team_id)
    margins = (select(SaleOrder.partner_id.label("partner_id"),
                      func.sum(SaleOrder.margin * rate_to_company(currency)).label("margin"))
               .where(*conditions).group_by(SaleOrder.partner_id).subquery("margins"))
    first = _first_orders(period)
    first_order = aliased(SaleOrder)
    statement = (select(Lead.campaign_id, func.count(margins.c.partner_id), func.sum(margins.c.margin))
                 .select_from(margins).join(first, first.c.partner_id == margins.c.partner_id)
                 .join(first_order, and_(first_order.partner_id == first.c.partner_id,
                                         first_order.confirmed_at == first.c.first_at,
                                         first_order.company_id == period.company_id,
                                         first_order.state == CONFIRMED))
                 .outerjoin(QuoteOpportunity, QuoteOpportunity.order_id == first_order.id)
                 .outerjoin(Lead, Lead.id == QuoteOpportunity.opportunity_id)
                 .group_by(Lead.campaign_id))
    found = {campaign_id: (count, sql_money(margin)) for campaign_id, count, margin in session.execute(statement)}
    names = dict(session.execute(select(Campaign.id, Campaign.name).where(
        Campaign.id.in_([key for key in found if key is not None] or [0]))).all())
    rows = sorted((LifetimeValue(names.get(key, gettext("No campaign")) if key is not None else
                                 gettext("No campaign"), count, margin, _per(margin, count))
                   for key, (count, margin) in found.items()),
                  key=lambda row: (row.acquired_through == gettext("No campaign"), row.acquired_through))
    customers = sum(row.customers for row in rows)
    margin = sum((row.margin for row in rows), Decimal(0))
    return Report(
        title=gettext("Customer lifetime value"), slug="customer-lifetime-value",
        columns=(Column("acquired_through", gettext("Won from"), TEXT),
                 Column("customers", gettext("Customers"), QUANTITY),
                 Column("margin", gettext("Margin to date (%(currency)s)", currency=currency), MONEY),
                 Column("clv", gettext("Lifetime value per customer (%(currency)s)", currency=currency), MONEY)),
        rows=rows,
        totals=[(gettext("All customers"), {"customers": customers, "margin": margin,
                                              "clv": _per(margin, customers)})] if rows else [])


def sections(session: Session, actor, company_id: int, date_from: dt.date, date_to: dt.date,
             team_id: int | None) -> tuple[Section, ...]:
    """The two sections, for a user who may read campaigns and opportunities."""
    registry = session.info["registry"]
    if not all(registry.can(actor, model, "read") for model in (Campaign, Lead, QuoteOpportunity)):
        return ()
    period = Period(company_id, date_from, date_to, team_id)
    return (
        Section(acquisition_costs(session, period), sequence=10, empty=gettext(
            "No campaign was sent, and no customer won from one, in this period."), explanations=(
            gettext("A new customer is a customer whose first confirmed order was confirmed in the period; they "
                    "were won from a campaign when that order was quoted from one of its opportunities."),
            gettext("Acquisition cost per customer = the campaign's cost (counted in the period it was sent in, "
                    "whatever the team) ÷ the new customers won from it in the period."))),
        Section(lifetime_values(session, period), sequence=20, empty=gettext(
            "No customer has a confirmed order yet."), explanations=(
            gettext("Lifetime value = the margin of every confirmed order of the customers, from their first "
                    "order to the end of the period, ÷ the number of customers; by the campaign their first "
                    "order was won from."),)),
    )
