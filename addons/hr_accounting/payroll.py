"""Payroll in the ledger.

Posting payslips (a month's batch, a correction, a reversal) books one balanced journal entry through the
accounting services, in the payroll manager's transaction (written by the system: the entry is the
consequence of payroll work, not the payroll manager's accounting):

- debit wages expense (gross pay) and employer social security expense;
- credit social security payable (employee and employer contributions), withholding payable, other
  deductions, and net pay payable.

A reversal's amounts are negative: its entry swaps the sides. The accounts are kept per company
(:class:`PayrollAccounts`), set up on first use from the company's chart and changed by accountants.
Paying a batch's net pay books a bank payment that reconciles the net pay payable of its entry.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from flask import redirect, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, select
from sqlalchemy.orm import Mapped, mapped_column

from addons.accounting.models import Account, Journal, Move, MoveLine
from addons.accounting.models.ledger import BANK, GENERAL
from addons.accounting.services.books import chart_for, default_journal, has_books
from addons.accounting.services.ledger import LineSpec, create_move, post_move
from addons.accounting.services.reconcile import reconcile, residuals
from addons.hr.payroll.models import (DEDUCTION, EMPLOYEE_SS, EMPLOYER_SS, POSTED, WITHHOLDING, Payslip,
                                      PayslipBatch)
from core import Base, CompanyMixin, MenuItem, ModelAccess, intpk
from core.bulk import insert_rows
from core.errors import ValidationError
from core.fields import field
from core.models import Company
from core.sessions import system_rows
from core.transaction_cache import cached
from core.web.actions import run_service
from core.web.context import record_or_404
from core.web.panels import RecordButton
from core.web.views import ModelView

from .web import blueprint

ZERO = Decimal(0)
ACCOUNTANT, AUDITOR, PAYROLL = "accounting.group_accountant", "accounting.group_auditor", "hr.group_payroll"
ROLES = ("wages", "employer_ss", "ss_payable", "withholding", "deductions", "net_payable")
#: chart -> role -> (code, name, type, reconcilable)
DEFAULTS = {
    "es": {"wages": ("640", "Sueldos y salarios", "expense", False),
           "employer_ss": ("642", "Seguridad Social a cargo de la empresa", "expense", False),
           "ss_payable": ("476", "Organismos de la Seguridad Social, acreedores", "liability", False),
           "withholding": ("4751", "Hacienda Pública, acreedora por retenciones practicadas", "tax", False),
           "deductions": ("465", "Remuneraciones pendientes de pago", "liability", True),
           "net_payable": ("465", "Remuneraciones pendientes de pago", "liability", True)},
    "it": {"wages": ("4401", "Salari e stipendi", "expense", False),
           "employer_ss": ("4402", "Oneri sociali", "expense", False),
           "ss_payable": ("2305", "Debiti verso istituti previdenziali", "liability", False),
           "withholding": ("2402", "Erario c/ritenute da versare", "tax", False),
           "deductions": ("2304", "Debiti verso dipendenti", "liability", True),
           "net_payable": ("2304", "Debiti verso dipendenti", "liability", True)},
    "generic": {"wages": ("6400", "Salaries", "expense", False),
                "employer_ss": ("6410", "Employer social security", "expense", False),
                "ss_payable": ("2210", "Social security payable", "liability", False),
                "withholding": ("2110", "Withholding tax payable", "tax", False),
                "deductions": ("2200", "Salaries payable", "liability", True),
                "net_payable": ("2200", "Salaries payable", "liability", True)},
}


def _account(label, help_text):
    return field(label, help=help_text, domain=lambda actor: Account.active.is_(True),
                 domain_message=_l("Choose an active account."))


class PayrollAccounts(CompanyMixin, Base):
    """Where a company's payroll is booked (set up from the company's chart; accountants change it)."""

    __tablename__ = "hr_accounting_payroll_accounts"

    id: Mapped[intpk]
    journal_id: Mapped[int] = mapped_column(ForeignKey("accounting_journal.id"), info=field(
        _l("Journal"), help=_l("The journal payroll entries are posted in.")))
    wages_account_id: Mapped[int] = mapped_column(ForeignKey("accounting_account.id"), info=_account(
        _l("Wages expense"), _l("Debited with the gross pay.")))
    employer_ss_account_id: Mapped[int] = mapped_column(ForeignKey("accounting_account.id"), info=_account(
        _l("Employer social security expense"), _l("Debited with the company's contributions.")))
    ss_payable_account_id: Mapped[int] = mapped_column(ForeignKey("accounting_account.id"), info=_account(
        _l("Social security payable"), _l("Credited with the employees' and the company's contributions.")))
    withholding_account_id: Mapped[int] = mapped_column(ForeignKey("accounting_account.id"), info=_account(
        _l("Withholding payable"), _l("Credited with the income tax withheld.")))
    deductions_account_id: Mapped[int] = mapped_column(ForeignKey("accounting_account.id"), info=_account(
        _l("Other deductions"), _l("Credited with other deductions (an advance paid back).")))
    net_payable_account_id: Mapped[int] = mapped_column(ForeignKey("accounting_account.id"), info=_account(
        _l("Net pay payable"), _l("Credited with the net pay; the payment clears it (a reconcilable account).")))

    @property
    def display_name(self) -> str:
        return str(_l("Payroll accounts"))


class PayslipEntry(CompanyMixin, Base):
    """The journal entry that booked a payslip (one entry per posting, shared by its payslips)."""

    __tablename__ = "hr_accounting_payslip_entry"
    __audit__ = False  # written by the system with the entry, which is audited

    id: Mapped[intpk]
    payslip_id: Mapped[int] = mapped_column(ForeignKey("hr_payslip.id", ondelete="CASCADE"), unique=True,
                                            info=field(_l("Payslip")))
    move_id: Mapped[int] = mapped_column(ForeignKey("accounting_move.id"), index=True, info=field(_l("Entry")))


MODELS = (PayrollAccounts, PayslipEntry)
ACCESS = (
    ModelAccess(PayrollAccounts, ACCOUNTANT, read=True, write=True),
    ModelAccess(PayrollAccounts, AUDITOR, read=True),
    ModelAccess(PayrollAccounts, PAYROLL, read=True),
    ModelAccess(PayslipEntry, ACCOUNTANT, read=True),
    ModelAccess(PayslipEntry, PAYROLL, read=True),
)


# --- accounts --------------------------------------------------------------------------------------------------

def payroll_accounts(session, company_id: int) -> PayrollAccounts | None:
    """The company's payroll accounts, set up on first use; None while the company has no books."""
    def load():
        found = session.scalar(select(PayrollAccounts).where(PayrollAccounts.company_id == company_id))
        if found is None and has_books(session, company_id):
            found = _set_up(session, session.get(Company, company_id))
        return found

    return cached(session, ("hr_accounting.accounts", company_id), load, depends_on=(PayrollAccounts,))


