"""A confirmed commission statement goes into the payroll of its month once; its page then shows the payslip
that pays it, and cancelling it is refused (a statement payroll has not taken can still be cancelled)."""
import datetime as dt
from decimal import Decimal

import pytest
from flask import Flask
from flask_babel import Babel
from sqlalchemy import select

from addons.hr.payroll.batches import compute_batch, create_batch, post_batch
from addons.hr.payroll.examples import load_example
from addons.hr.payroll.models import Payslip, PayslipLine
from addons.hr.services import create_contract, create_employee, start_contract
from addons.hr_sales.statements import payroll_panels
from addons.sales.models import STATEMENT_CANCELLED, STATEMENT_CONFIRMED, CommissionStatement
from addons.sales.services.commissions import cancel_statement, confirm_statement
from addons.sales.tests.test_commissions import MARCH, invoiced_order, plan
from core.errors import ValidationError


@pytest.fixture
def paid_in_march(sales):
    """Ana (a salesperson and an employee) with a confirmed March statement; Bruno's April one is confirmed but
    no payroll took it. A payroll manager computes March."""
    shop = sales
    ana, bruno = shop.users["ana"], shop.users["bruno"]
    plan(shop, team_id=shop.north.id)
    invoiced_order(shop, ana, [(shop.drill, 3)])
    invoiced_order(shop, bruno, [(shop.drill, 1)], date=dt.date(2027, 4, 8))
    march = confirm_statement(shop.boss, shop.company.id, user_id=ana.id, date_from=MARCH[0], date_to=MARCH[1])
    april = confirm_statement(shop.boss, shop.company.id, user_id=bruno.id, date_from=dt.date(2027, 4, 1),
                              date_to=dt.date(2027, 4, 30))
    shop.boss.commit()
    system = shop.db.system()
    employee = create_employee(system, shop.company.id, name="Ana", user_id=ana.id)
    start_contract(system, create_contract(system, shop.company.id, name="C-Ana", employee_id=employee.id,
                                           date_start=dt.date(2027, 1, 1), wage=Decimal(2000)))
    system.commit()
    payroll = shop.db.as_user(shop.db.user("payroll", groups=["hr.group_payroll"]))
    structure = load_example(payroll, shop.company.id, country="ES", year=2027)
    batch = create_batch(payroll, shop.company.id, month=MARCH[0], structure_id=structure.id)
    compute_batch(payroll, batch)
    payroll.commit()
    return shop, payroll, batch, march.id, april.id


def _statement(shop, statement_id):
    shop.boss.rollback()
    return shop.boss.get(CommissionStatement, statement_id)


@pytest.fixture
def page():
    """What a page has when panels are drawn: an application with Babel, in English."""
    app = Flask(__name__)
    Babel(app)
    with app.app_context():
        yield


def test_the_statement_shows_the_payslip_that_pays_it_and_the_payslip_pays_it_once(paid_in_march, page):
    shop, payroll, batch, march_id, april_id = paid_in_march
    payslip = payroll.scalars(select(Payslip).where(Payslip.batch_id == batch.id)).one()
    commission = payroll.scalar(select(PayslipLine.amount).where(PayslipLine.payslip_id == payslip.id,
                                                                 PayslipLine.code == "COMM"))
    statement = _statement(shop, march_id)
    assert commission == statement.amount > 0
    (panel,) = payroll_panels(shop.boss, shop.boss.info["actor"], statement)
    assert dict(panel.lines) == {"Payroll month": "March 2027", "Payslip": f"{payslip.name} · Computed"}
    assert panel.endpoint is None  # the sales manager reads payroll's answer, but may not open payslips
    (panel,) = payroll_panels(payroll, payroll.info["actor"], statement)  # a payroll manager may open it
    assert panel.endpoint == "hr.payslip_view" and dict(panel.endpoint_args) == {"record_id": payslip.id}
    shop.boss.rollback()  # SQLite: one writer at a time, and the sales manager's open transaction holds it
    post_batch(payroll, batch)
    payroll.commit()
    (panel,) = payroll_panels(shop.boss, shop.boss.info["actor"], _statement(shop, march_id))
    assert dict(panel.lines)["Payslip"] == f"{payslip.name} · Posted"
    (waiting,) = payroll_panels(shop.boss, shop.boss.info["actor"], _statement(shop, april_id))
    assert waiting.lines == (("Paid", "Not yet taken into a payroll"),)


def test_a_statement_in_the_payroll_cannot_be_cancelled_and_one_outside_it_can(paid_in_march):
    shop, _payroll, _batch, march_id, april_id = paid_in_march
    with pytest.raises(ValidationError, match="is already in the payroll: it can no longer be cancelled"):
        cancel_statement(shop.boss, _statement(shop, march_id))
    assert _statement(shop, march_id).state == STATEMENT_CONFIRMED
    cancel_statement(shop.boss, _statement(shop, april_id))
    shop.boss.commit()
    assert _statement(shop, april_id).state == STATEMENT_CANCELLED
