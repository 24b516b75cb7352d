"""The HR UI: generic views over employees, departments, positions, schedules and contracts, saving through the
services. A user who is not an HR officer gets a form with their own contact data only."""
from __future__ import annotations

from flask import has_request_context
from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l


from core.web.context import current_actor
from core.web.views import Filter, ModelView

from . import leaves, services
from .models import (RUNNING, SUBMITTED, Contract, Department, Employee, JobPosition, LeaveAllocation, LeaveRequest,
                     LeaveType, PublicHoliday, WorkingSchedule)
from .security import OFFICER


class EmployeeView(ModelView):
    @property
    def form_fields(self) -> tuple[str, ...]:
        fields = super().form_fields
        actor = current_actor() if has_request_context() else None
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


class ContractView(ModelView):
    money_fields = ("wage",)
    status_field = "state"

    def create(self, session, actor, values):
        return services.create_contract(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return services.update_contract(session, record, **values)


class LeaveView(ModelView):
    """Leave requests: saving one submits it; it changes while it waits, then only by Approve, Refuse, Cancel."""

    importable = False
    status_field = "state"

    @property
    def record_fields(self) -> tuple[str, ...]:
        return (*super().record_fields, "days", "state", "decided_by_id", "decided_at", "refusal")

    def title(self, record) -> str:
        return gettext("%(employee)s, %(from)s – %(to)s", employee=record.employee.name,
                       **{"from": format_date(record.date_from), "to": format_date(record.date_to)})

    def create(self, session, actor, values):
        return leaves.request_leave(session, actor, **values)

    def update(self, session, actor, record, values):
        return leaves.update_request(session, record, **values)


class AllocationView(ModelView):
    def create(self, session, actor, values):
        return leaves.allocate(session, actor.company_id, **values)


def hr_views() -> tuple[ModelView, ...]:
    return (
        EmployeeView(Employee, name="employee", slug="employees", label=_l("Employee"), label_plural=_l("Employees"),
                     search_fields=("name", "work_email"), icon="user-group"),
        DepartmentView(Department, name="department", slug="departments", label=_l("Department"),
                       label_plural=_l("Departments")),
        ModelView(JobPosition, name="job", slug="jobs", label=_l("Job position"), label_plural=_l("Job positions")),
        ModelView(WorkingSchedule, name="schedule", slug="schedules", label=_l("Working schedule"),
                     label_plural=_l("Working schedules")),
        ContractView(Contract, name="contract", slug="contracts", label=_l("Contract"),
                     label_plural=_l("Contracts"), search_fields=("name",),
                     filters=(Filter("running", _l("Running"), lambda actor: Contract.state == RUNNING),)),
        LeaveView(LeaveRequest, name="leave", slug="leaves", label=_l("Leave request"),
                  label_plural=_l("Leave requests"), search_fields=(), default_order="date_from",
                  form_fields=("employee_id", "leave_type_id", "date_from", "date_to", "reason"),
                  filters=(Filter("to_approve", _l("To approve"), lambda actor: LeaveRequest.state == SUBMITTED),)),
        AllocationView(LeaveAllocation, name="allocation", slug="allocations", label=_l("Leave allocation"),
                       label_plural=_l("Leave allocations"), search_fields=()),
        ModelView(LeaveType, name="leave_type", slug="leave-types", label=_l("Leave type"),
                          label_plural=_l("Leave types")),
        ModelView(PublicHoliday, name="holiday", slug="holidays", label=_l("Company holiday"),
                          label_plural=_l("Company holidays"), default_order="date"),
    )
