"""The Accounting menu: each entry names the model (and operation) it needs, so a billing user sees
invoices and bills only, an auditor sees everything but no action, an accountant everything."""
from flask_babel import lazy_gettext as _l

from core import MenuItem

from .models import (
    Account,
    BankStatement,
    Budget,
    BudgetLine,
    CurrencyRate,
    FiscalYear,
    Invoice,
    Journal,
    Move,
    MoveLine,
    Payment,
    PaymentTerm,
    Reconciliation,
    Settings,
    Tax,
)
from .security import AUDITOR


def _entry(key, label, parent, endpoint, model, sequence, **extra):
    return MenuItem(id=f"accounting.{key}", label=label, parent=f"accounting.{parent}", endpoint=endpoint,
                    model=model, sequence=sequence, **extra)


MENU = (
    MenuItem(id="accounting.root", label=_l("Accounting"), sequence=20, icon="calculator"),
    MenuItem(id="accounting.customers", label=_l("Customers"), parent="accounting.root", sequence=1),
    _entry("invoices", _l("Invoices"), "customers", "accounting.invoice_list", Invoice, 1),
    _entry("credit_notes", _l("Credit notes"), "customers", "accounting.credit_note_list", Invoice, 2),
    _entry("payments_in", _l("Payments received"), "customers", "accounting.payment_in_list", Payment, 3),
    MenuItem(id="accounting.vendors", label=_l("Vendors"), parent="accounting.root", sequence=2),
    _entry("bills", _l("Bills"), "vendors", "accounting.bill_list", Invoice, 1),
    _entry("refunds", _l("Supplier credit notes"), "vendors", "accounting.refund_list", Invoice, 2),
    _entry("payments_out", _l("Payments sent"), "vendors", "accounting.payment_out_list", Payment, 3),
    MenuItem(id="accounting.books", label=_l("Accounting"), parent="accounting.root", sequence=3),
    _entry("moves", _l("Journal entries"), "books", "accounting.move_list", Move, 1),
    _entry("move_lines", _l("Journal items"), "books", "accounting.move_line_list", MoveLine, 2),
    _entry("statements", _l("Bank statements"), "books", "accounting.statement_list", BankStatement, 3),
    _entry("bank_import", _l("Import a statement"), "books", "accounting.bank_upload", BankStatement, 4,
           operation="create"),
    _entry("reconcile", _l("Reconciliation"), "books", "accounting.reconcile_page", Reconciliation, 5,
           operation="create"),
    MenuItem(id="accounting.reporting", label=_l("Reports"), parent="accounting.root", sequence=4),
    _entry("reports", _l("Financial reports"), "reporting", "accounting.reports_page", MoveLine, 1),
    MenuItem(id="accounting.config", label=_l("Configuration"), parent="accounting.root", sequence=9, group=AUDITOR),
    _entry("accounts", _l("Chart of accounts"), "config", "accounting.account_list", Account, 1),
    _entry("journals", _l("Journals"), "config", "accounting.journal_list", Journal, 2),
    _entry("taxes", _l("Taxes"), "config", "accounting.tax_list", Tax, 3),
    _entry("terms", _l("Payment terms"), "config", "accounting.payment_term_list", PaymentTerm, 4),
    _entry("years", _l("Fiscal years"), "config", "accounting.fiscal_year_list", FiscalYear, 5),
    _entry("rates", _l("Currencies and rates"), "config", "accounting.currency_rate_list", CurrencyRate, 6),
    _entry("budgets", _l("Budgets"), "config", "accounting.budget_list", Budget, 7),
    _entry("budget_lines", _l("Budget lines"), "config", "accounting.budget_line_list", BudgetLine, 8),
    _entry("settings", _l("Settings and lock date"), "config", "accounting.closing_page", Settings, 9,
           operation="write"),
)
