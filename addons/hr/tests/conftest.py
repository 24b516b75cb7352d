import datetime as dt
from decimal import Decimal

import pytest

from addons.hr.models import EmployeePrivate, JobPosition, WorkingSchedule
from addons.hr.services import (create_company_record, create_contract, create_department, create_employee,
                                start_contract, update_department)
from addons.hr.time_models import WorkActivity
from core.models import Company

YEAR = 2026
OFFICER = "hr.group_officer"


@pytest.fixture
def team(db):
    """Ana (manager) leads Bruno (full time); Carla (Monday to Wednesday, 8 h) is in nobody's team; Olga is an HR
    officer; two activities to book hours on. The company is in Spain, Madrid."""
    return make_team(db)


def make_team(db):
    session = db.system()
    company_id = db.main_company.id
    session.get(Company, company_id).country_code = "ES"
    users = {name: db.user(name, groups=[group]) for name, group in (
        ("ana", "hr.group_manager"), ("bruno", "hr.group_employee"), ("carla", "hr.group_employee"),
        ("olga", "hr.group_officer"))}
    part_time = create_company_record(session, WorkingSchedule, company_id,
                                      {"name": "Part time", "thursday_hours": 0, "friday_hours": 0})
    people = {"ana": create_employee(session, company_id, name="Ana", user_id=users["ana"].id, region="MD")}
    people["bruno"] = create_employee(session, company_id, name="Bruno", user_id=users["bruno"].id,
                                      manager_id=people["ana"].id, region="MD")
    people["carla"] = create_employee(session, company_id, name="Carla", user_id=users["carla"].id, region="MD")
    for name, employee in people.items():
        start_contract(session, create_contract(session, company_id, name=f"C-{name}", employee_id=employee.id,
                                                date_start=dt.date(YEAR, 1, 1), wage=Decimal(2000),
                                                schedule_id=part_time.id if name == "carla" else None))
    activities = {name: create_company_record(session, WorkActivity, company_id, {"name": name})
                  for name in ("Website", "Support")}
    session.commit()
    return {"users": users, "people": people, "activities": activities}


@pytest.fixture
def people(web):
    """Direction > Sales: Boss (a manager) runs Sales, where Eva works (her private data and a running contract of
    2345.67 a month); Other works in Direction; an HR officer; and Alien, an HR officer of another company."""
    db = web.db
    session = db.system()
    company_id = db.main_company.id
    elsewhere = db.company("Otra S.L.")
    users = {"eva": db.user("eva", groups=["hr.group_employee"]), "boss": db.user("boss", groups=["hr.group_manager"]),
             "hr": db.user("hr", groups=[OFFICER]), "other": db.user("other", groups=["hr.group_employee"]),
             "alien": db.user("alien", groups=[OFFICER], companies=[elsewhere])}
    direction = create_department(session, company_id, name="Direction")
    sales = create_department(session, company_id, name="Sales", parent_id=direction.id)
    seller = create_company_record(session, JobPosition, company_id, {"name": "Seller"})
    boss = create_employee(session, company_id, name="Boss Bianchi", user_id=users["boss"].id,
                           department_id=sales.id)
    eva = create_employee(session, company_id, name="Eva Ruiz", user_id=users["eva"].id, department_id=sales.id,
                          job_id=seller.id, work_phone="+34 600 000 001")
    other = create_employee(session, company_id, name="Other Otero", user_id=users["other"].id,
                            department_id=direction.id)
    update_department(session, sales, manager_id=boss.id)
    create_employee(session, elsewhere.id, name="Faraway")
    session.add(EmployeePrivate(employee_id=eva.id, company_id=company_id, national_id="12345678Z",
                                bank_account="ES9121000418450200051332"))
    contract = create_contract(session, company_id, name="C-eva", employee_id=eva.id, date_start=dt.date(2026, 1, 1),
                               wage=Decimal("2345.67"))
    start_contract(session, contract)
    session.commit()
    return {"users": users, "eva": eva.id, "boss": boss.id, "other": other.id, "contract": contract.id,
            "sales": sales.id, "direction": direction.id, "company": company_id, "elsewhere": elsewhere.id}


@pytest.fixture
def login(web):
    def client(user):
        logged = web.client()
        logged.login(user.login)
        return logged

    return client