def _set_up(session, company: Company) -> PayrollAccounts:
    defaults = DEFAULTS.get(chart_for(company).key, DEFAULTS["generic"])
    known = {row.code: row for row in session.scalars(select(Account).where(
        Account.company_id == company.id, Account.code.in_({code for code, *_rest in defaults.values()})))}
    for code, name, kind, reconcilable in defaults.values():
        if code not in known:
            known[code] = Account(company_id=company.id, code=code, name=name, type=kind, reconcile=reconcilable)
            session.add(known[code])
        elif reconcilable and not known[code].reconcile:  # the net pay is cleared by its payment
            known[code].reconcile = True
    session.flush()
    row = PayrollAccounts(company_id=company.id, journal_id=default_journal(session, company.id, GENERAL).id,
                          **{f"{role}_account_id": known[defaults[role][0]].id for role in ROLES})
    session.add(row)
    session.flush()
    return row


# --- booking ---------------------------------------------------------------------------------------------------

def entry_lines(accounts: PayrollAccounts, payslips) -> list[LineSpec]:
    """The balanced lines of the payslips' entry: one per account, on the side its sign says."""
    by_category: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for payslip in payslips:
        for line in payslip.lines:
            by_category[line.category] += line.amount
    gross = sum((payslip.gross for payslip in payslips), ZERO)
    net = sum((payslip.net for payslip in payslips), ZERO)
    signed = [  # positive: debit
        (accounts.wages_account_id, gross, gettext("Gross pay")),
        (accounts.employer_ss_account_id, by_category[EMPLOYER_SS], gettext("Employer social security")),
        (accounts.ss_payable_account_id, -(by_category[EMPLOYEE_SS] + by_category[EMPLOYER_SS]),
         gettext("Social security payable")),
        (accounts.withholding_account_id, -by_category[WITHHOLDING], gettext("Income tax withheld")),
        (accounts.deductions_account_id, -by_category[DEDUCTION], gettext("Other deductions")),
        (accounts.net_payable_account_id, -net, gettext("Net pay")),
    ]
    return [LineSpec(account_id=account_id, name=name, debit=amount if amount > 0 else ZERO,
                     credit=-amount if amount < 0 else ZERO) for account_id, amount, name in signed if amount]


