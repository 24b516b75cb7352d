"""Expense claims: filing, the receipts, submission, approval, refusal and reimbursement.

- a claim's lines have a category, a day and an amount (tax included) in the company's currency; an amount of
  zero or less, or a day after today, is refused; the claim's total is the sum of its lines;
- a claim is submitted by its employee only, with at least one receipt attached to it (the chatter's
  attachments, whose type and size the core checks); it changes only while it is a draft;
- the employee's manager or an HR officer approves or refuses it (:mod:`..approval`, the rule leave follows
  too), a refusal says why; each step mails the people concerned through the outbox;
- HR marks an approved claim reimbursed (a date and a reference) when the company books its accounting
  elsewhere; with the ``hr_accounting`` bridge the claim is posted and paid through accounting instead.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import func, select

from core.chatter.models import Attachment
from core.db import utcnow
from core.errors import ValidationError, each_line
from core.fields import clean, field_of
from core.models import Company
from core.sessions import system_rows

from ..approval import check_approver, record_decision
from ..models import Employee
from ..notify import mail_user
from ..security import OFFICER
from ..services import employee_of_user, manager_of
from .models import APPROVED, DRAFT, REFUSED, REIMBURSED, SUBMITTED, ExpenseCategory, ExpenseClaim, ExpenseLine

#: the addon that posts claims to the ledger and reimburses them by payment, when installed
ACCOUNTING_BRIDGE = "hr_accounting"
LINE_FIELDS = ("category_id", "date", "description", "amount")


def create_claim(session, actor, company_id: int, *, lines, today: dt.date | None = None, **values) -> ExpenseClaim:
    """A draft claim of the employee named in ``values`` (by default, the actor's own) with its ``lines``."""
    if values.get("employee_id") in (None, ""):
        own = employee_of_user(session, actor.user_id, company_id)
        if own is None:
            raise ValidationError(gettext("You are not an employee of this company."), "employee_id")
        values["employee_id"] = own.id
    values = clean(ExpenseClaim, values, session=session)
    employee = session.get(Employee, values["employee_id"])
    if employee.company_id != company_id:
        raise ValidationError(gettext("%(employee)s works for another company.", employee=employee.name),
                              "employee_id")
    if employee.user_id != actor.user_id and not actor.in_group(OFFICER):
        raise ValidationError(gettext("You file expense claims for yourself only; HR officers file them for "
                                      "others."), "employee_id")
    _not_after_today(values["date"], today, "date")
    claim = ExpenseClaim(company_id=company_id, state=DRAFT, currency_code=_currency(session, company_id),
                         **values)
    _set_lines(session, claim, _made_lines(session, claim, lines, today))
    session.add(claim)
    session.flush()
    return claim


def update_claim(session, claim: ExpenseClaim, *, lines=None, today: dt.date | None = None,
                 **values) -> ExpenseClaim:
    """Change a draft claim: its date, description and, given ``lines``, all its lines."""
    _require_draft(claim)
    values = clean(ExpenseClaim, {k: v for k, v in values.items() if k != "employee_id"}, record=claim,
                   session=session)
    if "date" in values:
        _not_after_today(values["date"], today, "date")
    with session.no_autoflush:  # a refused line leaves the stored claim as it was (the caller rolls back)
        for key, value in values.items():
            setattr(claim, key, value)
        if lines is not None:
            _set_lines(session, claim, _made_lines(session, claim, lines, today))
    session.flush()
    return claim


def _made_lines(session, claim: ExpenseClaim, lines, today: dt.date | None) -> list[ExpenseLine]:
    """The claim's new lines, all checked before any is kept (a refusal names its line)."""
    made = each_line(lines, lambda values, number: _make_line(session, claim, values, number, today))
    if not made:
        raise ValidationError(gettext("A claim needs at least one expense line."), "lines")
    return made


def _set_lines(session, claim: ExpenseClaim, made: list[ExpenseLine]) -> None:
    claim.lines = made
    claim.total = sum((line.amount for line in made), Decimal(0))


def _make_line(session, claim: ExpenseClaim, values: dict, number: int, today: dt.date | None) -> ExpenseLine:
    unknown = sorted(set(values) - set(LINE_FIELDS))
    if unknown:
        raise ValidationError(gettext("Unknown line fields: %(names)s", names=", ".join(unknown)), unknown[0])
    amount = values.get("amount")
    if amount not in (None, "") and _decimal(amount) is not None and _decimal(amount) <= 0:
        raise ValidationError(gettext("The amount must be more than zero."), "amount")
    values = clean(ExpenseLine, {"date": claim.date, **values, "sequence": number * 10}, session=session,
                   creating=True)
    category = session.get(ExpenseCategory, values["category_id"])
    if category.company_id != claim.company_id:
        raise ValidationError(gettext("Choose a category of this company."), "category_id")
    _not_after_today(values["date"], today, "date")
    return ExpenseLine(company_id=claim.company_id, **values)


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value).strip())
    except ArithmeticError:
        return None


def _not_after_today(day: dt.date, today: dt.date | None, field: str) -> None:
    today = today or dt.date.today()
    if day > today:
        raise ValidationError(gettext("%(day)s is in the future: claim expenses already paid.",
                                      day=day.isoformat()), field)


def _currency(session, company_id: int) -> str:
    return session.scalar(select(Company.currency_code).where(Company.id == company_id))


