"""The sensitive fields (national id, social security number, bank account, wage): only HR officers read them, by
page, URL, export or JSON; nobody filters, groups or sums them in SQL (their tokens are random)."""
import datetime as dt
import json
from decimal import Decimal

import pytest

from addons.hr.models import Employee, EmployeePrivate
from addons.hr.services import create_contract, create_employee, start_contract

OFFICER = "hr.group_officer"


@pytest.fixture
def payroll(web):
    """Eva (an employee, managed by Boss) with her private data and a running contract of 2345.67 a month."""
    db = web.db
    session = db.system()
    company_id = db.main_company.id
    users = {"eva": db.user("eva", groups=["hr.group_employee"]), "boss": db.user("boss", groups=["hr.group_manager"]),
             "hr": db.user("hr", groups=[OFFICER]), "other": db.user("other", groups=["hr.group_employee"])}
    boss = create_employee(session, company_id, name="Boss", user_id=users["boss"].id)
    eva = create_employee(session, company_id, name="Eva", user_id=users["eva"].id, manager_id=boss.id)
    create_employee(session, company_id, name="Other", user_id=users["other"].id)
    session.add(EmployeePrivate(employee_id=eva.id, company_id=company_id, national_id="12345678Z",
                                bank_account="ES9121000418450200051332"))
    contract = create_contract(session, company_id, name="C-eva", employee_id=eva.id, date_start=dt.date(2026, 1, 1),
                               wage=Decimal("2345.67"))
    start_contract(session, contract)
    session.commit()
    return {"users": users, "eva": eva.id, "contract": contract.id}


def _client(web, user):
    client = web.client()
    client.login(user.login)
    return client


@pytest.mark.parametrize("who", ["eva", "boss", "other"])
def test_nobody_but_an_officer_reads_the_wage_by_url_export_or_json(web, payroll, who):
    client = _client(web, payroll["users"][who])
    contract = payroll["contract"]
    for url in (f"/hr/contracts/{contract}", "/hr/contracts/", "/hr/contracts/export.csv",
                "/hr/contracts/export.xlsx", "/hr/contracts/pivot?measure=wage"):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert "2345" not in response.get_data(as_text=True), url
    answer = client.get(f"/hr/contracts/{contract}", headers={"Accept": "application/json"})
    assert answer.status_code in (403, 404) and "2345" not in answer.get_data(as_text=True)


@pytest.mark.parametrize("who", ["eva", "boss"])
def test_the_private_data_is_in_no_export_page_or_json_of_a_non_officer(web, payroll, who):
    client = _client(web, payroll["users"][who])
    exported = client.get("/hr/employees/export.csv")
    assert exported.status_code == 200
    text = exported.get_data(as_text=True)
    assert "Eva" in text and "12345678Z" not in text and "National id" not in text
    page = client.get(f"/hr/employees/{payroll['eva']}").get_data(as_text=True)
    assert "Eva" in page and "12345678Z" not in page and "ES91" not in page
    answer = client.get(f"/hr/employees/{payroll['eva']}", headers={"Accept": "application/json"})
    assert answer.status_code == 200 and "12345678Z" not in answer.get_data(as_text=True)
    assert "national_id" not in json.dumps(answer.get_json())


def test_an_officer_reads_them_and_the_export_carries_them(web, payroll):
    client = _client(web, payroll["users"]["hr"])
    assert "2345" in client.get(f"/hr/contracts/{payroll['contract']}").get_data(as_text=True)
    assert "12345678Z" in client.get("/hr/employees/export.csv").get_data(as_text=True)


@pytest.mark.parametrize("url", [
    "/hr/contracts/pivot?measure=wage",
    "/hr/contracts/?where=wage:gt:100",
    "/hr/employees/?where=national_id:eq:12345678Z",
    "/hr/employees/?group=national_id",
    "/hr/employees/pivot?group=bank_account",
])
def test_encrypted_fields_are_not_filtered_grouped_or_summed(web, payroll, url):
    response = _client(web, payroll["users"]["hr"]).get(url)
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 400), page[:400]
    assert "gAAAA" not in page
    assert "You cannot" in page or "cannot be" in page or "no such field" in page, page[:2000]
