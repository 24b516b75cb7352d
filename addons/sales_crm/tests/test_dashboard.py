"""What CRM adds to the sales dashboard: the acquisition cost per campaign and the customers' lifetime value,
against the same figures computed here from the orders the services made; a campaign that won nobody says so
instead of dividing by zero; sales alone has no CRM section."""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from addons.contacts.services import create_partner
from addons.crm import services as crm
from addons.crm.models import Campaign, Lead
from addons.sales.models import CONFIRMED, SaleOrder
from addons.sales.services import dashboard as figures
from addons.sales.services.quotes import confirm_quote, create_quote, update_quote
from addons.sales_crm.dashboard import sections
from addons.sales_crm.models import QuoteOpportunity
from addons.sales_crm.services import quote_from_opportunity
from core.lifecycle import Lifecycle
from core.testing import initialized_database

from .conftest import drills

TODAY = dt.date.today()
START, END = figures.last_twelve_months(TODAY)
CENT = Decimal("0.01")


def _days_ago(days: int) -> dt.datetime:
    return dt.datetime.combine(TODAY - dt.timedelta(days=days), dt.time(9))


def _set_confirmed_at(deal, order, days_ago):
    system = deal.db.system()  # the service stamps the current time: set it back
    system.execute(update(SaleOrder).where(SaleOrder.id == order.id).values(confirmed_at=_days_ago(days_ago)))
    system.commit()


@pytest.fixture
def campaigns(deal):
    """Spring (sent this period) wins two new customers; the Fair (sent this period) only sells again to a
    customer of old; Winter (sent long ago) wins one new customer this period; one customer came by no campaign."""
    system = deal.db.system()
    made = {name: Campaign(company_id=deal.company, name=name, cost=Decimal(cost), state="sent",
                           sent_at=_days_ago(days))
            for name, cost, days in (("Spring", "1000.00", 30), ("Fair", "500.00", 20), ("Winter", "300.00", 700))}
    system.add_all(made.values())
    system.commit()
    session = deal.db.as_user(deal.ana)

    def customer(name):
        return create_partner(system, deal.company, name=name, is_company=True)

    def sold(partner, quantity, days_ago, campaign=None):
        if campaign is None:
            order = create_quote(session, deal.company, partner_id=partner.id, lines=drills(deal, quantity),
                                 date_order=_days_ago(days_ago + 2).date())
        else:
            lead = crm.create_lead(system, deal.company, name=f"{partner.name} ({campaign})", partner_id=partner.id,
                                   user_id=deal.ana.id, stage_id=deal.first.id, campaign_id=made[campaign].id)
            system.commit()
            order = quote_from_opportunity(session, session.get(Lead, lead.id))
            update_quote(session, order, lines=drills(deal, quantity), date_order=_days_ago(days_ago + 2).date())
        confirm_quote(session, order, today=order.date_order)
        session.commit()
        _set_confirmed_at(deal, order, days_ago)
        return order

    old, first, second, third, plain = (customer(name) for name in ("Old Co", "First Co", "Second Co", "Third Co",
                                                                    "Plain Co"))
    sold(old, 1, 600)
    sold(old, 2, 15, "Fair")
    sold(first, 3, 25, "Spring")
    sold(first, 1, 5)
    sold(second, 2, 10, "Spring")
    sold(third, 4, 40, "Winter")
    sold(plain, 1, 8)
    return made


def _expected(session, period):
    """CAC and CLV computed here, from every confirmed order loaded one by one (as the database has them now)."""
    session.expire_all()
    orders = sorted(session.scalars(select(SaleOrder).where(SaleOrder.state == CONFIRMED)),
                    key=lambda order: order.confirmed_at)
    end = dt.datetime.combine(period.date_to + dt.timedelta(days=1), dt.time())
    start = dt.datetime.combine(period.date_from, dt.time())
    first, margin = {}, defaultdict(Decimal)
    for order in orders:
        if order.confirmed_at < end:
            first.setdefault(order.partner_id, order)
            margin[order.partner_id] += order.margin

    def campaign_of(order):
        link = session.get(QuoteOpportunity, order.id)
        return link.opportunity.campaign.name if link and link.opportunity.campaign else None

    new = defaultdict(int)
    for order in first.values():
        if order.confirmed_at >= start and campaign_of(order):
            new[campaign_of(order)] += 1
    clv = defaultdict(lambda: [0, Decimal(0)])
    for partner_id, order in first.items():
        clv[campaign_of(order) or "No campaign"][0] += 1
        clv[campaign_of(order) or "No campaign"][1] += margin[partner_id]
    return new, clv