def _require_draft(claim: ExpenseClaim) -> None:
    if claim.state != DRAFT:
        raise ValidationError(gettext("Only a draft claim is changed: this one was submitted."))


# --- receipts and submission ------------------------------------------------------------------------------------

def receipt_count(session, claim: ExpenseClaim) -> int:
    """The files attached to the claim (its receipts)."""
    with system_rows(session) as system:
        return system.scalar(select(func.count()).select_from(Attachment).where(
            Attachment.res_model == ExpenseClaim.__tablename__, Attachment.res_id == claim.id))


def submit_claim(session, actor, claim: ExpenseClaim) -> ExpenseClaim:
    """The employee sends their draft claim, with its receipts, to their manager."""
    _require_draft(claim)
    if claim.employee.user_id != actor.user_id:
        raise ValidationError(gettext("Only %(employee)s submits their own claim.", employee=claim.employee.name))
    if not claim.lines:
        raise ValidationError(gettext("A claim needs at least one expense line."), "lines")
    if not receipt_count(session, claim):
        raise ValidationError(gettext("Attach the receipts to the claim before submitting it (at least one)."),
                              "receipts")
    claim.state, claim.submitted_at = SUBMITTED, utcnow()
    session.flush()
    _notify_approver(session, claim)
    return claim


# --- decisions --------------------------------------------------------------------------------------------------

def approve_claim(session, actor, claim: ExpenseClaim) -> ExpenseClaim:
    _may_decide(session, actor, claim)
    record_decision(claim, actor, APPROVED)
    session.flush()
    _notify_employee(session, claim)
    return claim


def refuse_claim(session, actor, claim: ExpenseClaim, *, reason: str) -> ExpenseClaim:
    _may_decide(session, actor, claim)
    record_decision(claim, actor, REFUSED, reason=reason or "")
    session.flush()
    _notify_employee(session, claim)
    return claim


def _may_decide(session, actor, claim: ExpenseClaim) -> None:
    if claim.state != SUBMITTED:
        raise ValidationError(gettext("Only a submitted claim is approved or refused; this one is %(state)s.",
                                      state=state_label(claim)))
    check_approver(session, actor, claim.employee)


def state_label(claim: ExpenseClaim) -> str:
    """The claim's state as the user reads it (lower case, inside a sentence)."""
    return str(dict(field_of(ExpenseClaim, "state").choices)[claim.state]).lower()


# --- reimbursement without accounting ---------------------------------------------------------------------------

def reimbursed_through_accounting(session) -> bool:
    """Whether the accounting bridge pays the claims (then HR does not mark them reimbursed by hand)."""
    return ACCOUNTING_BRIDGE in session.info["registry"].installed


def mark_reimbursed(session, actor, claim: ExpenseClaim, *, date: dt.date, reference: str | None = None,
                    today: dt.date | None = None) -> ExpenseClaim:
    """HR records that the company paid an approved claim back (on ``date``, with the transfer's reference)."""
    if not actor.in_group(OFFICER):
        raise ValidationError(gettext("Only HR officers mark claims reimbursed."))
    if reimbursed_through_accounting(session):
        raise ValidationError(gettext("With accounting, post the claim, then register its reimbursement as a "
                                      "payment."))
    if claim.state != APPROVED:
        raise ValidationError(gettext("Only an approved claim is reimbursed; this one is %(state)s.",
                                      state=state_label(claim)))
    if date is None:
        raise ValidationError(gettext("Say when the claim was reimbursed."), "date")
    _not_after_today(date, today, "date")
    reference = (reference or "").strip() or None
    if reference is not None and len(reference) > 60:
        raise ValidationError(gettext("At most %(count)s characters (this has %(actual)s).", count=60,
                                      actual=len(reference)), "reference")
    set_reimbursed(session, claim, date=date, reference=reference)
    return claim


def set_reimbursed(session, claim: ExpenseClaim, *, date: dt.date, reference: str | None) -> ExpenseClaim:
    """Close a claim the company paid back, and tell the employee (the bridge calls it after the payment)."""
    claim.state, claim.reimbursed_on, claim.reimbursement_ref = REIMBURSED, date, reference
    session.flush()
    _notify_employee(session, claim)
    return claim


# --- mail -------------------------------------------------------------------------------------------------------

def _notify_approver(session, claim: ExpenseClaim) -> None:
    with system_rows(session) as system:
        employee = system.get(Employee, claim.employee_id)
        manager = manager_of(employee)
        mail_user(system, manager.user if manager is not None else None, lambda: (
            gettext("Expense claim to approve: %(employee)s", employee=employee.name),
            gettext("%(employee)s claims %(total)s %(currency)s: %(description)s.", employee=employee.name,
                    total=claim.total, currency=claim.currency_code, description=claim.description)),
                  f"hr.expense:{claim.id}")


def _notify_employee(session, claim: ExpenseClaim) -> None:
    with system_rows(session) as system:
        user = system.get(Employee, claim.employee_id).user

        def compose():
            subject = {
                APPROVED: gettext("Your expense claim %(description)s is approved.", description=claim.description),
                REFUSED: gettext("Your expense claim %(description)s is refused: %(reason)s",
                                 description=claim.description, reason=claim.refusal),
                REIMBURSED: gettext("Your expense claim %(description)s is reimbursed.",
                                    description=claim.description),
            }[claim.state]
            return subject, subject

        mail_user(system, user, compose, f"hr.expense:{claim.id}")
