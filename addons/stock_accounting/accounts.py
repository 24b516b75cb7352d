"""Each company's stock accounts: taken from its chart where the chart has them, created where it does not.

Names are in the chart's language, as the chart's own accounts are: they become the company's data.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from addons.accounting.models import Account
from addons.accounting.models.ledger import GENERAL
from addons.accounting.services.books import chart_for, default_journal, has_books
from core.models import Company
from core.transaction_cache import cached

from .models import StockAccounts

ROLES = ("stock", "input", "output", "adjustment")

# chart -> role -> (code, name, type): Spain books inventory changes to 610, Italy to 4104, both for sales too
DEFAULTS = {
    "es": {"stock": ("300", "Mercaderías", "asset"),
           "input": ("4009", "Proveedores, facturas pendientes de recibir o de formalizar", "liability"),
           "output": ("610", "Variación de existencias de mercaderías", "expense"),
           "adjustment": ("610", "Variación de existencias de mercaderías", "expense")},
    "it": {"stock": ("1401", "Rimanenze di merci", "asset"),
           "input": ("2306", "Fatture da ricevere", "liability"),
           "output": ("4104", "Variazione delle rimanenze di merci", "expense"),
           "adjustment": ("4104", "Variazione delle rimanenze di merci", "expense")},
    "generic": {"stock": ("1400", "Inventory", "asset"),
                "input": ("2050", "Goods received not invoiced", "liability"),
                "output": ("5100", "Cost of goods sold", "expense"),
                "adjustment": ("5200", "Inventory adjustments", "expense")},
}


def stock_accounts(session: Session, company_id: int) -> StockAccounts | None:
    """The company's stock accounts, set up on first use; None while the company has no books (nothing is
    posted for it then)."""
    def load():
        found = session.scalar(select(StockAccounts).where(StockAccounts.company_id == company_id))
        if found is None and has_books(session, company_id):
            found = set_up(session, session.get(Company, company_id))
        return found

    return cached(session, ("stock_accounting.accounts", company_id), load, depends_on=(StockAccounts,))


def set_up(session: Session, company: Company) -> StockAccounts:
    defaults = DEFAULTS.get(chart_for(company).key, DEFAULTS["generic"])
    known = {row.code: row for row in session.scalars(select(Account).where(
        Account.company_id == company.id, Account.code.in_({code for code, _n, _t in defaults.values()})))}
    for code, name, kind in defaults.values():
        if code not in known:
            known[code] = Account(company_id=company.id, code=code, name=name, type=kind, reconcile=False)
            session.add(known[code])
    session.flush()
    row = StockAccounts(company_id=company.id, journal_id=default_journal(session, company.id, GENERAL).id,
                        **{f"{role}_account_id": known[defaults[role][0]].id for role in ROLES})
    session.add(row)
    session.flush()
    return row


def set_up_missing(session: Session) -> None:
    """Stock accounts for every company with books and none yet (after install; idempotent)."""
    for company_id in session.scalars(select(Company.id).order_by(Company.id)):
        stock_accounts(session, company_id)

