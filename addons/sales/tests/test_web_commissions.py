"""The commission pages: a sales manager keeps the plans (bad bands refused on the form), reads a salesperson's
statement for a period and confirms or cancels it; a salesperson reads only their own, and their crafted
requests are refused."""
import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from addons.accounting.services.invoices import post_invoice
from addons.accounting.services.years import create_fiscal_year
from addons.contacts.services import create_partner
from addons.products.services import create_product
from addons.sales.models import STATEMENT_CANCELLED, CommissionPlan, CommissionStatement, SalesTeam
from addons.sales.services.commission_plans import save_plan
from addons.sales.services.invoicing import invoice_orders
from addons.sales.services.quotes import confirm_quote, create_quote

DAY = dt.date(2027, 3, 10)
PERIOD = "date_from=2027-03-01&date_to=2027-03-31"


def _set_up(web):
    """Ana and Bruno (team North, 2% up to 1,000 then 5%) each invoiced a drill at 1,200; Boss manages."""
    db = web.db
    company = db.main_company
    users = {login: db.user(login, groups=["sales.group_salesperson"]) for login in ("ana", "bruno")}
    db.user("boss", groups=["sales.group_manager"])
    bea_user = db.user("bea", groups=["sales.group_manager", "accounting.group_accountant"])
    system = db.system()
    drill = create_product(system, company.id, code="DRILL", name="Drill 18 V", list_price=Decimal(1200),
                           cost=Decimal(700))
    customer = create_partner(system, company.id, name="Ferretería Ibérica S.L.", is_company=True)
    team = SalesTeam(company_id=company.id, name="North", members=[system.merge(user) for user in users.values()])
    system.add(team)
    system.flush()
    save_plan(system, company.id, None, name="North 2027", team_id=team.id,
              bands=[{"amount_from": 0, "amount_to": 1000, "rate": 2}, {"amount_from": 1000, "rate": 5}])
    system.commit()
    bea = db.as_user(bea_user)
    create_fiscal_year(bea, company.id, year=2027)
    invoices = {}
    for login, user in users.items():
        order = create_quote(bea, company.id, partner_id=customer.id, date_order=DAY, user_id=user.id,
                             lines=[{"product_id": drill.id, "quantity": 1}])
        confirm_quote(bea, order, today=DAY)
        invoices[login] = post_invoice(bea, invoice_orders(bea, [order], date=DAY))
    bea.commit()
    return users, {login: invoice.number for login, invoice in invoices.items()}


def _client(web, login):
    client = web.client()
    client.login(login)
    return client


def _statements(web):
    return web.db.system().scalars(select(CommissionStatement).order_by(CommissionStatement.id)).all()


def test_a_manager_reads_confirms_and_cancels_a_statement(web):
    users, numbers = _set_up(web)
    boss = _client(web, "boss")
    url = f"/sales/commissions?user_id={users['ana'].id}&{PERIOD}"
    page = boss.get(url).get_data(as_text=True)
    assert numbers["ana"] in page and numbers["bruno"] not in page
    assert "North 2027" in page and "Confirm the statement" in page
    assert "30.00" in page  # 2% of 1,000 + 5% of 200
    assert 'href="/sales/commissions"' in page and 'href="/sales/commission-plans/"' in page  # the menu

    confirmed = boss.post(f"/sales/commissions/confirm?user_id={users['ana'].id}&{PERIOD}", follow_redirects=True)
    text = confirmed.get_data(as_text=True)
    assert "Commission statement confirmed." in text and "Confirmed as COM/2027/00001" in text
    [statement] = _statements(web)
    assert (statement.user_id, statement.amount, statement.base_amount) == (users["ana"].id, Decimal("30.00"),
                                                                             Decimal("1200.00"))
    again = boss.post(f"/sales/commissions/confirm?user_id={users['ana'].id}&{PERIOD}", follow_redirects=True)
    assert "COM/2027/00001 already pays" in again.get_data(as_text=True)
    assert len(_statements(web)) == 1

    record = boss.get(f"/sales/commissions/{statement.id}").get_data(as_text=True)
    assert numbers["ana"] in record and "Cancel the statement" in record
    cancelled = boss.post(f"/sales/commissions/{statement.id}/cancel", follow_redirects=True)
    assert "the period can be confirmed again" in cancelled.get_data(as_text=True)
    assert _statements(web)[0].state == STATEMENT_CANCELLED
    assert "Confirm the statement" in boss.get(url).get_data(as_text=True)


