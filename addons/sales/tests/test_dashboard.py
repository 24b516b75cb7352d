"""The sales dashboard's figures, against the same figures computed here from the orders the services made: revenue
and margin by month, salesperson, product and customer, conversion, deal size and cycle time (in the company's
currency); a salesperson counts only the orders they may read; a bad period or team is refused by name."""
import datetime as dt
import statistics
from collections import defaultdict
from decimal import Decimal

import pytest
from sqlalchemy import delete, select, update

from addons.accounting.models import CurrencyRate
from addons.contacts.services import create_partner
from addons.products.services import create_product
from addons.sales.models import CONFIRMED, SaleOrder
from addons.sales.services import dashboard as figures
from addons.sales.services.acceptance import decline_quote
from addons.sales.services.quotes import cancel_quote, confirm_quote, create_quote, expire_quotes, mark_sent
from core.errors import ValidationError

TODAY = dt.date.today()
START, END = figures.last_twelve_months(TODAY)


def _days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


@pytest.fixture
def sales(shop):
    """Ana (team North) and Carla (team South) confirm orders over three months (and one long ago); other
    quotations are declined, cancelled, expired or still open."""
    def confirmed(session, partner, lines, days_ago, quoted_before, **values):
        order = create_quote(session, shop.company.id, partner_id=partner.id,
                             date_order=_days_ago(days_ago + quoted_before), lines=lines, **values)
        confirm_quote(session, order, today=order.date_order)
        session.commit()
        system = shop.db.system()  # the service stamps the current time: set it back
        system.execute(update(SaleOrder).where(SaleOrder.id == order.id).values(
            confirmed_at=dt.datetime.combine(_days_ago(days_ago), dt.time(10))))
        system.commit()
        return order

    confirmed(shop.ana, shop.iberica, [{"product_id": shop.drill.id, "quantity": 2}], 5, 3)
    confirmed(shop.ana, shop.rossi, [{"product_id": shop.saw.id, "quantity": 10},
                                     {"product_id": shop.bolts.id, "quantity": 100}], 40, 10)
    confirmed(shop.carla, shop.rossi, [{"product_id": shop.drill.id, "quantity": 1},
                                       {"product_id": shop.saw.id, "quantity": 5, "optional": True}], 70, 0)
    confirmed(shop.carla, shop.iberica, [{"description": "Installation", "quantity": 1, "unit_price": 250}], 12, 7)
    confirmed(shop.ana, shop.rossi, [{"product_id": shop.drill.id}], 500, 1)  # before the period
    sent = mark_sent(shop.ana, create_quote(shop.ana, shop.company.id, partner_id=shop.rossi.id,
                                            date_order=_days_ago(20), lines=[{"product_id": shop.saw.id}]),
                     today=TODAY)
    shop.ana.commit()
    system = shop.db.system()
    decline_quote(system, system.get(SaleOrder, sent.id), reason="Too dear")
    system.commit()
    cancel_quote(shop.carla, create_quote(shop.carla, shop.company.id, partner_id=shop.rossi.id,
                                          date_order=_days_ago(30), lines=[{"product_id": shop.saw.id}]))
    shop.carla.commit()
    create_quote(shop.ana, shop.company.id, partner_id=shop.iberica.id, date_order=_days_ago(50),
                 validity_date=_days_ago(35), lines=[{"product_id": shop.bolts.id}])
    create_quote(shop.ana, shop.company.id, partner_id=shop.iberica.id, date_order=_days_ago(2),
                 lines=[{"product_id": shop.saw.id}])  # still open: not in the conversion
    shop.ana.commit()
    expire_quotes(system, today=TODAY)
    system.commit()
    return shop


def _orders(session, found, states=(CONFIRMED,)):
    """The orders ``session`` reads, loaded one by one, for computing the figures here."""
    return [order for order in session.scalars(select(SaleOrder).where(SaleOrder.state.in_(states)))
            if order.company_id == found.company_id
            and (found.team_id is None or order.team_id == found.team_id)]


