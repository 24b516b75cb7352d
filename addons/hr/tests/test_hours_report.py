import datetime as dt
from decimal import Decimal

from sqlalchemy import event

from addons.hr import attendance, leaves, timesheets
from addons.hr.models import LeaveType, PublicHoliday
from addons.hr.services import create_company_record, create_contract, create_employee, start_contract
from addons.hr.time_gap import gap_report

from .conftest import make_team

START, END = dt.date(2026, 4, 27), dt.date(2026, 5, 3)  # Friday 1 May is Labour Day, Saturday 2 Madrid's day


def _week(db, team):
    """Bruno: on approved leave on Tuesday, two attendances (8 h and 7.5 h) and one still open, 10 h booked;
    the company closes on Wednesday 29."""
    session = db.system()
    company_id = db.main_company.id
    create_company_record(session, PublicHoliday, company_id, {"date": dt.date(2026, 4, 29), "name": "Closed"})
    unpaid = create_company_record(session, LeaveType, company_id, {"name": "Unpaid", "needs_allocation": False})
    session.commit()
    officer = db.as_user(team["users"]["olga"])
    leave = leaves.request_leave(officer, officer.info["actor"], employee_id=team["people"]["bruno"].id,
                                 leave_type_id=unpaid.id, date_from=dt.date(2026, 4, 28), date_to=dt.date(2026, 4, 28))
    leaves.approve(officer, officer.info["actor"], leave)
    officer.commit()
    bruno = team["people"]["bruno"]
    for day, hours in ((27, 8), (30, 7.5)):
        attendance.check_in(session, bruno, dt.datetime(2026, 4, day, 7))
        attendance.check_out(session, bruno, dt.datetime(2026, 4, day, 7) + dt.timedelta(hours=hours))
    attendance.check_in(session, bruno, dt.datetime(2026, 5, 3, 7))
    timesheets.save_week(session, bruno, START, {(team["activities"]["Website"].id, START): Decimal(10)})
    session.commit()


def _rows(report):
    return {row.employee: (row.scheduled, row.attended, row.booked, row.gap) for row in report.rows}


def test_scheduled_hours_leave_out_holidays_and_approved_leave_and_the_gap_is_attended_less_scheduled(db, team):
    _week(db, team)
    report = gap_report(db.as_user(team["users"]["olga"]), START, END)
    assert _rows(report) == {
        "Ana": (Decimal(24), Decimal(0), Decimal(0), Decimal(-24)),  # Mon, Tue, Thu
        "Bruno": (Decimal(16), Decimal("15.50"), Decimal("10.00"), Decimal("-0.50")),  # Mon, Thu
        "Carla": (Decimal(16), Decimal(0), Decimal(0), Decimal(-16)),  # Mon, Tue (Monday to Wednesday)
    }
    assert report.totals[0][1]["scheduled"] == Decimal(56)


def test_a_manager_sees_their_team_only(db, team):
    _week(db, team)
    assert sorted(_rows(gap_report(db.as_user(team["users"]["ana"]), START, END))) == ["Ana", "Bruno"]


def test_the_report_takes_the_same_number_of_queries_for_three_or_thirty_employees(db, team):
    _week(db, team)
    officer = db.as_user(team["users"]["olga"])
    statements = []
    engine = db.factory.kw["bind"]  # the test's connection

    def count(_conn, _cursor, statement, *_rest):
        statements.append(statement)

    gap_report(officer, START, END)  # what a session reads once (the user's companies) is read now
    event.listen(engine, "before_cursor_execute", count)
    try:
        gap_report(officer, START, END)
        few = len(statements)
        session = db.system()
        for n in range(27):
            employee = create_employee(session, db.main_company.id, name=f"Temp {n:02d}")
            start_contract(session, create_contract(session, db.main_company.id, name=f"T-{n}",
                                                    employee_id=employee.id, date_start=START, wage=Decimal(1)))
        session.commit()
        statements.clear()
        report = gap_report(officer, START, END)
        assert len(report.rows) == 30 and len(statements) == few
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_report_page_and_its_csv_for_hr_and_managers_only(web):
    team = make_team(web.db)
    _week(web.db, team)
    officer = web.client()
    officer.login(team["users"]["olga"].login)
    page = officer.get("/hr/hours?report=1&start=2026-04-27&end=2026-05-03").get_data(as_text=True)
    assert "Bruno" in page and "Carla" in page
    csv = officer.get("/hr/hours.csv?start=2026-04-27&end=2026-05-03")
    lines = csv.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "Employee,Scheduled hours,Attended hours,Hours on timesheets,Gap (attended − scheduled)"
    assert "Bruno,16,15.50,10.00,-0.50" in lines
    refused = officer.get("/hr/hours?report=1&start=2026-05-03&end=2026-04-27")
    assert refused.status_code == 422 and "The period ends before it starts." in refused.get_data(as_text=True)
    manager = web.client()
    manager.login(team["users"]["ana"].login)
    assert "Carla" not in manager.get("/hr/hours.csv?start=2026-04-27&end=2026-05-03").get_data(as_text=True)
    employee = web.client()
    employee.login(team["users"]["bruno"].login)
    assert employee.get("/hr/hours?report=1").status_code == 403
    assert employee.get("/hr/hours.csv").status_code == 403