def book_payroll(session, payslips: list[Payslip]) -> Move | None:
    """The ``payslips_posted`` hook: one posted entry for the payslips (None when the company keeps no books)."""
    if not payslips:
        return None
    company_id = payslips[0].company_id
    with system_rows(session) as system:
        accounts = payroll_accounts(system, company_id)
        if accounts is None:
            return None
        found = [system.get(Payslip, payslip.id) for payslip in payslips]
        lines = entry_lines(accounts, found)
        if not lines:
            return None
        first = found[0]
        ref = first.batch.name if first.batch is not None and len(found) > 1 else first.name
        move = create_move(system, system.get(Journal, accounts.journal_id), date=_last_day(first.month),
                           lines=lines, ref=ref, origin="payroll")
        post_move(system, move)
        insert_rows(system, PayslipEntry, [{"company_id": company_id, "payslip_id": payslip.id, "move_id": move.id}
                                           for payslip in found])
        return move


def _last_day(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def batch_entry(session, batch: PayslipBatch) -> Move | None:
    move_id = session.scalar(select(PayslipEntry.move_id).join(Payslip, Payslip.id == PayslipEntry.payslip_id)
                             .where(Payslip.batch_id == batch.id).limit(1))
    return session.get(Move, move_id) if move_id else None


def pay_batch(session, batch: PayslipBatch, *, date: dt.date, journal: Journal | None = None) -> Move:
    """Pay the batch's net pay from a bank journal: a posted payment entry reconciled with the payroll entry."""
    if batch.state != POSTED:
        raise ValidationError(gettext("Post batch %(batch)s before paying it.", batch=batch.name))
    with system_rows(session) as system:
        entry = batch_entry(system, system.get(PayslipBatch, batch.id))
        if entry is None:
            raise ValidationError(gettext("Batch %(batch)s has no journal entry: the company keeps no books.",
                                          batch=batch.name))
        accounts = payroll_accounts(system, batch.company_id)
        payable = [line for line in entry.lines if line.account_id == accounts.net_payable_account_id
                   and line.credit > 0]
        open_lines = residuals(system, payable)
        if not payable or not any(open_lines[line.id].amount for line in payable):
            raise ValidationError(gettext("The net pay of batch %(batch)s is already paid.", batch=batch.name))
        journal = journal or default_journal(system, batch.company_id, BANK)
        amount = -sum((open_lines[line.id].amount for line in payable), ZERO)
        move = create_move(system, journal, date=date, ref=gettext("Net pay %(batch)s", batch=batch.name),
                           origin="payroll", lines=[
                               LineSpec(account_id=accounts.net_payable_account_id, debit=amount,
                                        name=gettext("Net pay")),
                               LineSpec(account_id=journal.default_account_id, credit=amount,
                                        name=gettext("Net pay"))])
        post_move(system, move)
        paid = [line for line in move.lines if line.account_id == accounts.net_payable_account_id]
        reconcile(system, [*payable, *paid])
        return move


# --- pages -----------------------------------------------------------------------------------------------------


class PayrollAccountsView(ModelView):
    importable = False


def views() -> tuple[ModelView, ...]:
    return (PayrollAccountsView(PayrollAccounts, name="accounts", slug="accounts", label=_l("Payroll accounts"),
                                label_plural=_l("Payroll accounts"), search_fields=(),
                                list_columns=("journal_id", "wages_account_id", "net_payable_account_id")),)


MENU = (MenuItem(id="hr_accounting.accounts", label=_l("Payroll accounts"), parent="accounting.config",
                 endpoint="hr_accounting.accounts_list", model=PayrollAccounts, sequence=45),)


def buttons(session, actor, record) -> list[RecordButton]:
    if isinstance(record, PayslipBatch) and record.state == POSTED and \
            session.info["registry"].can(actor, PayslipBatch, "write"):
        return [RecordButton(gettext("Pay net pay"), "hr_accounting.pay_batch", (("batch_id", record.id),),
                             sequence=30)]
    return []


@blueprint.route("/batches/<int:batch_id>/pay", methods=["POST"])
def pay_batch_page(batch_id: int):
    batch = record_or_404(PayslipBatch, batch_id)
    run_service(lambda session: pay_batch(session, batch, date=dt.date.today()),
                success=gettext("Net pay paid and reconciled."))
    return redirect(url_for("hr.payslip_batch_view", record_id=batch_id))
