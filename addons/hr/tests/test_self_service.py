"""My profile and My team: an employee reads their own record and changes their contact data only (the bank
account and the emergency contact through the encrypted private data); a manager sees their departments' people
and who is off today."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from addons.hr import leaves
from addons.hr.models import Contract, Employee, EmployeePrivate, LeaveType
from addons.hr.self_service import team, update_my_contact
from addons.hr.services import create_company_record, create_department, create_employee, update_department
from core.errors import ValidationError


def test_my_profile_shows_my_record_and_leave_but_not_the_wage_or_national_id(people, login):
    page = login(people["users"]["eva"]).get("/hr/me")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Eva Ruiz" in html and "Seller" in html and "Sales" in html and "Boss Bianchi" in html
    assert "+34 600 000 001" in html and "ES9121000418450200051332" in html  # her own bank account, to correct it
    assert "12345678Z" not in html and "2345" not in html and 'name="national_id"' not in html
    assert 'name="wage"' not in html and 'name="department_id"' not in html


def test_the_employee_saves_their_contact_data_encrypted(people, login, web):
    client = login(people["users"]["eva"])
    saved = client.post("/hr/me", data={"work_phone": "+34 600 111 222", "emergency_contact": "Mamá Ruiz",
                                        "emergency_phone": "+34 611 222 333",
                                        "bank_account": "IT60 X054 2811 1010 0000 0123 456"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    session = web.db.system()
    private = session.get(EmployeePrivate, people["eva"])
    assert (private.emergency_contact, private.bank_account) == ("Mamá Ruiz", "IT60X0542811101000000123456")
    assert private.national_id == "12345678Z"  # HR's fields are kept
    assert session.get(Employee, people["eva"]).work_phone == "+34 600 111 222"
    raw = session.execute(text("SELECT emergency_contact FROM hr_employee_private")).scalar()
    assert "Ruiz" not in raw


def test_a_bad_bank_account_is_refused_and_nothing_changes(people, login, web):
    client = login(people["users"]["eva"])
    refused = client.post("/hr/me", data={"work_phone": "+34 600 999 999", "bank_account": "ES00 1234"})
    assert refused.status_code == 422
    assert "IBAN" in refused.get_data(as_text=True) or "bank" in refused.get_data(as_text=True).lower()
    session = web.db.system()
    assert session.get(EmployeePrivate, people["eva"]).bank_account == "ES9121000418450200051332"
    assert session.get(Employee, people["eva"]).work_phone == "+34 600 000 001"


def test_the_service_refuses_hr_fields_and_someone_who_is_no_employee(people, web):
    db = web.db
    eva = db.as_user(people["users"]["eva"])
    for name, value in (("national_id", "X"), ("department_id", None), ("name", "Eve")):
        with pytest.raises(ValidationError, match="Only HR officers change this") as refused:
            update_my_contact(eva, eva.info["actor"], **{name: value})
        assert refused.value.field == name
    stranger = db.as_user(db.user("nobody", groups=["hr.group_employee"]))
    with pytest.raises(ValidationError, match="You are not an employee of this company."):
        update_my_contact(stranger, stranger.info["actor"], work_phone="1")
    assert login_page_status(web, "nobody") == 404


def login_page_status(web, login_name):
    client = web.client()
    client.login(login_name)
    return client.get("/hr/me").status_code


def test_the_employee_still_reads_no_private_data_nor_contract_elsewhere(people, web):
    eva = web.db.as_user(people["users"]["eva"])
    from core.errors import AccessDenied

    for model in (EmployeePrivate, Contract):
        with pytest.raises(AccessDenied):
            eva.scalars(select(model)).all()


def test_my_team_lists_the_departments_people_and_who_is_off_today(people, login, web):
    db = web.db
    session = db.system()
    company_id = people["company"]
    north = create_department(session, company_id, name="North", parent_id=people["sales"])
    create_employee(session, company_id, name="Nora North", department_id=north.id)
    unpaid = create_company_record(session, LeaveType, company_id, {"name": "Unpaid", "needs_allocation": False})
    today = dt.date.today()
    from addons.hr.models import APPROVED, LeaveRequest

    session.add(LeaveRequest(company_id=company_id, employee_id=people["eva"], leave_type_id=unpaid.id,
                             date_from=today, date_to=today + dt.timedelta(days=2), days=Decimal(3), state=APPROVED))
    session.commit()
    boss = db.as_user(people["users"]["boss"])
    assert [e.name for e in team(boss, boss.info["actor"])] == ["Eva Ruiz", "Nora North"]
    page = login(people["users"]["boss"]).get("/hr/my-team").get_data(as_text=True)
    assert "Eva Ruiz" in page and "Nora North" in page and "Other Otero" not in page
    assert "Off until" in page and "1 off today of 2." in page
    assert login(people["users"]["eva"]).get("/hr/my-team").status_code in (200, 403)
    assert "Nora North" not in login(people["users"]["eva"]).get("/hr/my-team").get_data(as_text=True)


def test_the_menu_offers_my_profile_to_employees_and_my_team_to_managers(people, login):
    eva = login(people["users"]["eva"]).get("/hr/me").get_data(as_text=True)
    boss = login(people["users"]["boss"]).get("/hr/me").get_data(as_text=True)
    assert 'href="/hr/my-team"' not in eva.split("<main")[0] and 'href="/hr/my-team"' in boss
