import datetime as dt
from decimal import Decimal

import pytest

from addons.hr.models import WorkingSchedule
from addons.hr.services import create_company_record, create_contract, create_employee, start_contract
from addons.hr.time_models import WorkActivity
from core.models import Company

YEAR = 2026


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