def _in_period(order, found) -> bool:
    return found.date_from <= order.confirmed_at.date() <= found.date_to


def _expected(session, found):
    """Every figure of the dashboard, computed in Python over the orders (as the database has them now)."""
    session.expire_all()
    orders = [order for order in _orders(session, found) if _in_period(order, found)]
    months, people, products, customers = (defaultdict(lambda: [Decimal(0), Decimal(0), set()]) for _ in range(4))

    def add(groups, key, revenue, margin, order_id):
        groups[key][0] += revenue
        groups[key][1] += margin
        groups[key][2].add(order_id)

    for order in orders:
        add(months, order.confirmed_at.strftime("%Y-%m"), order.amount_untaxed, order.margin, order.id)
        add(people, order.user.name, order.amount_untaxed, order.margin, order.id)
        add(customers, order.partner.name, order.amount_untaxed, order.margin, order.id)
        for line in order.lines:
            if line.kind == "product" and not line.optional:
                add(products, line.product.name if line.product else "Lines without a product", line.subtotal,
                    line.margin, order.id)
    ended = [order for order in _orders(session, found, ("confirmed", "declined", "cancelled", "expired"))
             if found.date_from <= order.date_order <= found.date_to]
    days = [(order.confirmed_at.date() - order.date_order).days for order in orders]
    return {
        "revenue": sum((order.amount_untaxed for order in orders), Decimal(0)),
        "margin": sum((order.margin for order in orders), Decimal(0)),
        "orders": len(orders), "months": months, "people": people, "products": products, "customers": customers,
        "ended": len(ended), "confirmed": sum(order.state == CONFIRMED for order in ended),
        "average": Decimal(sum(days) / len(days)).quantize(Decimal("0.1")) if days else None,
        "median": Decimal(str(statistics.median(days))).quantize(Decimal("0.1")) if days else None,
    }


def _as_dict(rows):
    return {row.label: (row.revenue, row.margin, row.orders) for row in rows}


def _groups(groups):
    return {key: (revenue, margin, len(ids)) for key, (revenue, margin, ids) in groups.items()}


def _check(session, found):
    shown = figures.dashboard(session, found)
    expected = _expected(session, found)
    assert (shown.total.revenue, shown.total.margin, shown.total.orders) == (
        expected["revenue"], expected["margin"], expected["orders"])
    months = _as_dict(shown.by_month)
    assert (shown.by_month[0].label, shown.by_month[-1].label) == (found.date_from.strftime("%Y-%m"),
                                                                   found.date_to.strftime("%Y-%m"))
    assert {key: value for key, value in months.items() if value[2]} == _groups(expected["months"])
    assert _as_dict(shown.by_salesperson) == _groups(expected["people"])
    assert _as_dict(shown.by_product) == _groups(expected["products"])
    assert _as_dict(shown.top_customers) == _groups(expected["customers"])
    assert [row.revenue for row in shown.by_salesperson] == sorted((row.revenue for row in shown.by_salesperson),
                                                                   reverse=True)
    assert (shown.conversion.ended, shown.conversion.confirmed) == (expected["ended"], expected["confirmed"])
    assert shown.conversion.rate == (Decimal(expected["confirmed"] * 100) / expected["ended"]).quantize(
        Decimal("0.1"))
    assert shown.deal_size == (expected["revenue"] / expected["orders"]).quantize(Decimal("0.01"))
    assert (shown.cycle.average, shown.cycle.median) == (expected["average"], expected["median"])
    return shown, expected


def test_a_manager_s_figures_are_those_of_every_order_of_the_period(sales):
    found = figures.period(sales.boss, sales.company.id, date_from=START, date_to=END)
    shown, _expected_figures = _check(sales.boss, found)
    assert len(shown.by_month) == 12 and shown.total.orders == 4
    assert shown.conversion.ended == 7  # the 4 orders, and a quotation declined, one cancelled, one expired
    assert {row.label for row in shown.by_product} == {"Drill 18 V", "Hand saw", "Bolt M6",
                                                       "Lines without a product"}


