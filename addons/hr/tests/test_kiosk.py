import datetime as dt

import pytest
from sqlalchemy import select, text

from addons.hr import kiosk
from addons.hr.time_models import Attendance, KioskBadge
from core.errors import ValidationError
from core.models import AuditLog

from .conftest import make_team


def _badges(db, team):
    session = db.system()
    for who, badge, pin in (("bruno", "B-002", "4321"), ("carla", "C-003", "9876")):
        kiosk.set_badge(session, team["people"][who], badge, pin)
    session.commit()


def test_pins_are_stored_hashed_and_checked_with_the_badge(db, team):
    _badges(db, team)
    stored = db.system().execute(text("SELECT pin_hash FROM hr_kiosk_badge")).scalars().all()
    assert all(value.startswith("$argon2id$") and "4321" not in value for value in stored)
    logged = db.system().scalars(select(AuditLog).where(AuditLog.table_name == "hr_kiosk_badge")).all()
    assert logged and all("pin_hash" not in row.changes for row in logged)
    session = db.system()
    employee, attendance = kiosk.punch(session, db.main_company.id, "B-002", "4321")
    assert (employee.name, attendance.check_out) == ("Bruno", None)
    _employee, attendance = kiosk.punch(session, db.main_company.id, "B-002", "4321")
    assert attendance.check_out is not None
    for badge, pin in (("B-002", "1111"), ("X-999", "4321"), ("C-003", "4321")):
        with pytest.raises(ValidationError, match="Wrong badge or PIN: try again."):
            kiosk.punch(session, db.main_company.id, badge, pin)


@pytest.mark.parametrize("badge, pin, message", [
    ("B-9", "12", "The PIN is 4 to 8 digits."), ("B-9", "abcd", "The PIN is 4 to 8 digits."),
    ("", "1234", "Type the badge code"), ("C-003", "1234", "Badge C-003 is someone else's."),
])
def test_bad_badges_and_pins_are_refused(db, team, badge, pin, message):
    _badges(db, team)
    with pytest.raises(ValidationError, match=message):
        kiosk.set_badge(db.system(), team["people"]["bruno"], badge, pin)


def test_an_officer_opens_the_kiosk_which_checks_in_and_shows_nothing_else(web):
    team = make_team(web.db)
    _badges(web.db, team)
    tablet = web.client()
    tablet.login(team["users"]["olga"].login)
    assert "Turn this browser into the kiosk" in tablet.get("/hr/kiosk").get_data(as_text=True)
    assert tablet.post("/hr/kiosk/open").status_code == 302
    page = tablet.get("/hr/kiosk").get_data(as_text=True)
    assert 'name="badge"' in page and 'class="topbar"' not in page
    assert tablet.get("/hr/employees/").status_code == 302  # logged out: the kiosk is no session of the officer
    done = tablet.post("/hr/kiosk", data={"badge": "B-002", "pin": "4321"})
    assert done.status_code == 200 and "Hello Bruno: checked in at" in done.get_data(as_text=True)
    assert web.db.system().scalars(select(Attendance)).one().employee_id == team["people"]["bruno"].id


def test_wrong_pins_are_refused_with_a_message_then_limited(web):
    team = make_team(web.db)
    _badges(web.db, team)
    link = kiosk.kiosk_token(web.app.secret_key, web.db.main_company.id, "Asia/Tokyo")
    tablet = web.client()
    assert tablet.get(f"/hr/kiosk?token={link}").status_code == 302
    for _attempt in range(5):
        wrong = tablet.post("/hr/kiosk", data={"badge": "B-002", "pin": "0000"})
        assert wrong.status_code == 422 and "Wrong badge or PIN: try again." in wrong.get_data(as_text=True)
    assert tablet.post("/hr/kiosk", data={"badge": "B-002", "pin": "4321"}).status_code == 429
    carla = tablet.post("/hr/kiosk", data={"badge": "C-003", "pin": "9876"})  # other badges go on
    stored = web.db.system().scalars(select(Attendance)).one()
    assert stored.employee_id == team["people"]["carla"].id
    tokyo = (stored.check_in + dt.timedelta(hours=9)).strftime("%H:%M")  # the link's time zone, UTC+9 all year
    assert carla.status_code == 200 and f"Hello Carla: checked in at {tokyo}." in carla.get_data(as_text=True)


def test_the_kiosk_needs_an_officer_or_a_valid_link(web):
    team = make_team(web.db)
    anonymous = web.client()
    assert anonymous.get("/hr/kiosk?token=forged").status_code == 404
    other_key = kiosk.kiosk_token("another-secret-key-another-secret", web.db.main_company.id, None)
    assert anonymous.get(f"/hr/kiosk?token={other_key}").status_code == 404
    assert anonymous.post("/hr/kiosk", data={"badge": "B-002", "pin": "4321"}).status_code == 404
    employee = web.client()
    employee.login(team["users"]["bruno"].login)
    assert employee.get("/hr/kiosk").status_code == 403
    assert employee.post("/hr/kiosk/open").status_code == 403
    bruno_id = team["people"]["bruno"].id
    assert employee.post(f"/hr/employees/{bruno_id}/badge", data={"badge": "B", "pin": "1234"}).status_code == 403
    officer = web.client()
    officer.login(team["users"]["olga"].login)
    assert officer.post(f"/hr/employees/{bruno_id}/badge", data={"badge": "B-1", "pin": "1234"}).status_code == 302
    assert web.db.system().get(KioskBadge, bruno_id).badge == "B-1"
