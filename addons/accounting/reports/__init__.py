"""Accounting reports, computed in SQL through the user's session; :mod:`.exports` writes them as files."""
from core.reports import Column, Report

from .aged import aged_payables, aged_receivables
from .balance_sheet import balance_sheet
from .budget import budget_vs_actual
from .general_ledger import general_ledger
from .partner_ledger import partner_ledger
from .profit_loss import profit_and_loss
from .tax_report import tax_report
from .trial_balance import trial_balance

__all__ = [
    "Column", "Report", "aged_payables", "aged_receivables", "balance_sheet", "budget_vs_actual", "general_ledger",
    "partner_ledger", "profit_and_loss", "tax_report", "trial_balance",
]