def test_a_salesperson_reads_only_their_own_statement_and_confirms_nothing(web):
    users, numbers = _set_up(web)
    ana = _client(web, "ana")
    own = ana.get(f"/sales/commissions?{PERIOD}")
    text = own.get_data(as_text=True)
    assert own.status_code == 200 and numbers["ana"] in text and "Confirm the statement" not in text
    assert 'href="/sales/commissions"' in text and 'href="/sales/commission-plans/"' not in text
    assert ana.get(f"/sales/commissions?user_id={users['bruno'].id}&{PERIOD}").status_code == 403
    assert ana.post(f"/sales/commissions/confirm?user_id={users['ana'].id}&{PERIOD}").status_code == 403
    assert _statements(web) == []

    boss = _client(web, "boss")
    boss.post(f"/sales/commissions/confirm?user_id={users['bruno'].id}&{PERIOD}")
    [bruno_s] = _statements(web)
    assert ana.get(f"/sales/commissions/{bruno_s.id}").status_code == 404
    assert ana.post(f"/sales/commissions/{bruno_s.id}/cancel").status_code in (403, 404)
    assert _statements(web)[0].state != STATEMENT_CANCELLED
    assert "COM/2027/00001" not in ana.get(f"/sales/commissions?{PERIOD}").get_data(as_text=True)

    assert ana.get("/sales/commission-plans/").status_code == 403
    crafted = ana.post("/sales/commission-plans/new", {"name": "Mine", "user_id": str(users["ana"].id),
                                                       "base": "revenue", "trigger": "invoiced",
                                                       "lines-0-amount_from": "0", "lines-0-rate": "90"})
    assert crafted.status_code == 403
    assert [plan.name for plan in web.db.system().scalars(select(CommissionPlan))] == ["North 2027"]


def test_bad_input_on_the_commissions_page_gets_a_message(web):
    users, _numbers = _set_up(web)
    boss = _client(web, "boss")
    backwards = boss.get(f"/sales/commissions?user_id={users['ana'].id}&date_from=2027-03-31&date_to=2027-03-01")
    assert "The period ends (2027-03-01) before it starts (2027-03-31)." in backwards.get_data(as_text=True)
    assert boss.get("/sales/commissions?date_from=soon").status_code == 400
    nobody = boss.get(f"/sales/commissions?{PERIOD}").get_data(as_text=True)  # Boss has no plan
    assert "has no commission plan" in nobody


def test_a_manager_keeps_a_plan_and_its_bands_on_the_form(web):
    users, _numbers = _set_up(web)
    boss = _client(web, "boss")
    form = {"name": "Ana 2027", "user_id": str(users["ana"].id), "base": "margin", "trigger": "paid",
            "active": "y", "lines-0-amount_from": "0", "lines-0-amount_to": "5000", "lines-0-rate": "3",
            "lines-1-amount_from": "4000", "lines-1-rate": "6"}
    overlapping = boss.post("/sales/commission-plans/new", form)
    assert overlapping.status_code == 422
    assert "Band 2 starts at 4,000, inside band 1 which ends at 5,000" in overlapping.get_data(as_text=True)
    too_high = boss.post("/sales/commission-plans/new", {**form, "lines-1-amount_from": "5000",
                                                         "lines-1-rate": "150"})
    assert too_high.status_code == 422 and "100" in too_high.get_data(as_text=True)
    assert web.db.system().scalars(select(CommissionPlan).where(CommissionPlan.name == "Ana 2027")).all() == []

    saved = boss.post("/sales/commission-plans/new", {**form, "lines-1-amount_from": "5000"})
    assert saved.status_code == 302
    plan = web.db.system().scalars(select(CommissionPlan).where(CommissionPlan.name == "Ana 2027")).one()
    assert [(band.amount_from, band.amount_to, band.rate) for band in plan.bands] == [
        (Decimal(0), Decimal(5000), Decimal(3)), (Decimal(5000), None, Decimal(6))]
    page = boss.get(f"/sales/commission-plans/{plan.id}").get_data(as_text=True)
    assert "Progressive" in page and "6 %" in page
    edit = boss.get(f"/sales/commission-plans/{plan.id}/edit").get_data(as_text=True)
    assert 'name="lines-1-amount_from"' in edit and 'value="5000' in edit
