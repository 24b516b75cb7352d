import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.hr import timesheets
from addons.hr.time_models import TimesheetLine
from core.errors import AccessDenied, ValidationError

from .conftest import make_team

MONDAY = dt.date(2026, 3, 9)


def _save(db, team, who, whose, cells):
    session = db.as_user(team["users"][who])
    employee = team["people"][whose]  # as if the page had been reached: the data layer still checks the lines
    week = timesheets.save_week(session, employee, MONDAY, cells)
    session.commit()
    return week


def _cells(team, *entries):
    return {(team["activities"][name].id, MONDAY + dt.timedelta(days=day)): Decimal(hours)
            for name, day, hours in entries}


def test_an_employee_fills_their_week_with_totals_per_day_and_per_activity(db, team):
    week = _save(db, team, "bruno", "bruno", _cells(team, ("Website", 0, "6"), ("Support", 0, "2.5"),
                                                    ("Website", 1, "7.25")))
    website = team["activities"]["Website"].id
    assert (week.row_total(website), week.day_total(MONDAY), week.total) == (
        Decimal("13.25"), Decimal("8.5"), Decimal("15.75"))
    week = _save(db, team, "bruno", "bruno", _cells(team, ("Support", 0, "0")))  # zero clears the cell
    assert week.total == Decimal("13.25")
    assert len(db.system().scalars(select(TimesheetLine)).all()) == 2


@pytest.mark.parametrize("entries, message", [
    ((("Website", 0, "-1"),), "Website, 2026-03-09: hours cannot be negative."),
    ((("Website", 2, "25"),), "at most 24 hours"),
    ((("Website", 3, "14"), ("Support", 3, "11")), "2026-03-12: 25 hours booked, more than 24 in a day."),
])
def test_bad_hours_are_refused_and_nothing_is_written(db, team, entries, message):
    _save(db, team, "bruno", "bruno", _cells(team, ("Website", 4, "8")))
    with pytest.raises(ValidationError, match=message):
        _save(db, team, "bruno", "bruno", _cells(team, ("Website", 4, "1"), *entries))
    assert [line.hours for line in db.system().scalars(select(TimesheetLine))] == [Decimal(8)]


def test_a_week_of_someone_else_only_for_their_manager_or_hr(db, team):
    with pytest.raises(AccessDenied):
        _save(db, team, "carla", "bruno", _cells(team, ("Website", 0, "8")))
    with pytest.raises(AccessDenied):
        _save(db, team, "ana", "carla", _cells(team, ("Website", 0, "8")))
    _save(db, team, "ana", "bruno", _cells(team, ("Website", 0, "8")))
    _save(db, team, "olga", "carla", _cells(team, ("Support", 1, "4")))
    booked = sorted((line.employee.name, line.hours) for line in db.system().scalars(select(TimesheetLine)))
    assert booked == [("Bruno", Decimal(8)), ("Carla", Decimal(4))]


def test_the_weekly_grid_page_saves_a_week_and_refuses_bad_cells_with_the_cell_named(web):
    team = make_team(web.db)
    website, support = (team["activities"][name].id for name in ("Website", "Support"))
    client = web.client()
    client.login(team["users"]["bruno"].login)
    page = client.get("/hr/timesheet?week=2026-03-11").get_data(as_text=True)
    assert f'name="h-{website}-2026-03-09"' in page and f'name="h-{support}-2026-03-15"' in page
    saved = client.post("/hr/timesheet?week=2026-03-09", data={f"h-{website}-2026-03-09": "7,5",
                                                              f"h-{support}-2026-03-09": "0.5"})
    assert saved.status_code == 302
    page = client.get("/hr/timesheet?week=2026-03-09").get_data(as_text=True)
    assert 'data-day="2026-03-09">8</td>' in page and "data-total>8</td>" in page
    refused = client.post("/hr/timesheet?week=2026-03-09", data={f"h-{website}-2026-03-10": "lots"})
    assert refused.status_code == 422 and "Website, 2026-03-10: lots is not a number of hours." in \
        refused.get_data(as_text=True)
    assert client.post("/hr/timesheet?week=2026-03-09", data={f"h-{website}-2026-03-10": "-2"}).status_code == 422
    assert sum(line.hours for line in web.db.system().scalars(select(TimesheetLine))) == Decimal(8)
    carla_id = team["people"]["carla"].id
    assert client.get(f"/hr/timesheet?employee_id={carla_id}").status_code == 404
    manager = web.client()
    manager.login(team["users"]["ana"].login)
    assert manager.get(f"/hr/timesheet?employee_id={team['people']['bruno'].id}").status_code == 200
    assert manager.get(f"/hr/timesheet?employee_id={carla_id}").status_code == 404
