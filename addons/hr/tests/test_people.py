import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from addons.hr.models import ENDED, RUNNING, Contract, Employee, EmployeePrivate
from addons.hr.services import (create_contract, create_department, create_employee, end_contract, manager_of,
                                start_contract, update_department, update_employee)
from core.audit import MASK
from core.errors import AccessDenied, ValidationError
from core.models import AuditLog

OFFICER = "hr.group_officer"


def _staff(db):
    """A department tree (Direction > Sales) managed by Ana; Bruno in sales, Carla in direction."""
    session = db.system()
    company = db.main_company.id
    users = {name: db.user(name, groups=["hr.group_employee"]) for name in ("ana", "bruno", "carla")}
    direction = create_department(session, company, name="Direction")
    sales = create_department(session, company, name="Sales", parent_id=direction.id)
    people = {name: create_employee(session, company, name=name.title(), user_id=users[name].id,
                                    department_id=(sales if name == "bruno" else direction).id)
              for name in users}
    update_department(session, sales, manager_id=people["ana"].id)
    session.commit()
    return users, people, direction, sales


def test_an_employee_sees_and_edits_only_their_own_contact_data(db):
    users, people, _direction, _sales = _staff(db)
    bruno = db.as_user(users["bruno"])
    assert [e.name for e in bruno.scalars(select(Employee))] == ["Bruno"]
    own = bruno.get(Employee, people["bruno"].id)
    update_employee(bruno, bruno.info["actor"], own, work_phone="+34 600 000 001")
    bruno.commit()
    with pytest.raises(ValidationError, match="Only HR officers change this") as refused:
        update_employee(bruno, bruno.info["actor"], own, department_id=None)
    assert refused.value.field == "department_id"
    bruno.rollback()
    assert db.system().get(Employee, people["bruno"].id).department_id is not None
    assert bruno.get(Employee, people["carla"].id) is None


def test_a_manager_reads_their_team_and_an_officer_everybody(db):
    users, people, _direction, _sales = _staff(db)
    manager = db.user("ana-manager", groups=["hr.group_manager"])
    session = db.system()
    session.get(Employee, people["ana"].id).user_id = manager.id
    session.commit()
    team = db.as_user(manager)
    assert sorted(e.name for e in team.scalars(select(Employee))) == ["Ana", "Bruno"]
    officer = db.as_user(db.user("hr", groups=[OFFICER]))
    assert sorted(e.name for e in officer.scalars(select(Employee))) == ["Ana", "Bruno", "Carla"]
    other = db.company("Otra S.L.")
    create_employee(db.system(), other.id, name="Elsewhere")
    assert "Elsewhere" not in [e.name for e in officer.scalars(select(Employee))]


def test_the_approver_is_the_manager_else_the_department_manager(db):
    _users, people, direction, _sales = _staff(db)
    session = db.system()
    assert manager_of(session.get(Employee, people["bruno"].id)).name == "Ana"
    assert manager_of(session.get(Employee, people["ana"].id)) is None  # she manages Sales, which is her own tree
    update_department(session, session.get(type(direction), direction.id), manager_id=people["carla"].id)
    assert manager_of(session.get(Employee, people["ana"].id)).name == "Carla"


def test_a_department_cannot_be_placed_inside_itself(db):
    _users, _people, direction, sales = _staff(db)
    session = db.system()
    with pytest.raises(ValidationError, match=r"Direction cannot be placed under Sales: .*\(Direction / Sales\)"):
        update_department(session, session.get(type(direction), direction.id), parent_id=sales.id)


def test_private_data_is_encrypted_at_rest_read_by_officers_only_and_masked_in_the_audit_log(db):
    _users, people, _direction, _sales = _staff(db)
    officer = db.as_user(db.user("hr", groups=[OFFICER]))
    officer.add(EmployeePrivate(employee_id=people["bruno"].id, company_id=db.main_company.id,
                                national_id="12345678Z", bank_account="ES9121000418450200051332"))
    officer.commit()
    assert officer.get(EmployeePrivate, people["bruno"].id).national_id == "12345678Z"
    stored = db.system().execute(text("SELECT national_id, bank_account FROM hr_employee_private")).one()
    assert "12345678Z" not in stored[0] and stored[0].startswith("gAAAA")
    logged = db.system().scalars(select(AuditLog).where(AuditLog.table_name == "hr_employee_private")).one()
    assert logged.changes["national_id"] == [None, MASK] and "12345678Z" not in str(logged.changes)
    bruno = db.as_user(db.user("bruno2", groups=["hr.group_manager"]))
    with pytest.raises(AccessDenied):
        bruno.scalars(select(EmployeePrivate)).all()


