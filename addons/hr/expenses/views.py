"""The expense pages over the generic views: categories, and claims whose form holds their lines."""
from __future__ import annotations

from flask import has_request_context
from flask_babel import lazy_gettext as _l

from core.web.context import current_actor, db
from core.web.lines import given
from core.web.views import Filter, ModelView

from ..security import OFFICER, my_employee_ids
from . import services
from .models import DRAFT, SUBMITTED, TO_REIMBURSE, ExpenseCategory, ExpenseClaim


class ClaimView(ModelView):
    """Claims: saved as drafts with their lines; then Submit, Approve, Refuse and Reimburse (:mod:`.web`)."""

    importable = False  # lines and states: no flat file fits
    record_template = "hr/expense_record.html"
    form_template = "hr/expense_form.html"
    status_field = "state"
    money_fields = ("total",)
    line_fields = ("category_id", "date", "description", "amount")

    @property
    def form_fields(self) -> tuple[str, ...]:
        """Who files for someone else (an HR officer) names the employee; the others file their own."""
        fields = super().form_fields
        actor = current_actor() if has_request_context() else None
        if actor is not None and not actor.in_group(OFFICER):
            return tuple(name for name in fields if name != "employee_id")
        return fields

    @property
    def record_fields(self) -> tuple[str, ...]:
        """The claim's fields, then those the installed addons add (its journal entry, with accounting)."""
        own = ("employee_id", "date", "description", "total", "state", "decided_by_id", "decided_at", "refusal",
               "reimbursed_on", "reimbursement_ref")
        return own + tuple(name for extension in self.extensions() for name in extension.fields)

    def title(self, record) -> str:
        return record.description

    def editable(self, record) -> bool:
        return record.state == DRAFT

    def form_class(self, session, record=None):
        from .form import claim_form_class

        return claim_form_class(self, session, record)

    def create(self, session, actor, values):
        lines = given(values.pop("lines", None)) or []
        return services.create_claim(session, actor, actor.company_id, lines=lines, **values)

    def update(self, session, actor, record, values):
        return services.update_claim(session, record, lines=given(values.pop("lines", None)), **values)

    def record_context(self, record) -> dict:
        return {"receipts": services.receipt_count(db(), record)}


def expense_views() -> tuple[ModelView, ...]:
    return (
        ModelView(ExpenseCategory, name="expense_category", slug="expense-categories", label=_l("Expense category"),
                  label_plural=_l("Expense categories")),
        ClaimView(ExpenseClaim, name="expense", slug="expenses", label=_l("Expense claim"),
                  label_plural=_l("Expense claims"), search_fields=("description",), default_order="date",
                  form_fields=("employee_id", "date", "description"),
                  filters=(Filter("mine", _l("My claims"),
                                  lambda actor: ExpenseClaim.employee_id.in_(my_employee_ids(actor))),
                           Filter("to_approve", _l("To approve"), lambda actor: ExpenseClaim.state == SUBMITTED),
                           Filter("to_reimburse", _l("To reimburse"),
                                  lambda actor: ExpenseClaim.state.in_(TO_REIMBURSE)))),
    )
