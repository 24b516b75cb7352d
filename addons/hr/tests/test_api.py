"""The JSON API refuses another employee's wage and payslips exactly as the pages do (issue 14's bad input)."""
import datetime as dt
import json

import pytest
from sqlalchemy import select

from addons.hr.payroll.batches import compute_batch, create_batch, post_batch
from addons.hr.payroll.examples import load_example
from addons.hr.payroll.models import Payslip
from tests.api.conftest import ApiClient, make_key


@pytest.fixture
def eva_payslip(web, people):
    with web.app.test_request_context():
        session = web.db.as_user(web.db.user("payroll", groups=["hr.group_payroll"]))
        structure = load_example(session, people["company"], country="ES", year=2026)
        batch = create_batch(session, people["company"], month=dt.date(2026, 3, 1), structure_id=structure.id)
        compute_batch(session, batch)
        post_batch(session, batch)
        session.commit()
        return session.scalars(select(Payslip.id).where(Payslip.employee_id == people["eva"])).one()


@pytest.mark.parametrize("who", ["other", "boss", "alien"])
def test_another_employees_wage_and_payslip_are_refused(web, people, eva_payslip, who):
    client = ApiClient(web.app, make_key(web, people["users"][who], ["hr:read"]))
    for url in (f"/api/v1/hr/contracts/{people['contract']}", f"/api/v1/hr/payslips/{eva_payslip}"):
        answer = client.get(url)
        assert answer.status_code in (403, 404), url
        assert answer.mimetype == "application/problem+json" and "2345" not in answer.get_data(as_text=True)
    for url, record in (("/api/v1/hr/contracts?limit=200", people["contract"]),
                        ("/api/v1/hr/payslips?limit=200", eva_payslip)):
        listed = client.get(url)  # an officer of another company lists their own company's only
        assert listed.status_code in (200, 403), url
        assert "2345" not in listed.get_data(as_text=True)
        if listed.status_code == 200:
            assert record not in {row["id"] for row in listed.get_json()["data"]}
    employee = client.get(f"/api/v1/hr/employees/{people['eva']}")
    if employee.status_code == 200:
        text = json.dumps(employee.get_json())
        assert "12345678Z" not in text and "national_id" not in text and "ES91" not in text


def test_eva_reads_her_own_payslip_and_an_officer_the_wage(web, people, eva_payslip):
    eva = ApiClient(web.app, make_key(web, people["users"]["eva"], ["read"]))
    assert eva.get(f"/api/v1/hr/payslips/{eva_payslip}").status_code == 200
    officer = ApiClient(web.app, make_key(web, people["users"]["hr"], ["hr:read"]))
    contract = officer.get(f"/api/v1/hr/contracts/{people['contract']}")
    assert contract.status_code == 200 and contract.get_json()["wage"] == "2345.67"
