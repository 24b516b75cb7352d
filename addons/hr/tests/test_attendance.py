import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from addons.hr import attendance
from addons.hr.time_models import Attendance
from core.errors import ValidationError
from core.models import AuditLog, User

from .conftest import make_team

NINE = dt.datetime(2026, 3, 9, 8, 0)  # UTC


def _as(db, team, who):
    session = db.as_user(team["users"][who])
    return session, session.info["actor"]


def _me(session, actor):
    return attendance.my_employee(session, actor)


def test_checking_in_twice_out_while_out_and_out_before_in_are_refused(db, team):
    session, actor = _as(db, team, "bruno")
    bruno = _me(session, actor)
    with pytest.raises(ValidationError, match="Bruno is not checked in: check in first."):
        attendance.check_out(session, bruno, NINE)
    attendance.check_in(session, bruno, NINE)
    session.commit()
    with pytest.raises(ValidationError, match="Bruno is already checked in: check out first."):
        attendance.check_in(session, bruno, NINE + dt.timedelta(hours=1))
    with pytest.raises(ValidationError, match="A check-out cannot come before the check-in."):
        attendance.check_out(session, bruno, NINE - dt.timedelta(minutes=1))
    session.rollback()
    done = attendance.check_out(session, bruno, NINE + dt.timedelta(hours=8, minutes=30))
    session.commit()
    assert [(a.check_in, a.check_out) for a in db.system().scalars(select(Attendance))] == [
        (NINE, NINE + dt.timedelta(hours=8, minutes=30))]
    assert str(done.hours) == "8.50"


def test_an_employee_reads_their_own_attendance_a_manager_their_team_an_officer_all(db, team):
    for who in ("bruno", "carla"):
        session, actor = _as(db, team, who)
        attendance.check_in(session, _me(session, actor), NINE)
        session.commit()
    names = {who: sorted(a.employee.name for a in _as(db, team, who)[0].scalars(select(Attendance)))
             for who in ("bruno", "ana", "olga")}
    assert names == {"bruno": ["Bruno"], "ana": ["Bruno"], "olga": ["Bruno", "Carla"]}
    bruno, _actor = _as(db, team, "bruno")
    carla_attendance = db.system().scalars(select(Attendance).where(
        Attendance.employee_id == team["people"]["carla"].id)).one()
    assert bruno.get(Attendance, carla_attendance.id) is None


def test_only_officers_correct_and_each_correction_is_audited_with_who_and_why(db, team):
    session, actor = _as(db, team, "bruno")
    attendance.check_in(session, _me(session, actor), NINE)
    session.commit()
    record = session.scalars(select(Attendance)).one()
    with pytest.raises(ValidationError, match="Only HR officers correct attendances"):
        attendance.correct(session, actor, record, {"check_out": NINE + dt.timedelta(hours=8)})
    session.rollback()
    officer, olga = _as(db, team, "olga")
    mine = officer.get(Attendance, record.id)
    with pytest.raises(ValidationError, match="Say why you make this correction"):
        attendance.correct(officer, olga, mine, {"check_out": NINE + dt.timedelta(hours=8)})
    officer.rollback()
    with pytest.raises(ValidationError, match="A check-out cannot come before the check-in."):
        attendance.correct(officer, olga, mine, {"check_out": NINE - dt.timedelta(hours=1),
                                                 "correction_reason": "Forgot to check out"})
    officer.rollback()
    attendance.correct(officer, olga, officer.get(Attendance, record.id),
                       {"check_out": NINE + dt.timedelta(hours=8), "correction_reason": "Forgot to check out"})
    officer.commit()
    attendance.correct(officer, olga, officer.get(Attendance, record.id),
                       {"check_in": NINE + dt.timedelta(minutes=30), "correction_reason": "Came in late"})
    officer.commit()
    rows = db.system().scalars(select(AuditLog).where(AuditLog.table_name == "hr_attendance",
                                                      AuditLog.action == "update").order_by(AuditLog.id)).all()
    olga_id = team["users"]["olga"].id
    assert [(row.user_id, row.changes["correction_reason"][1]) for row in rows] == [
        (olga_id, "Forgot to check out"), (olga_id, "Came in late")]
    assert rows[1].changes["check_in"] == ["2026-03-09T08:00:00", "2026-03-09T08:30:00"]


