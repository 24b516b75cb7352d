"""The HR UI: generic views over employees, departments, positions, schedules and contracts, saving through the
services. A user who is not an HR officer gets a form with their own contact data only."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.web.context import current_actor
from core.web.views import Filter, ModelView

from . import services
from .models import RUNNING, Contract, Department, Employee, JobPosition, WorkingSchedule
from .security import OFFICER


class EmployeeView(ModelView):
    @property
    def form_fields(self) -> tuple[str, ...]:
        fields = super().form_fields
        actor = current_actor()
        if actor is not None and not actor.in_group(OFFICER):
            return tuple(name for name in fields if name in services.SELF_SERVICE)
        return fields

    def create(self, session, actor, values):
        return services.create_employee(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return services.update_employee(session, actor, record, **values)


class DepartmentView(ModelView):
    def title(self, record) -> str:
        return services.department_path(record)

    def create(self, session, actor, values):
        return services.create_department(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return services.update_department(session, record, **values)


class JobView(ModelView):
    def create(self, session, actor, values):
        return services.create_job(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return services.update_job(session, record, **values)


class ScheduleView(ModelView):
    def create(self, session, actor, values):
        return services.create_schedule(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return services.update_schedule(session, record, **values)


class ContractView(ModelView):
    def create(self, session, actor, values):
        return services.create_contract(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return services.update_contract(session, record, **values)


def hr_views() -> tuple[ModelView, ...]:
    return (
        EmployeeView(Employee, name="employee", slug="employees", label=_l("Employee"), label_plural=_l("Employees"),
                     search_fields=("name", "work_email"), icon="user-group"),
        DepartmentView(Department, name="department", slug="departments", label=_l("Department"),
                       label_plural=_l("Departments")),
        JobView(JobPosition, name="job", slug="jobs", label=_l("Job position"), label_plural=_l("Job positions")),
        ScheduleView(WorkingSchedule, name="schedule", slug="schedules", label=_l("Working schedule"),
                     label_plural=_l("Working schedules")),
        ContractView(Contract, name="contract", slug="contracts", label=_l("Contract"),
                     label_plural=_l("Contracts"), search_fields=("name",),
                     filters=(Filter("running", _l("Running"), lambda actor: Contract.state == RUNNING),)),
    )
