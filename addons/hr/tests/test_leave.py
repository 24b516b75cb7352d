import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.hr import leaves
from addons.hr.models import (APPROVED, BY_HR, CANCELLED, REFUSED, LeaveAllocation, LeaveRequest, LeaveType,
                              PublicHoliday, WorkingSchedule)
from addons.hr.services import create_company_record, create_contract, create_employee, start_contract, update_employee
from core.errors import ValidationError
from core.testing import published, subscribe_webhook
from core.models import Company, Mail, User

OFFICER = "hr.group_officer"
YEAR = 2026


@pytest.fixture
def staff(db):
    """Ana manages Bruno (Madrid, full time) and Carla (Madrid, Monday to Wednesday); 22 vacation days each."""
    session = db.system()
    company_id = db.main_company.id
    session.get(Company, company_id).country_code = "ES"
    users = {name: db.user(name, groups=["hr.group_manager" if name == "ana" else "hr.group_employee"])
             for name in ("ana", "bruno", "carla")}
    for user in users.values():
        session.get(User, user.id).email = f"{user.login}@example.com"
    part_time = create_company_record(session, WorkingSchedule, company_id,
                                      {"name": "Part time", "thursday_hours": 0, "friday_hours": 0})
    ana = create_employee(session, company_id, name="Ana", user_id=users["ana"].id, region="MD")
    people = {"ana": ana}
    for name in ("bruno", "carla"):
        people[name] = create_employee(session, company_id, name=name.title(), user_id=users[name].id,
                                       manager_id=ana.id, region="MD")
    vacation = create_company_record(session, LeaveType, company_id, {"name": "Vacation",
                                                                       "max_carry_over_days": Decimal(5)})
    sick = create_company_record(session, LeaveType, company_id, {"name": "Sick", "needs_allocation": False,
                                                                   "approver": BY_HR})
    for name, employee in people.items():
        contract = create_contract(session, company_id, name=f"C-{name}", employee_id=employee.id,
                                   date_start=dt.date(YEAR, 1, 1), wage=Decimal(2000),
                                   schedule_id=part_time.id if name == "carla" else None)
        start_contract(session, contract)
        leaves.allocate(session, company_id, employee_id=employee.id, leave_type_id=vacation.id, year=YEAR,
                        days=Decimal(22))
    session.commit()
    return {"users": users, "people": people, "vacation": vacation, "sick": sick}


def _ask(db, staff, who, start, end, leave_type="vacation"):
    session = db.as_user(staff["users"][who])
    leave = leaves.request_leave(session, session.info["actor"], leave_type_id=staff[leave_type].id,
                                 date_from=start, date_to=end)
    session.commit()
    return leave


def test_the_days_follow_the_schedule_and_the_holidays_of_the_region(db, staff):
    # 2026-05-01 (Friday) is Labour Day, 2026-05-02 is Madrid's holiday (a Saturday anyway): Mon 27 Apr - Fri 8 May
    bruno = _ask(db, staff, "bruno", dt.date(YEAR, 4, 27), dt.date(YEAR, 5, 8))
    assert bruno.days == Decimal(9)
    carla = _ask(db, staff, "carla", dt.date(YEAR, 4, 27), dt.date(YEAR, 5, 8))  # Mondays to Wednesdays only
    assert carla.days == Decimal(6)
    create_company_record(db.system(), PublicHoliday, db.main_company.id,
                          {"date": dt.date(YEAR, 6, 1), "name": "Local feast"})
    db.system().commit()
    assert _ask(db, staff, "bruno", dt.date(YEAR, 6, 1), dt.date(YEAR, 6, 2)).days == Decimal(1)
    session = db.as_user(staff["users"]["bruno"])
    assert leaves.balance(session, staff["people"]["bruno"].id, staff["vacation"].id, YEAR) == Decimal(12)


@pytest.mark.parametrize("start, end, message", [
    (dt.date(YEAR, 3, 10), dt.date(YEAR, 3, 9), "The leave ends before it starts."),
    (dt.date(YEAR, 1, 6), dt.date(YEAR, 1, 6), "These dates fall on days off only"),  # Epiphany
    (dt.date(YEAR, 12, 28), dt.date(YEAR + 1, 1, 8), "A request stays within one year"),
    (dt.date(YEAR, 2, 1), dt.date(YEAR, 4, 30), "62 days asked, 22 left of Vacation in 2026."),
    (dt.date(2025, 12, 1), dt.date(2025, 12, 2), "Bruno has no contract on 2025-12-01."),
])
def test_bad_requests_are_refused_and_nothing_is_written(db, staff, start, end, message):
    with pytest.raises(ValidationError, match=message):
        _ask(db, staff, "bruno", start, end)
    assert db.system().scalars(select(LeaveRequest)).all() == []


