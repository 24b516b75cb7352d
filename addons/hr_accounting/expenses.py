"""Expense claims in the ledger: an approved claim is posted as one entry, and reimbursed by a payment.

- the entry (general journal) debits each category's expense account (the category's own, else the company's
  default expense account) with the amounts of its lines, tax included, and credits the employee's payable
  with the total;
- the employee is a partner in the ledger (created on first posting, kept in :class:`EmployeePartner`), whose
  payable is the company's account for expenses to reimburse (taken from its chart, created where missing);
- the reimbursement is a payment from a bank or cash journal that reconciles that payable; the claim is then
  reimbursed and the employee told;
- a posted claim's entry is immutable like any other: the claim is neither refused, changed nor deleted once
  posted (:func:`validate_flush`).

Posting and paying are an accountant's work on an HR officer's claims: the user needs both (model access
decides). Claims approved before the bridge was installed are marked reimbursed by hand as before.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from addons.accounting.models import Account, Journal, MoveLine, PartnerAccounting
from addons.accounting.models.ledger import GENERAL, PAYABLE
from addons.accounting.services.books import chart_for, company_settings, default_journal, has_books
from addons.accounting.services.ledger import LineSpec, create_move, post_move
from addons.accounting.services.payments import register_payment
from addons.contacts.models import Partner
from addons.hr.expenses.models import APPROVED, POSTED, REIMBURSED, ExpenseClaim, ExpenseLine
from addons.hr.expenses.services import set_reimbursed, state_label
from addons.hr.models import Employee
from core.errors import ValidationError
from core.models import Company
from core.sessions import system_rows

from .expense_models import ClaimPosting, EmployeePartner, ExpenseCategoryAccount

# chart -> (code, name) of the payable for expenses to reimburse to employees
PAYABLE_ACCOUNTS = {
    "es": ("4651", "Empleados, gastos a reembolsar"),
    "it": ("2309", "Dipendenti c/rimborsi spese"),
    "generic": ("2210", "Employee expenses to reimburse"),
}


def post_claim(session: Session, claim: ExpenseClaim, *, date: dt.date | None = None) -> ClaimPosting:
    """Post an approved claim as one balanced entry dated ``date`` (default: the claim's date)."""
    if claim.state != APPROVED:
        raise ValidationError(gettext("Only an approved claim is posted; this one is %(state)s.",
                                      state=state_label(claim)))
    if not has_books(session, claim.company_id):
        raise ValidationError(gettext("Set up the books of this company before posting expense claims."))
    date = date or claim.date
    partner_id = employee_partner_id(session, claim.employee)
    payable = _payable_account_id(session, partner_id)
    lines = [LineSpec(account_id=account_id, debit=amount, name=name, partner_id=partner_id)
             for (account_id, name), amount in _by_account(session, claim).items()]
    lines.append(LineSpec(account_id=payable, credit=claim.total, name=claim.description, partner_id=partner_id,
                          date_maturity=date))
    with session.begin_nested():
        move = create_move(session, default_journal(session, claim.company_id, GENERAL), date=date, lines=lines,
                           ref=claim.description, partner_id=partner_id, origin="hr.expense")
        post_move(session, move)
        posting = ClaimPosting(claim_id=claim.id, company_id=claim.company_id, move_id=move.id)
        session.add(posting)
        claim.state = POSTED
        session.flush()
    return posting


def _by_account(session: Session, claim: ExpenseClaim) -> dict[tuple[int, str], Decimal]:
    """The claim's amounts summed by expense account (and category name, the line's label)."""
    accounts = dict(session.execute(select(ExpenseCategoryAccount.category_id, ExpenseCategoryAccount.account_id)
                                    .where(ExpenseCategoryAccount.category_id.in_(
                                        {line.category_id for line in claim.lines}))).all())
    default = company_settings(session, claim.company_id).expense_account_id
    sums: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for line in claim.lines:
        account_id = accounts.get(line.category_id) or default
        if account_id is None:
            raise ValidationError(gettext("Choose the expense account of category %(category)s (or a default "
                                          "expense account in the accounting settings).",
                                          category=line.category.name), "category_id")
        sums[account_id, line.category.name] += line.amount
    return sums


def reimburse_claim(session: Session, claim: ExpenseClaim, *, date: dt.date, journal: Journal | None = None,
                    reference: str | None = None) -> ClaimPosting:
    """Pay a posted claim back to the employee from ``journal`` (default: the first bank journal); the payment
    reconciles the employee's payable and the claim is reimbursed."""
    if claim.state != POSTED:
        raise ValidationError(gettext("Only a posted claim is reimbursed by payment; this one is %(state)s.",
                                      state=state_label(claim)))
    posting = session.get(ClaimPosting, claim.id)
    payable = _payable_line(session, posting)
    with session.begin_nested():
        payment = register_payment(session, [payable], amount=claim.total, date=date, journal=journal,
                                   reference=reference or claim.description)
        posting.payment_id = payment.id
        set_reimbursed(session, claim, date=date, reference=reference)
    return posting


def _payable_line(session: Session, posting: ClaimPosting) -> MoveLine:
    return session.scalars(select(MoveLine).join(Account, Account.id == MoveLine.account_id).where(
        MoveLine.move_id == posting.move_id, MoveLine.credit > 0, Account.reconcile.is_(True))).one()


# --- the employee in the ledger ---------------------------------------------------------------------------------

def employee_partner_id(session: Session, employee: Employee) -> int:
    """The employee's partner, created (with the payable for expenses) the first time they are owed money.
    Written by the system: bookkeeping of the posting, not a contact the accountant manages."""
    with system_rows(session) as system:
        link = system.get(EmployeePartner, employee.id)
        if link is None:
            partner = Partner(company_id=employee.company_id, name=employee.name, email=employee.work_email)
            system.add(partner)
            system.flush()
            system.add(PartnerAccounting(partner_id=partner.id, company_id=employee.company_id,
                                         payable_account_id=payable_account(system, employee.company_id).id))
            link = EmployeePartner(employee_id=employee.id, company_id=employee.company_id, partner_id=partner.id)
            system.add(link)
            system.flush()
        return link.partner_id


def _payable_account_id(session: Session, partner_id: int) -> int:
    with system_rows(session) as system:
        return system.get(PartnerAccounting, partner_id).payable_account_id


def payable_account(session: Session, company_id: int) -> Account:
    """The company's payable for expenses to reimburse, from its chart's code, created where missing."""
    code, name = PAYABLE_ACCOUNTS.get(chart_for(session.get(Company, company_id)).key, PAYABLE_ACCOUNTS["generic"])
    account = session.scalar(select(Account).where(Account.company_id == company_id, Account.code == code))
    if account is None:
        account = Account(company_id=company_id, code=code, name=name, type=PAYABLE, reconcile=True)
        session.add(account)
        session.flush()
    return account


# --- posted claims are immutable --------------------------------------------------------------------------------

def validate_flush(session: Session, new: list, dirty: list, deleted: list) -> None:
    """Refuse changing, refusing or deleting a posted claim, or changing its lines; paying it back is the one
    change left (posted to reimbursed)."""
    with session.no_autoflush:
        _refuse_changes(session, new, dirty, deleted)


def _refuse_changes(session: Session, new: list, dirty: list, deleted: list) -> None:
    for claim in dirty:
        if isinstance(claim, ExpenseClaim):
            history = inspect(claim).attrs.state.history
            before = history.deleted[0] if history.deleted else claim.state
            if before in (POSTED, REIMBURSED) and _changed(claim) and not (
                    before == POSTED and claim.state == REIMBURSED):
                raise ValidationError(gettext("Claim %(claim)s is posted: its entry is final and the claim no "
                                              "longer changes.", claim=claim.description))
    claim_ids = {line.claim_id for line in (*new, *dirty, *deleted) if isinstance(line, ExpenseLine)}
    claim_ids |= {claim.id for claim in deleted if isinstance(claim, ExpenseClaim)}
    claim_ids.discard(None)
    if claim_ids and _posted(session, claim_ids):
        raise ValidationError(gettext("A posted claim's expenses are final: its entry is in the ledger."))


def _posted(session: Session, claim_ids: set[int]) -> bool:
    """Whether one of the claims is posted, whoever may read the postings (one query on the table)."""
    table = ClaimPosting.__table__
    return session.connection().execute(
        select(table.c.claim_id).where(table.c.claim_id.in_(claim_ids)).limit(1)).first() is not None


def _changed(claim: ExpenseClaim) -> bool:
    state = inspect(claim)
    return any(state.attrs[key].history.has_changes() for key in state.mapper.column_attrs.keys()
               if key != "updated_at")
