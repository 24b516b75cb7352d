"""What the bridge keeps for expense claims: each category's expense account (shown on the category's pages),
each employee's partner in the ledger, and the entry and payment of each posted claim."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.accounting.models import Account, Move, Payment
from addons.accounting.models.ledger import EXPENSE, active_account
from addons.hr.expenses.models import ExpenseCategory, ExpenseClaim
from core import Base
from core.fields import Extension, field


class ExpenseCategoryAccount(Base):
    """The account a category's expenses are booked to (empty: the company's default expense account)."""

    __tablename__ = "hr_accounting_expense_category"

    category_id: Mapped[int] = mapped_column(ForeignKey("hr_expense_category.id", ondelete="CASCADE"),
                                             primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True, info=field(internal=True))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_account.id"), info=field(
        _l("Expense account"), domain=active_account(EXPENSE), domain_message=_l("Choose an active expense account."),
        help=_l("Where its expenses are booked; empty: the company's default expense account.")))

    account: Mapped[Account | None] = relationship()


class EmployeePartner(Base):
    """The partner that stands for an employee in the ledger: what the company owes them is on its payable."""

    __tablename__ = "hr_accounting_employee_partner"
    __audit__ = False  # a link the system writes with the first posting, whose entry is audited

    employee_id: Mapped[int] = mapped_column(ForeignKey("hr_employee.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True, info=field(internal=True))
    partner_id: Mapped[int] = mapped_column(ForeignKey("contacts_partner.id"), index=True, info=field(
        _l("Partner in the ledger"), readonly=True))


class ClaimPosting(Base):
    """A posted claim's journal entry, and the payment that reimbursed it."""

    __tablename__ = "hr_accounting_claim_posting"
    __audit__ = False  # written by the system with the entry and the payment, which are audited

    claim_id: Mapped[int] = mapped_column(ForeignKey("hr_expense_claim.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True, info=field(internal=True))
    move_id: Mapped[int] = mapped_column(ForeignKey("accounting_move.id"), index=True, info=field(
        _l("Journal entry"), readonly=True))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_payment.id"), index=True, info=field(
        _l("Reimbursement payment"), readonly=True))

    move: Mapped[Move] = relationship()
    payment: Mapped[Payment | None] = relationship()


EXPENSE_MODELS = (ExpenseCategoryAccount, EmployeePartner, ClaimPosting)
EXPENSE_EXTENSIONS = (Extension(ExpenseCategory, ExpenseCategoryAccount), Extension(ExpenseClaim, ClaimPosting))
