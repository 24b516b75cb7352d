"""Accountants keep the stock accounts; auditors and stock managers read them and the links to the ledger.

The postings themselves are written by the system (see :mod:`.posting`), so nobody is granted to write links.
"""
from core import ModelAccess

from .models import PostedValuation, StockAccounts

ACCOUNTANT, AUDITOR, STOCK_MANAGER = "accounting.group_accountant", "accounting.group_auditor", "stock.group_manager"

ACCESS = (
    ModelAccess(StockAccounts, ACCOUNTANT, read=True, write=True),
    ModelAccess(StockAccounts, AUDITOR, read=True),
    ModelAccess(StockAccounts, STOCK_MANAGER, read=True),
    ModelAccess(PostedValuation, ACCOUNTANT, read=True),
    ModelAccess(PostedValuation, AUDITOR, read=True),
    ModelAccess(PostedValuation, STOCK_MANAGER, read=True),
)
