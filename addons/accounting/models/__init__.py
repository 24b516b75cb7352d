"""Accounting records, one module per area: ledger, currencies, taxes, invoicing, payments, bank, budgets,
and what accounting adds to partners and products."""
from .bank import BankStatement, BankStatementLine
from .budgets import Budget, BudgetLine
from .currencies import Currency, CurrencyRate
from .invoicing import Invoice, InvoiceLine, InvoiceTax, PaymentTerm, PaymentTermLine, invoice_line_taxes
from .ledger import Account, FiscalYear, Journal, Move, MoveLine, Period, Settings
from .partners import PartnerAccounting
from .payments import Payment, Reconciliation
from .products import CategoryAccounting, ProductAccounting
from .taxes import Tax

__all__ = [
    "Account", "BankStatement", "BankStatementLine", "Budget", "BudgetLine", "CategoryAccounting", "Currency",
    "CurrencyRate", "FiscalYear", "Invoice", "InvoiceLine", "InvoiceTax", "Journal", "Move", "MoveLine",
    "PartnerAccounting", "Payment", "PaymentTerm", "PaymentTermLine", "Period", "ProductAccounting", "Reconciliation",
    "Settings", "Tax", "invoice_line_taxes",
]

ALL = (Currency, CurrencyRate, Settings, Account, FiscalYear, Period, Journal, Move, MoveLine, Tax, PaymentTerm,
       PaymentTermLine, Invoice, InvoiceLine, InvoiceTax, Payment, Reconciliation, BankStatement,
       BankStatementLine, Budget, BudgetLine, PartnerAccounting, ProductAccounting, CategoryAccounting)