def test_acquisition_cost_and_lifetime_value(deal, campaigns):
    session = deal.db.as_user(deal.ana)
    period = figures.period(session, deal.company, date_from=START, date_to=END)
    cac, clv = sections(session, session.info["actor"], deal.company, START, END, None)
    new, values = _expected(session, period)
    rows = {row.campaign: row for row in cac.report.rows}
    assert set(rows) == {"Spring", "Fair", "Winter"}
    assert (rows["Spring"].cost, rows["Spring"].new_customers, rows["Spring"].cac) == (
        Decimal("1000.00"), new["Spring"], (Decimal(1000) / new["Spring"]).quantize(CENT))
    assert new["Spring"] == 2
    assert (rows["Fair"].cost, rows["Fair"].new_customers, rows["Fair"].cac) == (
        Decimal("500.00"), 0, "No new customers")  # no division by zero
    assert (rows["Winter"].cost, rows["Winter"].new_customers, rows["Winter"].cac) == (Decimal(0), 1, Decimal(0))
    label, totals = cac.report.totals[0]
    assert totals == {"cost": Decimal("1500.00"), "new_customers": 3, "cac": Decimal("500.00")}
    shown = {row.acquired_through: (row.customers, row.margin, row.clv) for row in clv.report.rows}
    assert shown == {name: (count, margin, (margin / count).quantize(CENT))
                     for name, (count, margin) in values.items()}
    assert shown["No campaign"][0] == 2  # Old Co and Plain Co
    label, totals = clv.report.totals[0]
    customers, margin = sum(c for c, _m in values.values()), sum(m for _c, m in values.values())
    assert totals == {"customers": customers, "margin": margin, "clv": (margin / customers).quantize(CENT)}
    assert len(cac.explanations) == 2 and clv.explanations


def test_a_period_without_campaigns_nor_new_customers(deal, campaigns):
    session = deal.db.as_user(deal.ana)
    day = TODAY - dt.timedelta(days=400)
    cac, clv = sections(session, session.info["actor"], deal.company, day, day, None)
    assert cac.report.rows == [] and cac.report.totals == [] and "No campaign was sent" in cac.empty
    assert [(row.acquired_through, row.customers) for row in clv.report.rows] == [("No campaign", 1)]  # Old Co


def test_a_salesperson_of_another_team_counts_nothing(deal, campaigns):
    session = deal.db.as_user(deal.bruno)
    cac, clv = sections(session, session.info["actor"], deal.company, START, END, None)
    assert [row.new_customers for row in cac.report.rows] == [0, 0]  # the campaigns sent, won from by nobody
    assert clv.report.rows == []


def test_the_page_shows_the_sections_with_their_explanations(web):
    from .conftest import make_deal

    deal = make_deal(web.db)
    system = web.db.system()
    system.add(Campaign(company_id=deal.company, name="Spring", cost=Decimal("800.00"), state="sent",
                        sent_at=_days_ago(3)))
    system.commit()
    client = web.client()
    client.login("ana")
    text = client.get("/sales/dashboard").get_data(as_text=True)
    assert "Customer acquisition cost by campaign" in text and "Customer lifetime value" in text
    assert "No new customers" in text and "800.00" in text


@pytest.mark.parametrize("sales_first", [True, False], ids=["sales first", "crm first"])
def test_sales_alone_has_no_crm_section(fresh_url, catalog, sales_first):
    engine = initialized_database(fresh_url, catalog, ["sales" if sales_first else "crm"])
    try:
        lifecycle = Lifecycle(engine, catalog)
        answering = {impl.plugin_name for impl in lifecycle.registry().pm.hook.sales_dashboard_sections
                     .get_hookimpls()}
        assert answering == set()
        lifecycle.run(lifecycle.plan_install(["crm" if sales_first else "sales"]))
        lifecycle = Lifecycle(engine, catalog)
        assert {impl.plugin_name for impl in lifecycle.registry().pm.hook.sales_dashboard_sections
                .get_hookimpls()} == {"sales_crm"}
        lifecycle.run(lifecycle.plan_uninstall("crm"))
        lifecycle = Lifecycle(engine, catalog)
        assert "sales" in lifecycle.registry().installed
        assert lifecycle.registry().pm.hook.sales_dashboard_sections.get_hookimpls() == []
    finally:
        engine.dispose()