def test_my_attendance_button_checks_in_then_out_and_shows_local_times(web):
    team = make_team(web.db)
    session = web.db.system()
    session.get(User, team["users"]["bruno"].id).timezone = "Europe/Madrid"
    session.commit()
    client = web.client()
    client.login(team["users"]["bruno"].login)
    page = client.get("/hr/my-attendance").get_data(as_text=True)
    assert "You are checked out." in page and ">Check in</button>" in page
    assert client.post("/hr/my-attendance").status_code == 302
    stored = web.db.system().scalars(select(Attendance)).one()
    page = client.get("/hr/my-attendance").get_data(as_text=True)
    assert ">Check out</button>" in page
    local = stored.check_in.replace(tzinfo=dt.timezone.utc).astimezone(ZoneInfo("Europe/Madrid"))
    assert local.strftime("%-I:%M") in page and "Checked in since" in page
    client.post("/hr/my-attendance")
    assert web.db.system().scalars(select(Attendance)).one().check_out is not None


def test_an_employee_cannot_open_another_attendance_by_url_and_a_manager_not_outside_the_team(web):
    team = make_team(web.db)
    session = web.db.system()
    for who in ("bruno", "carla"):
        attendance.check_in(session, team["people"][who], NINE)
    session.commit()
    ids = {a.employee.name: a.id for a in web.db.system().scalars(select(Attendance))}
    bruno = web.client()
    bruno.login(team["users"]["bruno"].login)
    assert bruno.get(f"/hr/attendances/{ids['Carla']}").status_code == 404
    assert bruno.get(f"/hr/attendances/{ids['Bruno']}").status_code == 200
    ana = web.client()
    ana.login(team["users"]["ana"].login)
    assert ana.get(f"/hr/attendances/{ids['Bruno']}").status_code == 200
    assert ana.get(f"/hr/attendances/{ids['Carla']}").status_code == 404
    officer = web.client()
    officer.login(team["users"]["olga"].login)
    listed = officer.get("/hr/attendances/").get_data(as_text=True)
    assert "Bruno" in listed and "Carla" in listed
    corrected = officer.post(f"/hr/attendances/{ids['Carla']}/edit", data={
        "employee_id": team["people"]["carla"].id, "check_in": "03/09/2026 09:00", "check_out": "03/09/2026 17:00",
        "correction_reason": "Badge reader down"})
    assert corrected.status_code == 302, corrected.get_data(as_text=True)
    assert web.db.system().get(Attendance, ids["Carla"]).check_out == dt.datetime(2026, 3, 9, 17, 0)
    moved = officer.post(f"/hr/attendances/{ids['Carla']}/edit", data={
        "employee_id": team["people"]["bruno"].id, "check_in": "03/09/2026 09:00", "check_out": "03/09/2026 17:00",
        "correction_reason": "Wrong person"})
    assert moved.status_code == 422 and "An attendance stays with its employee" in moved.get_data(as_text=True)
    assert web.db.system().get(Attendance, ids["Carla"]).employee_id == team["people"]["carla"].id


def test_the_menus_follow_the_roles(web):
    team = make_team(web.db)
    links = ('href="/hr/my-attendance"', 'href="/hr/timesheet"', 'href="/hr/attendances/"', 'href="/hr/hours"',
             'href="/hr/kiosk"')
    seen = {}
    for who in ("bruno", "ana", "olga"):
        client = web.client()
        client.login(team["users"][who].login)
        page = client.get("/hr/my-attendance").get_data(as_text=True)
        seen[who] = [link in page for link in links]
    assert seen == {"bruno": [True, True, False, False, False], "ana": [True, True, True, True, False],
                    "olga": [True, True, True, True, True]}
