"""The accounts stock valuation posts to, per company, and which valuation entries are in the ledger."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from addons.accounting.models import Account
from core import Base, CompanyMixin, intpk
from core.fields import field


def _active_account(actor):
    return Account.active.is_(True)


def _account(label, help_text):
    return field(label, help=help_text, domain=_active_account, domain_message=_l("Choose an active account."))


class StockAccounts(CompanyMixin, Base):
    """Where a company's stock valuation is posted (set up with the company's chart; accountants change it)."""

    __tablename__ = "stock_accounting_accounts"

    id: Mapped[intpk]
    journal_id: Mapped[int] = mapped_column(ForeignKey("accounting_journal.id"), info=field(
        _l("Journal"), help=_l("The journal the valuation entries are posted in.")))
    stock_account_id: Mapped[int] = mapped_column(ForeignKey("accounting_account.id"), info=_account(
        _l("Stock"), _l("What the goods on hand are worth.")))
    input_account_id: Mapped[int] = mapped_column(ForeignKey("accounting_account.id"), info=_account(
        _l("Goods received not billed"), _l("Credited when goods arrive from a supplier; the vendor bill clears it.")))
    output_account_id: Mapped[int] = mapped_column(ForeignKey("accounting_account.id"), info=_account(
        _l("Cost of goods sold"), _l("Debited when goods leave for a customer.")))
    adjustment_account_id: Mapped[int] = mapped_column(ForeignKey("accounting_account.id"), info=_account(
        _l("Stock adjustments"), _l("Inventory counts, revaluations and other stock value changes.")))

    @property
    def display_name(self) -> str:
        return str(_l("Stock accounts"))


class PostedValuation(CompanyMixin, Base):
    """A stock valuation entry and the ledger entry it was posted in."""

    __tablename__ = "stock_accounting_posted"
    # the company's high-water mark, max(valuation_entry_id), is read from this index's end
    __table_args__ = (Index("ix_stock_accounting_posted_mark", "company_id", "valuation_entry_id"),)
    __audit__ = False  # a link between two ledgers that are audited themselves

    valuation_entry_id: Mapped[int] = mapped_column(ForeignKey("stock_valuation_entry.id", ondelete="CASCADE"),
                                                    primary_key=True)
    move_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_move.id"), index=True, info=field(
        _l("Journal entry"), help=_l("Empty: nothing posted (the value rounds to nothing, or it was valued before stock met "
                                  "accounting).")))


ALL = (StockAccounts, PostedValuation)
