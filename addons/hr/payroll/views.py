"""The payroll pages over the generic views: every save goes through the payroll services."""
from __future__ import annotations

from flask import has_request_context
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from core.errors import ValidationError
from core.web.context import current_actor
from core.web.views import Filter, ModelView

from ..security import PAYROLL, my_employee_ids
from . import batches, rules
from .models import DRAFT, PayrollRate, PayrollStructure, Payslip, PayslipBatch, PayslipInput, SalaryRule


class RuleView(ModelView):
    def create(self, session, actor, values):
        return rules.create_rule(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return rules.update_rule(session, record, **values)


class BatchView(ModelView):
    importable = False
    status_field = "state"

    def create(self, session, actor, values):
        return batches.create_batch(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        if record.state != DRAFT:
            raise ValidationError(gettext("Only a draft batch changes; compute it again instead."))
        return super().update(session, actor, record, values)


class PayslipView(ModelView):
    importable = False
    status_field = "state"
    money_fields = ("gross", "net", "employer_cost")

    @property
    def record_fields(self) -> tuple[str, ...]:
        """An employee reading their own payslip sees neither the contract, nor the structure, nor the batch
        (records of payroll managers)."""
        actor = current_actor() if has_request_context() else None
        if actor is not None and not actor.in_group(PAYROLL):
            return ("employee_id", "month", "date_from", "date_to", "kind", "reverses_id", "department_id", "gross",
                    "net", "state")
        return ("employee_id", "month", "date_from", "date_to", "kind", "reverses_id", "batch_id", "contract_id",
                "structure_id", "department_id", "gross", "net", "employer_cost", "state")

    def create(self, session, actor, values):
        return batches.create_payslip(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        raise ValidationError(gettext("A payslip is computed, never edited: compute it again, or correct it."))


def payroll_views() -> tuple[ModelView, ...]:
    return (
        ModelView(PayrollStructure, name="payroll_structure", slug="payroll-structures",
                  label=_l("Salary structure"), label_plural=_l("Salary structures")),
        RuleView(SalaryRule, name="salary_rule", slug="salary-rules", label=_l("Salary rule"),
                 label_plural=_l("Salary rules"), search_fields=("code", "name"), default_order="sequence"),
        ModelView(PayrollRate, name="payroll_rate", slug="payroll-rates", label=_l("Payroll rate"),
                  label_plural=_l("Payroll rates"), search_fields=("code", "name")),
        BatchView(PayslipBatch, name="payslip_batch", slug="payslip-batches", label=_l("Payroll batch"),
                  label_plural=_l("Payroll batches"), form_fields=("month", "structure_id")),
        PayslipView(Payslip, name="payslip", slug="payslips", label=_l("Payslip"), label_plural=_l("Payslips"),
                    search_fields=("name",), form_fields=("employee_id", "month", "structure_id"),
                    filters=(Filter("mine", _l("My payslips"),
                                    lambda actor: Payslip.employee_id.in_(my_employee_ids(actor))),)),
        ModelView(PayslipInput, name="payslip_input", slug="payslip-inputs", label=_l("Payslip input"),
                  label_plural=_l("Payslip inputs"), search_fields=("reference", "code")),
    )
