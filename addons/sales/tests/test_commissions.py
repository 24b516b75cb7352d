"""Commission plans and statements: progressive bands against an independent computation, revenue and margin,
invoiced and paid (part payments pro rata, on the payment dates), credit notes, a personal plan winning over
the team's, confirming and cancelling, who may do what, the payroll hook, and bad plans refused."""
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import select

from addons.accounting.models import Invoice, Journal
from addons.accounting.services.crediting import credit_invoice
from addons.accounting.services.invoices import create_credit_note, post_invoice
from addons.accounting.services.payments import register_payment
from addons.accounting.services.years import create_fiscal_year
from addons.sales.models import (
    MARGIN,
    ON_PAYMENT,
    REVENUE,
    STATEMENT_CANCELLED,
    CommissionPlan,
    CommissionStatement,
)
from addons.sales.services.commission_plans import banded, save_plan
from addons.sales.services.commissions import cancel_statement, compute_statement, confirm_statement
from addons.sales.services.invoicing import invoice_orders
from addons.sales.services.quotes import confirm_quote, create_quote
from core.commissions import CommissionAmount
from core.errors import AccessDenied, ValidationError

MARCH, APRIL = (dt.date(2027, 3, 1), dt.date(2027, 3, 31)), (dt.date(2027, 4, 1), dt.date(2027, 4, 30))
DAY = dt.date(2027, 3, 10)
CENT = Decimal("0.01")
TWO_BANDS = [{"amount_from": "0", "amount_to": "100", "rate": "2"}, {"amount_from": "100", "rate": "4"}]


@pytest.fixture
def sales(shop):
    """The shop with an accountant who is a sales manager too (she invoices, posts and records payments)."""
    db = shop.db
    shop.bea = db.as_user(db.user("bea", groups=["sales.group_manager", "accounting.group_accountant"]))
    create_fiscal_year(shop.bea, shop.company.id, year=2027)
    shop.bea.commit()
    return shop


def plan(shop, bands=TWO_BANDS, **values):
    found = save_plan(shop.boss, shop.company.id, None, name=values.pop("name", "Plan"), bands=bands, **values)
    shop.boss.commit()
    return found


def invoiced_order(shop, user, lines, *, date=DAY, post=True):
    """A confirmed order of ``user``'s, invoiced (and posted) on ``date``: (order, invoice)."""
    session = shop.bea
    order = create_quote(session, shop.company.id, partner_id=shop.rossi.id, date_order=date, user_id=user.id,
                         lines=[{"product_id": product.id, "quantity": quantity, "tax_ids": [shop.vat.id]}
                                for product, quantity in lines])
    confirm_quote(session, order, today=date)
    invoice = invoice_orders(session, [order], date=date)
    if post:
        post_invoice(session, invoice)
    session.commit()
    return order, invoice


def pay(shop, invoice, amount, date):
    session = shop.bea
    bank = session.scalars(select(Journal).where(Journal.kind == "bank", Journal.company_id == shop.company.id)
                           .order_by(Journal.id)).first()
    register_payment(session, session.get(Invoice, invoice.id), journal=bank, date=date, amount=Decimal(amount))
    session.commit()


def statement(shop, user, period=MARCH, session=None):
    return compute_statement(session or shop.boss, shop.company.id, user_id=user.id, date_from=period[0],
                             date_to=period[1])


def independent_commission(base, bands):
    """Commission as the accumulated amount at the start of the band ``base`` falls in, plus that band's rate on
    what lies above its start (no band-by-band parts): unrounded."""
    accumulated, start = Decimal(0), []
    for band in bands:
        start.append(accumulated)
        if band["to"] is not None:
            accumulated += (band["to"] - band["from"]) * band["rate"] / 100
    for index, band in reversed(list(enumerate(bands))):
        if base >= band["from"]:
            return start[index] + (base - band["from"]) * band["rate"] / 100
    return base * bands[0]["rate"] / 100


@pytest.mark.parametrize("base", ["0", "0.01", "9999.99", "10000", "10000.01", "24999.50", "25000", "123456.78",
                                  "-1500"])