def test_an_overlapping_request_is_refused_until_the_first_is_cancelled(db, staff):
    first = _ask(db, staff, "bruno", dt.date(YEAR, 3, 9), dt.date(YEAR, 3, 13))
    with pytest.raises(ValidationError, match="Bruno already asked for 2026-03-09 to 2026-03-13: the dates overlap."):
        _ask(db, staff, "bruno", dt.date(YEAR, 3, 12), dt.date(YEAR, 3, 16))
    session = db.as_user(staff["users"]["bruno"])
    leaves.cancel(session, session.info["actor"], session.get(LeaveRequest, first.id), today=dt.date(YEAR, 3, 1))
    session.commit()
    assert _ask(db, staff, "bruno", dt.date(YEAR, 3, 12), dt.date(YEAR, 3, 16)).days == Decimal(3)
    assert db.system().get(LeaveRequest, first.id).state == CANCELLED


def test_the_manager_approves_and_the_employee_is_told_by_mail(db, staff):
    leave = _ask(db, staff, "bruno", dt.date(YEAR, 3, 9), dt.date(YEAR, 3, 10))
    mails = db.system().scalars(select(Mail).where(Mail.reference == f"hr.leave:{leave.id}")).all()
    assert [(m.to, m.subject) for m in mails] == [("ana@example.com", "Leave to approve: Bruno")]
    ana = db.as_user(staff["users"]["ana"])
    leaves.approve(ana, ana.info["actor"], ana.get(LeaveRequest, leave.id))
    ana.commit()
    assert db.system().get(LeaveRequest, leave.id).state == APPROVED
    told = db.system().scalars(select(Mail).where(Mail.reference == f"hr.leave:{leave.id}",
                                                  Mail.to == "bruno@example.com")).one()
    assert "approved" in told.subject


def test_nobody_decides_their_own_request_nor_one_outside_their_team(db, staff):
    own = _ask(db, staff, "ana", dt.date(YEAR, 3, 9), dt.date(YEAR, 3, 10))
    ana = db.as_user(staff["users"]["ana"])
    with pytest.raises(ValidationError, match="You cannot approve or refuse your own request."):
        leaves.approve(ana, ana.info["actor"], ana.get(LeaveRequest, own.id))
    ana.rollback()
    other_manager = db.user("dario", groups=["hr.group_manager"])
    session = db.system()
    create_employee(session, db.main_company.id, name="Dario", user_id=other_manager.id)
    session.commit()
    leave = _ask(db, staff, "bruno", dt.date(YEAR, 3, 16), dt.date(YEAR, 3, 17))
    dario = db.as_user(other_manager)
    assert dario.get(LeaveRequest, leave.id) is None  # not in his team: not even visible
    with pytest.raises(ValidationError, match="Only Bruno's manager or an HR officer decides this request."):
        leaves.approve(dario, dario.info["actor"], db.system().get(LeaveRequest, leave.id))
    assert db.system().get(LeaveRequest, leave.id).state == "submitted"


def test_some_types_are_decided_by_hr_and_a_refusal_says_why(db, staff):
    leave = _ask(db, staff, "bruno", dt.date(YEAR, 3, 9), dt.date(YEAR, 3, 10), "sick")
    ana = db.as_user(staff["users"]["ana"])
    with pytest.raises(ValidationError, match="Requests of Sick are decided by HR officers."):
        leaves.approve(ana, ana.info["actor"], ana.get(LeaveRequest, leave.id))
    officer = db.as_user(db.user("hr", groups=[OFFICER]))
    with pytest.raises(ValidationError, match="Say why"):
        leaves.refuse(officer, officer.info["actor"], officer.get(LeaveRequest, leave.id), reason=" ")
    leaves.refuse(officer, officer.info["actor"], officer.get(LeaveRequest, leave.id), reason="No certificate")
    officer.commit()
    assert (db.system().get(LeaveRequest, leave.id).state, db.system().get(LeaveRequest, leave.id).refusal) == (
        REFUSED, "No certificate")


def test_accrual_credits_once_a_month_and_the_rest_carries_over_up_to_the_limit(db, staff):
    session = db.system()
    company_id = db.main_company.id
    earned = create_company_record(session, LeaveType, company_id, {"name": "Earned",
                                                                     "accrual_days_per_month": Decimal("2.5")})
    assert leaves.accrue(session, company_id, dt.date(YEAR, 1, 31)) == 3
    assert leaves.accrue(session, company_id, dt.date(YEAR, 1, 31)) == 0
    leaves.accrue(session, company_id, dt.date(YEAR, 2, 28))
    bruno = staff["people"]["bruno"].id
    assert leaves.balance(session, bruno, earned.id, YEAR) == Decimal(5)
    session.commit()
    _ask(db, staff, "bruno", dt.date(YEAR, 3, 9), dt.date(YEAR, 3, 13))  # 5 of the 22 vacation days: 17 left
    assert leaves.carry_over(session, company_id, YEAR) == 3
    assert leaves.carry_over(session, company_id, YEAR) == 0
    following = session.scalars(select(LeaveAllocation).where(
        LeaveAllocation.employee_id == bruno, LeaveAllocation.leave_type_id == staff["vacation"].id,
        LeaveAllocation.year == YEAR + 1)).one()
    assert (following.days, following.carried_over) == (Decimal(5), Decimal(5))