def test_a_team_s_figures(sales):
    found = figures.period(sales.boss, sales.company.id, date_from=START, date_to=END, team_id=sales.south.id)
    shown, _expected_figures = _check(sales.boss, found)
    assert [row.label for row in shown.by_salesperson] == ["Carla"]


def test_a_salesperson_counts_only_the_orders_they_may_read(sales):
    found = figures.period(sales.carla, sales.company.id, date_from=START, date_to=END)
    shown, _expected_figures = _check(sales.carla, found)
    everything = figures.dashboard(sales.boss, found)
    assert [row.label for row in shown.by_salesperson] == ["Carla"]
    assert shown.total.orders == 2 < everything.total.orders
    assert shown.conversion.ended == 3  # her two orders and her cancelled quotation


def test_a_short_period_and_one_without_orders(sales):
    found = figures.period(sales.boss, sales.company.id, date_from=_days_ago(45), date_to=_days_ago(10))
    shown, _expected_figures = _check(sales.boss, found)
    assert shown.total.orders == 2
    empty = figures.dashboard(sales.boss, figures.period(sales.boss, sales.company.id, date_from=dt.date(2001, 1, 1),
                                                         date_to=dt.date(2001, 2, 28)))
    assert (empty.total.orders, empty.deal_size, empty.cycle.average, empty.conversion.rate) == (0, None, None, None)
    assert [row.label for row in empty.by_month] == ["2001-01", "2001-02"]


def test_orders_in_another_currency_count_at_their_quotation_date_s_rate(shop):
    system = shop.db.system()
    quoted = _days_ago(3)
    system.add(CurrencyRate(company_id=shop.company.id, currency_code="USD", date=quoted - dt.timedelta(days=10),
                            rate=Decimal("0.5")))
    system.add(CurrencyRate(company_id=shop.company.id, currency_code="USD", date=quoted, rate=Decimal("0.9")))
    system.commit()
    dollars = create_quote(shop.boss, shop.company.id, partner_id=shop.rossi.id, date_order=quoted,
                           currency_code="USD", lines=[{"product_id": shop.saw.id, "quantity": 3, "unit_price": 30}])
    euros = create_quote(shop.boss, shop.company.id, partner_id=shop.iberica.id, date_order=quoted,
                         lines=[{"product_id": shop.saw.id, "quantity": 1}])
    for order in (dollars, euros):
        confirm_quote(shop.boss, order, today=quoted)
    shop.boss.commit()
    found = figures.period(shop.boss, shop.company.id, date_from=START, date_to=END)
    shown = figures.dashboard(shop.boss, found)
    assert shown.currency == "EUR"
    assert shown.total.revenue == (dollars.amount_untaxed * Decimal("0.9") + euros.amount_untaxed).quantize(
        Decimal("0.01"))
    assert shown.total.margin == (dollars.margin * Decimal("0.9") + euros.margin).quantize(Decimal("0.01"))
    assert shown.unconverted == 0
    system.execute(delete(CurrencyRate).where(CurrencyRate.company_id == shop.company.id,
                                              CurrencyRate.currency_code == "USD"))
    system.commit()
    left = figures.dashboard(shop.boss, found)
    assert (left.unconverted, left.total.orders, left.total.revenue) == (1, 1, euros.amount_untaxed)


def test_only_the_current_company_s_orders_count(sales):
    other = sales.db.company("Other Ltd")
    manager = sales.db.user("both", groups=["sales.group_manager"], companies=[sales.company, other])
    session = sales.db.as_user(manager, company_ids=[sales.company.id, other.id])
    found = figures.period(session, sales.company.id, date_from=START, date_to=END)
    before = figures.dashboard(session, found).total
    system = sales.db.system()
    moved = system.scalars(select(SaleOrder).where(SaleOrder.state == CONFIRMED).order_by(SaleOrder.id)).first()
    system.execute(update(SaleOrder).where(SaleOrder.id == moved.id).values(company_id=other.id))
    system.commit()
    assert figures.dashboard(session, found).total.orders == before.orders - 1