def test_progressive_bands_give_each_band_its_rate_on_the_part_inside_it(base):
    bands = [{"from": Decimal(0), "to": Decimal(10000), "rate": Decimal(2)},
             {"from": Decimal(10000), "to": Decimal(25000), "rate": Decimal("4.5")},
             {"from": Decimal(25000), "to": None, "rate": Decimal("7.25")}]
    base = Decimal(base)

    class Band:
        def __init__(self, band):
            self.amount_from, self.amount_to, self.rate = band["from"], band["to"], band["rate"]

    parts = banded(base, [Band(band) for band in bands])
    total = sum(part.amount for part in parts)
    exact = independent_commission(base, bands)
    assert abs(total - exact) <= Decimal("0.005") * len(bands)  # each band is rounded to the cent
    assert sum(part.base for part in parts) == base
    for part in parts:
        assert part.amount == (part.base * part.rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def test_revenue_is_the_untaxed_invoiced_amount_and_margin_its_margin(sales):
    shop = sales
    ana, bruno = shop.users["ana"], shop.users["bruno"]
    plan(shop, user_id=ana.id, base=REVENUE, name="Ana")
    plan(shop, user_id=bruno.id, base=MARGIN, name="Bruno")
    _order, invoice = invoiced_order(shop, ana, [(shop.drill, 2), (shop.saw, 3)])  # 200 + 60
    invoiced_order(shop, bruno, [(shop.drill, 2), (shop.saw, 3)])  # margin (100-60)*2 + (20-8)*3 = 116
    invoiced_order(shop, ana, [(shop.drill, 1)], date=dt.date(2027, 4, 2))  # April: not counted in March
    invoiced_order(shop, ana, [(shop.drill, 5)], post=False)  # a draft counts for nothing

    found = statement(shop, ana)
    assert [(d.number, d.customer, d.date, d.base) for d in found.documents] == [
        (invoice.number, "Rossi Arredamenti", DAY, Decimal("260.00"))]
    assert found.base == invoice.amount_untaxed == Decimal("260.00")
    assert [(part.base, part.amount) for part in found.bands] == [(Decimal(100), Decimal("2.00")),
                                                                  (Decimal(160), Decimal("6.40"))]
    assert found.amount == Decimal("8.40")
    margin = statement(shop, bruno)
    assert margin.base == Decimal("116.00") and margin.amount == Decimal("2.00") + Decimal("0.64")


def test_when_paid_a_part_payment_counts_pro_rata_on_its_date(sales):
    shop = sales
    ana = shop.users["ana"]
    plan(shop, user_id=ana.id, trigger=ON_PAYMENT)
    _order, invoice = invoiced_order(shop, ana, [(shop.drill, 2), (shop.saw, 3)])  # 260 + 20% VAT = 312
    assert statement(shop, ana).documents == []  # invoiced, nothing paid yet

    pay(shop, invoice, "78.00", dt.date(2027, 3, 20))  # a quarter of 312
    march = statement(shop, ana)
    assert [(d.date, d.share, d.base) for d in march.documents] == [(dt.date(2027, 3, 20), Decimal(25),
                                                                     Decimal("65.00"))]
    pay(shop, invoice, "234.00", dt.date(2027, 4, 5))
    assert statement(shop, ana).base == Decimal("65.00")  # March does not move
    april = statement(shop, ana, APRIL)
    assert [(d.share, d.base) for d in april.documents] == [(Decimal(75), Decimal("195.00"))]
    assert april.amount == Decimal("2.00") + (Decimal(95) * 4 / 100).quantize(CENT)


def test_a_credit_note_lowers_the_base_when_invoiced_and_when_paid(sales):
    shop = sales
    ana, bruno = shop.users["ana"], shop.users["bruno"]
    plan(shop, user_id=ana.id, name="Ana")
    plan(shop, user_id=bruno.id, trigger=ON_PAYMENT, name="Bruno")
    _order, invoice = invoiced_order(shop, ana, [(shop.drill, 2), (shop.saw, 3)])
    _order, paid = invoiced_order(shop, bruno, [(shop.drill, 1)])
    session = shop.bea
    partial = create_credit_note(session, session.get(Invoice, invoice.id), date=dt.date(2027, 3, 12), lines=[
        {"description": line.description, "product_id": line.product_id, "quantity": 1,
         "unit_price": line.unit_price, "tax_ids": [shop.vat.id], "account_id": line.account_id}
        for line in session.get(Invoice, invoice.id).lines if line.product_id == shop.drill.id])
    post_invoice(session, partial)
    session.commit()
    found = statement(shop, ana)
    assert [(d.number, d.base) for d in found.documents] == [(invoice.number, Decimal("260.00")),
                                                            (partial.number, Decimal("-100.00"))]
    assert found.base == Decimal("160.00")

    # when paid: paid in full in March, credited in full in April; April takes the commission back
    pay(shop, paid, "120.00", dt.date(2027, 3, 15))
    assert statement(shop, bruno).base == Decimal("100.00")
    post_invoice(session, create_credit_note(session, session.get(Invoice, paid.id), date=dt.date(2027, 4, 3)))
    session.commit()
    april = statement(shop, bruno, APRIL)
    assert [(d.share, d.base) for d in april.documents] == [(Decimal(-100), Decimal("-100.00"))]
    assert april.amount == Decimal("-2.00")  # taken back at the first band's rate


def test_a_salespersons_own_plan_wins_over_their_teams(sales):
    shop = sales
    ana, bruno, carla = shop.users["ana"], shop.users["bruno"], shop.users["carla"]
    plan(shop, team_id=shop.north.id, name="North", bands=[{"amount_from": 0, "rate": 1}])
    plan(shop, user_id=ana.id, name="Ana's own", bands=[{"amount_from": 0, "rate": 5}])
    for user in (ana, bruno, carla):
        invoiced_order(shop, user, [(shop.drill, 1)])
    assert (statement(shop, ana).plan_name, statement(shop, ana).amount) == ("Ana's own", Decimal("5.00"))
    assert (statement(shop, bruno).plan_name, statement(shop, bruno).amount) == ("North", Decimal("1.00"))
    with pytest.raises(ValidationError, match="Carla has no commission plan") as refused:
        statement(shop, carla)
    assert refused.value.field == "user_id"


def test_a_confirmed_statement_keeps_its_figures_refuses_a_second_and_can_be_cancelled(sales):
    shop = sales
    ana = shop.users["ana"]
    plan(shop, user_id=ana.id)
    _order, invoice = invoiced_order(shop, ana, [(shop.drill, 2)])
    confirmed = confirm_statement(shop.boss, shop.company.id, user_id=ana.id, date_from=MARCH[0],
                                  date_to=MARCH[1])
    shop.boss.commit()
    assert (confirmed.base_amount, confirmed.amount, confirmed.reference) == (Decimal("200.00"), Decimal("6.00"),
                                                                                "COM/2027/00001")
    assert [(line.number, line.base_amount) for line in confirmed.lines] == [(invoice.number, Decimal("200.00"))]
    assert [(band.rate, band.base_amount, band.amount) for band in confirmed.bands] == [
        (Decimal(2), Decimal(100), Decimal("2.00")), (Decimal(4), Decimal(100), Decimal("4.00"))]

    session = shop.bea
    credit_invoice(session, session.get(Invoice, invoice.id), reason="Returned", date=dt.date(2027, 3, 30))
    session.commit()
    assert statement(shop, ana).base == 0  # the preview follows the invoices...
    shop.boss.expire_all()
    kept = shop.boss.get(CommissionStatement, confirmed.id)
    assert (kept.base_amount, kept.amount, len(kept.lines)) == (Decimal("200.00"), Decimal("6.00"), 1)  # ...not it

    for period in (MARCH, (dt.date(2027, 3, 15), dt.date(2027, 4, 15))):
        with pytest.raises(ValidationError, match="COM/2027/00001 already pays Ana's commission"):
            confirm_statement(shop.boss, shop.company.id, user_id=ana.id, date_from=period[0], date_to=period[1])
    cancel_statement(shop.boss, kept)
    assert kept.state == STATEMENT_CANCELLED
    with pytest.raises(ValidationError, match="cancelled already"):
        cancel_statement(shop.boss, kept)
    again = confirm_statement(shop.boss, shop.company.id, user_id=ana.id, date_from=MARCH[0], date_to=MARCH[1])
    assert (again.reference, again.amount, len(again.lines)) == ("COM/2027/00002", Decimal(0), 2)


def test_a_salesperson_sees_only_their_own_statements_and_confirms_nothing(sales):
    shop = sales
    ana, bruno = shop.users["ana"], shop.users["bruno"]
    plan(shop, team_id=shop.north.id)
    invoiced_order(shop, ana, [(shop.drill, 1)])
    assert statement(shop, ana, session=shop.ana).amount == Decimal("2.00")
    with pytest.raises(AccessDenied):
        statement(shop, bruno, session=shop.ana)
    with pytest.raises(AccessDenied, match="Only a sales manager"):
        confirm_statement(shop.ana, shop.company.id, user_id=ana.id, date_from=MARCH[0], date_to=MARCH[1])
    with pytest.raises(AccessDenied):
        save_plan(shop.ana, shop.company.id, None, name="Mine", user_id=ana.id, bands=[{"rate": 50}])
    shop.ana.rollback()
    for user in (ana, bruno):
        confirm_statement(shop.boss, shop.company.id, user_id=user.id, date_from=MARCH[0], date_to=MARCH[1])
    shop.boss.commit()
    assert [row.user_id for row in shop.ana.scalars(select(CommissionStatement))] == [ana.id]
    with pytest.raises(AccessDenied):
        shop.ana.scalars(select(CommissionPlan)).all()
    with pytest.raises(AccessDenied):
        cancel_statement(shop.ana, shop.ana.scalars(select(CommissionStatement)).one())


def test_payroll_reads_the_confirmed_amounts_through_the_hook(sales):
    shop = sales
    ana, bruno = shop.users["ana"], shop.users["bruno"]
    plan(shop, team_id=shop.north.id)
    for user in (ana, bruno):
        invoiced_order(shop, user, [(shop.drill, 1)])
    invoiced_order(shop, ana, [(shop.drill, 2)], date=dt.date(2027, 4, 8))
    for user, period in ((ana, MARCH), (bruno, MARCH), (ana, APRIL)):
        confirm_statement(shop.boss, shop.company.id, user_id=user.id, date_from=period[0], date_to=period[1])
    cancel_statement(shop.boss, shop.boss.scalars(select(CommissionStatement).where(
        CommissionStatement.user_id == bruno.id)).one())
    shop.boss.commit()
    answers = shop.db.registry.pm.hook.commission_amounts(
        session=shop.db.system(), company_id=shop.company.id, date_from=MARCH[0], date_to=MARCH[1])
    found = [amount for answer in answers for amount in answer]
    assert found == [CommissionAmount(user_id=ana.id, date_from=MARCH[0], date_to=MARCH[1],
                                      amount=Decimal("2.00"), currency_code="EUR", reference="COM/2027/00001")]
    with pytest.raises(AttributeError):
        found[0].amount = Decimal(0)  # frozen


@pytest.mark.parametrize(("bands", "message", "where"), [
    ([], "needs at least one band", "bands"),
    ([{"amount_from": 0, "rate": 150}], "Line 1: .*100", "lines-0-rate"),
    ([{"amount_from": 0, "amount_to": 100}], "Band 1: give its rate", "lines-0-rate"),
    ([{"amount_from": 0, "amount_to": 100, "rate": 2}, {"amount_from": 80, "rate": 4}],
     "Band 2 starts at 80, inside band 1 which ends at 100: bands must not overlap", "lines-1-amount_from"),
    ([{"amount_from": 0, "amount_to": 100, "rate": 2}, {"amount_from": 120, "rate": 4}],
     "Band 2 starts at 120 but band 1 ends at 100", "lines-1-amount_from"),
    ([{"amount_from": 10, "rate": 2}], "Band 1 starts at 10", "lines-0-amount_from"),
    ([{"amount_from": 0, "amount_to": 100, "rate": 2}], "The last band \\(1\\) ends at 100", "lines-0-amount_to"),
    ([{"amount_from": 0, "rate": 2}, {"amount_from": 100, "rate": 4}], "Band 1 has no upper end",
     "lines-0-amount_to"),
    ([{"amount_from": 0, "amount_to": 0, "rate": 2}, {"amount_from": 0, "rate": 4}], "Band 1 ends at 0",
     "lines-0-amount_to"),
])
def test_bad_bands_are_refused_with_where_and_nothing_is_written(sales, bands, message, where):
    shop = sales
    with pytest.raises(ValidationError, match=message) as refused:
        save_plan(shop.boss, shop.company.id, None, name="Bad", user_id=shop.users["ana"].id, bands=bands)
    assert refused.value.field == where
    shop.boss.rollback()
    assert shop.boss.scalars(select(CommissionPlan)).all() == []


def test_a_plan_is_for_one_salesperson_or_one_team_and_one_at_a_time(sales):
    shop = sales
    ana = shop.users["ana"]
    with pytest.raises(ValidationError, match="a salesperson or for a sales team"):
        save_plan(shop.boss, shop.company.id, None, name="Both", user_id=ana.id, team_id=shop.north.id,
                  bands=TWO_BANDS)
    with pytest.raises(ValidationError, match="a salesperson or for a sales team"):
        save_plan(shop.boss, shop.company.id, None, name="Nobody", bands=TWO_BANDS)
    first = plan(shop, user_id=ana.id, name="First")
    with pytest.raises(ValidationError, match="“First” is already the active commission plan"):
        save_plan(shop.boss, shop.company.id, None, name="Second", user_id=ana.id, bands=TWO_BANDS)
    save_plan(shop.boss, shop.company.id, first, name="First", user_id=ana.id, active=False, bands=TWO_BANDS)
    second = save_plan(shop.boss, shop.company.id, None, name="Second", user_id=ana.id, bands=TWO_BANDS)
    assert [band.rate for band in second.bands] == [Decimal(2), Decimal(4)]


def test_a_period_that_ends_before_it_starts_is_refused(sales):
    shop = sales
    with pytest.raises(ValidationError, match="ends .* before it starts") as refused:
        compute_statement(shop.boss, shop.company.id, user_id=shop.users["ana"].id, date_from=MARCH[1],
                          date_to=MARCH[0])
    assert refused.value.field == "date_to"
