"""Generic views of attendances (listed by HR and managers; created and corrected by HR with a reason) and of
the activities hours are booked on."""
from __future__ import annotations

from flask_babel import format_datetime, gettext
from flask_babel import lazy_gettext as _l

from core.web.views import Filter, ModelView

from . import attendance
from .time_models import Attendance, WorkActivity


class AttendanceView(ModelView):
    importable = False

    def title(self, record) -> str:
        return gettext("%(employee)s, %(time)s", employee=record.employee.name,
                       time=format_datetime(record.check_in, "short"))

    def create(self, session, actor, values):
        return attendance.record_attendance(session, actor, values)

    def update(self, session, actor, record, values):
        return attendance.correct(session, actor, record, values)


def time_views() -> tuple[ModelView, ...]:
    return (
        AttendanceView(Attendance, name="attendance", slug="attendances", label=_l("Attendance"),
                       label_plural=_l("Attendances"), search_fields=(), default_order="check_in",
                       filters=(Filter("checked_in", _l("Checked in now"),
                                       lambda actor: Attendance.check_out.is_(None)),)),
        ModelView(WorkActivity, name="activity", slug="activities", label=_l("Activity"),
                  label_plural=_l("Projects and activities")),
    )