def test_customers_tied_at_the_last_place_of_the_ranking_are_told_apart_by_name(shop):
    alfa = create_partner(shop.boss, shop.company.id, name="Alfa Ceramiche", is_company=True)  # the newest
    for partner in (shop.rossi, shop.iberica, alfa):  # the same revenue each
        order = create_quote(shop.boss, shop.company.id, partner_id=partner.id,
                             lines=[{"product_id": shop.saw.id, "quantity": 2}])
        confirm_quote(shop.boss, order)
    shop.boss.commit()
    found = figures.period(shop.boss, shop.company.id, date_from=START, date_to=END)
    currency = shop.company.currency_code
    assert [row.label for row in figures.top_customers(shop.boss, found, currency, limit=2)] == [
        "Alfa Ceramiche", "Ferretería Ibérica S.L."]
    assert [row.label for row in figures.top_customers(shop.boss, found, currency, limit=3)][-1] == "Rossi Arredamenti"


@pytest.mark.parametrize(("values", "field", "words"), [
    ({"date_from": TODAY, "date_to": TODAY - dt.timedelta(days=1)}, "date_from", "after it ends"),
    ({"date_from": START, "date_to": END, "team_id": 999999}, "team_id", "no sales team 999999"),
])
def test_a_bad_period_or_team_is_refused_by_name(shop, values, field, words):
    with pytest.raises(ValidationError) as refused:
        figures.period(shop.boss, shop.company.id, **values)
    assert refused.value.field == field and words in str(refused.value)


def _web_shop(web):
    """A salesperson and a manager with one confirmed order each (through the services)."""
    system = web.db.system()
    company = web.db.main_company
    drill = create_product(system, company.id, code="DRILL", name="Drill 18 V", list_price=Decimal(100),
                           cost=Decimal(60))
    customer = create_partner(system, company.id, name="Rossi Arredamenti", is_company=True)
    system.commit()
    ana = web.db.user("ana", groups=["sales.group_salesperson"])
    boss = web.db.user("boss", groups=["sales.group_manager"])
    for user, quantity in ((ana, 1), (boss, 3)):
        session = web.db.as_user(user)
        order = create_quote(session, company.id, partner_id=customer.id, lines=[
            {"product_id": drill.id, "quantity": quantity}])
        confirm_quote(session, order)
        session.commit()
    return drill, customer


def test_the_page_shows_the_figures_the_user_may_read(web):
    _web_shop(web)
    boss = web.client()
    boss.login("boss")
    page = boss.get("/sales/dashboard")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "€400.00" in text and "Conversion rate" in text and "Rossi Arredamenti" in text
    ana = web.client()
    ana.login("ana")
    text = ana.get("/sales/dashboard").get_data(as_text=True)
    assert "€100.00" in text and "€400.00" not in text and "€300.00" not in text
    home = ana.get("/").get_data(as_text=True)
    assert "/sales/dashboard" in home and "€100.00" in home


@pytest.mark.parametrize(("query", "words"), [
    ("from=2026-13-45", "2026-13-45 is not a date"),
    ("to=yesterday", "yesterday is not a date"),
    ("team=999999", "no sales team 999999"),
    ("team=abc", "team"),
    ("from=2027-05-01&to=2027-04-01", "after it ends"),
])
def test_bad_filters_get_a_message_not_an_error_page(web, query, words):
    _web_shop(web)
    boss = web.client()
    boss.login("boss")
    page = boss.get(f"/sales/dashboard?{query}")
    assert page.status_code in (400, 422)
    assert words in page.get_data(as_text=True)