def test_a_region_the_country_does_not_have_is_refused(db, staff):
    officer = db.as_user(db.user("hr", groups=[OFFICER]))
    with pytest.raises(ValidationError, match="XX is not a region of ES; known: AN, AR,") as error:
        update_employee(officer, officer.info["actor"], officer.get(type(staff["people"]["bruno"]),
                                                                    staff["people"]["bruno"].id), region="XX")
    assert error.value.field == "region"


def test_the_pages_ask_approve_and_show_the_team_calendar(web):
    session = web.db.system()
    company_id = web.db.main_company.id
    session.get(Company, company_id).country_code = "IT"
    manager = web.db.user("boss", groups=["hr.group_manager"])
    employee = web.db.user("eva", groups=["hr.group_employee"])
    boss = create_employee(session, company_id, name="Boss", user_id=manager.id)
    eva = create_employee(session, company_id, name="Eva", user_id=employee.id, manager_id=boss.id)
    start_contract(session, create_contract(session, company_id, name="C-eva", employee_id=eva.id,
                                            date_start=dt.date(YEAR, 1, 1), wage=Decimal(1500)))
    unpaid = create_company_record(session, LeaveType, company_id, {"name": "Unpaid", "needs_allocation": False})
    session.commit()
    client = web.client()
    client.login(employee.login)
    asked = client.post("/hr/leaves/new", data={"leave_type_id": unpaid.id, "date_from": "2026-04-03",
                                                "date_to": "2026-04-07"})
    assert asked.status_code == 302, asked.get_data(as_text=True)
    leave_id = int(asked.headers["Location"].rstrip("/").split("/")[-1])
    # Friday 3 April and Tuesday 7: a weekend and Easter Monday between them
    assert web.db.system().get(LeaveRequest, leave_id).days == Decimal(2)
    page = client.get(f"/hr/leaves/{leave_id}").get_data(as_text=True)
    assert "Cancel request" in page and ">Approve</button>" not in page  # the status bar says Approved
    manager_client = web.client()
    manager_client.login(manager.login)
    asking_why = manager_client.post(f"/hr/leaves/{leave_id}/refuse")
    assert asking_why.status_code == 200 and 'name="reason"' in asking_why.get_data(as_text=True)
    assert manager_client.post(f"/hr/leaves/{leave_id}/approve").status_code == 302
    assert web.db.system().get(LeaveRequest, leave_id).state == APPROVED
    calendar = manager_client.get("/hr/calendar?month=2026-04").get_data(as_text=True)
    assert "Eva" in calendar and calendar.count('<td class="off approved">') == 5
    assert manager_client.get("/hr/calendar?month=not-a-month").status_code == 200


def test_a_request_changes_while_it_waits_and_not_once_decided(db, staff):
    leave = _ask(db, staff, "bruno", dt.date(YEAR, 3, 9), dt.date(YEAR, 3, 10))
    bruno = db.as_user(staff["users"]["bruno"])
    changed = leaves.update_request(bruno, bruno.get(LeaveRequest, leave.id), date_to=dt.date(YEAR, 3, 13))
    bruno.commit()
    assert changed.days == Decimal(5)
    officer = db.as_user(db.user("hr", groups=[OFFICER]))
    leaves.approve(officer, officer.info["actor"], officer.get(LeaveRequest, leave.id))
    officer.commit()
    with pytest.raises(ValidationError, match="Only a request to approve is changed"):
        leaves.update_request(bruno, bruno.get(LeaveRequest, leave.id, populate_existing=True),
                              date_to=dt.date(YEAR, 3, 20))
    bruno.rollback()
    assert db.system().get(LeaveRequest, leave.id).date_to == dt.date(YEAR, 3, 13)


def test_approving_a_leave_publishes_it_to_webhooks(db, staff):
    ana = db.as_user(staff["users"]["ana"])
    subscribe_webhook(db, ana, ["hr.leave_approved"])
    approved, refused = (_ask(db, staff, "bruno", dt.date(YEAR, 3, day), dt.date(YEAR, 3, day)) for day in (9, 10))
    leaves.approve(ana, ana.info["actor"], ana.get(LeaveRequest, approved.id))
    leaves.refuse(ana, ana.info["actor"], ana.get(LeaveRequest, refused.id), reason="Busy week")
    ana.commit()
    assert published(db, "hr.leave_approved") == [approved.id]
