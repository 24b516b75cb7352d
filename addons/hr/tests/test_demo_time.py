from decimal import Decimal

from sqlalchemy import func, select

from addons.hr import demo, kiosk
from addons.hr.time_models import Attendance, TimesheetLine


def test_the_demo_has_last_weeks_attendances_and_timesheets_and_a_kiosk_badge(db):
    session = db.system()
    demo.load(session, db.main_company)
    session.commit()
    attended = dict(session.execute(select(Attendance.employee_id, func.count())
                                    .group_by(Attendance.employee_id)).all())
    assert sorted(attended.values()) == [5, 5, 5]
    booked = session.execute(select(TimesheetLine.employee_id, func.sum(TimesheetLine.hours))
                             .group_by(TimesheetLine.employee_id)).all()
    assert [hours for _employee, hours in booked] == [Decimal(40)] * 3
    employee, _attendance = kiosk.punch(session, db.main_company.id, "0001", "1234")
    assert employee.name == "Lucía Fernández"
