"""A quotation made from an opportunity follows it: the expected revenue is the open quotations' untaxed total,
confirming one wins it, and declining them all leaves it open."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.crm import services as crm
from addons.crm.models import LOST, OPEN, WON, Lead, LostReason
from addons.sales.models import CANCELLED, CONFIRMED, DRAFT, REVISED, SaleOrder
from addons.sales.services import quotes
from addons.sales.services.acceptance import accept_quote, decline_quote
from addons.sales_crm.models import QuoteOpportunity
from addons.sales_crm.services import all_declined, quote_from_opportunity, quotes_of
from core.errors import ValidationError

from .conftest import drills


def _lead(session, deal) -> Lead:
    return session.get(Lead, deal.opportunity.id)


def _quoted(session, deal, drills_quoted: int):
    """A quotation made from the opportunity, for so many drills."""
    order = quote_from_opportunity(session, _lead(session, deal))
    return quotes.update_quote(session, order, lines=drills(deal, drills_quoted))


def test_a_quotation_from_an_opportunity_is_for_its_customer_salesperson_and_team(deal):
    session = deal.db.as_user(deal.ana)
    lead = _lead(session, deal)
    order = quote_from_opportunity(session, lead)
    session.commit()
    assert (order.partner_id, order.user_id, order.team_id) == (deal.customer.id, deal.ana.id, deal.sales_north.id)
    assert session.get(QuoteOpportunity, order.id).opportunity_id == lead.id
    assert _lead(session, deal).expected_revenue == Decimal("5000.00")  # an empty quotation keeps the estimate


def test_the_expected_revenue_follows_the_open_quotations(deal):
    session = deal.db.as_user(deal.ana)
    first = _quoted(session, deal, 3)
    assert _lead(session, deal).expected_revenue == Decimal("300.00")
    second = _quoted(session, deal, 5)
    quotes.mark_sent(session, second)
    assert _lead(session, deal).expected_revenue == Decimal("800.00")
    revision = quotes.revise_quote(session, second)
    quotes.update_quote(session, revision, lines=drills(deal, 4))
    assert second.state == REVISED and session.get(QuoteOpportunity, revision.id).opportunity_id == deal.opportunity.id
    assert _lead(session, deal).expected_revenue == Decimal("700.00")
    quotes.cancel_quote(session, revision)
    assert _lead(session, deal).expected_revenue == Decimal("300.00")
    third = _quoted(session, deal, 1)
    assert _lead(session, deal).expected_revenue == Decimal("400.00")
    quotes.delete_quote(session, third)
    session.commit()
    assert _lead(session, deal).expected_revenue == Decimal("300.00")
    assert [order.id for order in quotes_of(session, _lead(session, deal))] == [first.id, second.id, revision.id]


def test_confirming_a_quotation_wins_its_opportunity_at_the_confirmation_and_cancels_the_alternatives(deal):
    session = deal.db.as_user(deal.ana)
    first = _quoted(session, deal, 3)
    other = quotes.mark_sent(session, _quoted(session, deal, 9))
    third = _quoted(session, deal, 5)
    quotes.cancel_quote(session, third)
    unrelated = quotes.create_quote(session, deal.company, partner_id=deal.customer.id, lines=drills(deal, 1))
    quotes.confirm_quote(session, first)
    session.commit()
    lead = _lead(session, deal)
    assert (first.state, other.state, third.state, unrelated.state) == (CONFIRMED, CANCELLED, CANCELLED, DRAFT)
    assert (lead.state, lead.stage_id, lead.probability) == (WON, deal.won.id, Decimal(100))
    assert lead.closed_at == first.confirmed_at
    assert lead.expected_revenue == Decimal("300.00")  # what was ordered, not the alternative still open


def test_when_every_quotation_is_declined_the_opportunity_stays_open(deal):
    session = deal.db.as_user(deal.ana)
    first = _quoted(session, deal, 3)
    second = _quoted(session, deal, 2)
    quotes.mark_sent(session, second)
    quotes.cancel_quote(session, first)
    assert not all_declined(quotes_of(session, _lead(session, deal)))
    quotes.expire_quotes(session, today=second.validity_date.replace(year=second.validity_date.year + 1))
    session.commit()
    lead = _lead(session, deal)
    assert lead.state == OPEN and all_declined(quotes_of(session, lead))


def test_a_salesperson_quotes_only_opportunities_they_may_read(deal):
    session = deal.db.as_user(deal.bruno)  # of the South team: ana's North opportunity is not his to read
    lead = deal.db.system().get(Lead, deal.opportunity.id)
    before = session.scalar(select(SaleOrder.id).order_by(SaleOrder.id.desc()).limit(1))
    with pytest.raises(ValidationError, match="may not read"):
        quote_from_opportunity(session, lead)
    session.rollback()
    assert session.scalar(select(SaleOrder.id).order_by(SaleOrder.id.desc()).limit(1)) == before


def test_an_opportunity_without_a_partner_is_refused_with_the_reason(deal):
    system = deal.db.system()
    lead = system.get(Lead, deal.opportunity.id)
    lead.partner_id = None
    system.flush()
    with pytest.raises(ValidationError, match="partner first"):
        quote_from_opportunity(system, lead)


def test_a_sales_manager_without_crm_rights_confirms_and_the_opportunity_is_won_all_the_same(deal):
    session = deal.db.as_user(deal.ana)
    order = _quoted(session, deal, 2)
    session.commit()
    manager = deal.db.as_user(deal.db.user("mia", groups=["sales.group_manager"]))
    quotes.confirm_quote(manager, manager.get(SaleOrder, order.id))
    manager.commit()
    assert deal.db.system().get(Lead, deal.opportunity.id).state == WON


def test_an_opportunity_reopened_after_its_order_stays_open_while_its_other_quotations_change(deal):
    session = deal.db.as_user(deal.ana)
    order = _quoted(session, deal, 2)
    quotes.confirm_quote(session, order)
    crm.reopen(session, _lead(session, deal))
    other = _quoted(session, deal, 7)
    quotes.update_quote(session, other, lines=drills(deal, 8))
    session.commit()
    lead = _lead(session, deal)
    assert (lead.state, lead.expected_revenue) == (OPEN, Decimal("200.00"))  # the order stands for the revenue


def test_a_teammate_who_reads_the_opportunity_quotes_it_as_themself(deal):
    carla = deal.db.user("carla", groups=["sales.group_salesperson", "crm.group_salesperson"])
    system = deal.db.system()
    north = system.get(Lead, deal.opportunity.id).team
    north.members.append(system.merge(carla))  # in CRM's North: she reads ana's opportunity
    system.commit()
    session = deal.db.as_user(carla)
    order = quote_from_opportunity(session, _lead(session, deal))
    session.commit()
    assert (order.user_id, order.partner_id) == (carla.id, deal.customer.id)
    assert session.get(QuoteOpportunity, order.id).opportunity_id == deal.opportunity.id


def test_declined_quotations_leave_the_expected_revenue_and_all_declined_or_cancelled_leaves_it_open(deal):
    session = deal.db.as_user(deal.ana)
    first = quotes.mark_sent(session, _quoted(session, deal, 3))
    second = quotes.mark_sent(session, _quoted(session, deal, 5))
    assert _lead(session, deal).expected_revenue == Decimal("800.00")
    decline_quote(session, second, reason="Too many drills")
    assert _lead(session, deal).expected_revenue == Decimal("300.00")
    assert not all_declined(quotes_of(session, _lead(session, deal)))
    quotes.cancel_quote(session, first)
    session.commit()
    lead = _lead(session, deal)
    assert lead.state == OPEN and all_declined(quotes_of(session, lead))
    revision = quotes.revise_quote(session, second)  # a declined quotation is revised into a new offer
    quotes.update_quote(session, revision, lines=drills(deal, 2))
    session.commit()
    assert not all_declined(quotes_of(session, _lead(session, deal)))
    assert _lead(session, deal).expected_revenue == Decimal("200.00")


def test_a_lost_opportunity_whose_quotation_is_accepted_is_reopened_and_won(deal):
    session = deal.db.as_user(deal.ana)
    order = quotes.mark_sent(session, _quoted(session, deal, 4))
    system = deal.db.system()
    reason = LostReason(company_id=deal.company, name="No budget")
    system.add(reason)
    system.commit()
    crm.mark_lost(session, _lead(session, deal), lost_reason_id=reason.id)
    session.commit()
    assert _lead(session, deal).state == LOST
    accept_quote(system, system.get(SaleOrder, order.id), name="Marta Gómez")  # the customer, on the public page
    system.commit()
    lead = deal.db.system().get(Lead, deal.opportunity.id)
    accepted = deal.db.system().get(SaleOrder, order.id)
    assert (lead.state, lead.lost_reason_id, lead.stage_id) == (WON, None, deal.won.id)
    assert lead.closed_at == accepted.confirmed_at and lead.expected_revenue == Decimal("400.00")