def test_contracts_do_not_overlap_end_after_they_start_and_keep_the_wage_encrypted(db):
    _users, people, _direction, _sales = _staff(db)
    session = db.as_user(db.user("hr", groups=[OFFICER]))
    company = db.main_company.id
    first = create_contract(session, company, name="C1", employee_id=people["bruno"].id,
                            date_start=dt.date(2026, 1, 1), wage=Decimal("2100.50"))
    start_contract(session, first)
    with pytest.raises(ValidationError, match="Bruno already has contract C1 over these dates"):
        create_contract(session, company, name="C2", employee_id=people["bruno"].id,
                        date_start=dt.date(2026, 6, 1), wage=Decimal("2200"))
    with pytest.raises(ValidationError, match="A contract cannot end before it starts"):
        create_contract(session, company, name="C3", employee_id=people["carla"].id,
                        date_start=dt.date(2026, 6, 1), date_end=dt.date(2026, 5, 1), wage=Decimal("1"))
    end_contract(session, first, on=dt.date(2026, 5, 31))
    second = create_contract(session, company, name="C2", employee_id=people["bruno"].id,
                             date_start=dt.date(2026, 6, 1), wage=Decimal("2200"))
    session.commit()
    assert (first.state, second.state) == (ENDED, "draft")
    assert db.system().get(Contract, first.id).wage == Decimal("2100.50")
    raw = db.system().execute(text("SELECT wage FROM hr_contract WHERE id = :id"), {"id": first.id}).scalar()
    assert "2100" not in raw
    start_contract(session, second)
    assert second.state == RUNNING


def test_a_manager_cannot_read_contracts(db):
    users, _people, _direction, _sales = _staff(db)
    with pytest.raises(AccessDenied):
        db.as_user(db.user("boss", groups=["hr.group_manager"])).scalars(select(Contract)).all()


def test_the_employee_pages_show_private_fields_to_officers_only(web):
    officer = web.db.user("hr-officer", groups=[OFFICER])
    client = web.client()
    client.login(officer.login)
    created = client.post("/hr/employees/new", data={"name": "Dora", "national_id": "87654321X",
                                                     "bank_account": "ES91 2100 0418 4502 0005 1332"})
    assert created.status_code == 302, created.get_data(as_text=True)
    page = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "87654321X" in page and "ES9121000418450200051332" in page
    employee_id = int(created.headers["Location"].rstrip("/").split("/")[-1])
    colleague = web.db.user("colleague", groups=["hr.group_manager"])
    other = web.client()
    other.login(colleague.login)
    assert other.get(f"/hr/employees/{employee_id}").status_code == 404  # not in their team
    exported = client.get("/hr/employees/export.csv").get_data(as_text=True)
    assert "87654321X" in exported
    mine = web.db.user("dora", groups=["hr.group_employee"])
    session = web.db.system()
    session.get(Employee, employee_id).user_id = mine.id
    session.commit()
    dora = web.client()
    dora.login(mine.login)
    own = dora.get(f"/hr/employees/{employee_id}").get_data(as_text=True)
    assert "Dora" in own and "87654321X" not in own
    form = dora.get(f"/hr/employees/{employee_id}/edit").get_data(as_text=True)
    assert 'name="work_phone"' in form and 'name="department_id"' not in form


def test_a_manager_reads_the_people_of_the_departments_under_theirs(db):
    users, people, direction, sales = _staff(db)
    session = db.system()
    update_department(session, session.get(type(direction), direction.id), manager_id=people["carla"].id)
    session.commit()
    carla = db.user("carla-manager", groups=["hr.group_manager"])
    session.get(Employee, people["carla"].id).user_id = carla.id
    session.commit()
    team = db.as_user(carla)
    assert sorted(e.name for e in team.scalars(select(Employee))) == ["Ana", "Bruno", "Carla"]
