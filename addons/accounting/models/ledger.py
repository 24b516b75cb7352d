"""The ledger: accounts, fiscal years and periods, journals, journal entries (moves) and their lines.

Amounts on lines are in the company's currency (``debit``/``credit``, both
non-negative, one of them zero); a line in another currency also keeps
``currency_code`` and the signed ``amount_currency``. ``date``,
``journal_id`` and ``posted`` are copied from the move onto its lines so the
reports read one table. Once posted, a move and its lines never change: the
database refuses it (see the ``ledger_guards`` migration) and so does the
``validate_flush`` hook, with a readable message.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.contacts.models import Partner
from core import Base, CompanyMixin, TimestampMixin, intpk, str120
from core.fields import field

RECEIVABLE, PAYABLE, BANK, CASH = "receivable", "payable", "bank", "cash"
INCOME, EXPENSE, EQUITY, ASSET, LIABILITY, TAX = "income", "expense", "equity", "asset", "liability", "tax"
ACCOUNT_TYPES = (
    (RECEIVABLE, _l("Receivable")), (PAYABLE, _l("Payable")), (BANK, _l("Bank")), (CASH, _l("Cash")),
    (INCOME, _l("Income")), (EXPENSE, _l("Expense")), (EQUITY, _l("Equity")), (ASSET, _l("Asset")),
    (LIABILITY, _l("Liability")), (TAX, _l("Tax")),
)
#: Types whose balance goes to the profit and loss statement (and is closed at year end).
RESULT_TYPES = (INCOME, EXPENSE)

SALE, PURCHASE, GENERAL = "sale", "purchase", "general"
JOURNAL_KINDS = ((SALE, _l("Sales")), (PURCHASE, _l("Purchases")), (BANK, _l("Bank")), (CASH, _l("Cash")),
                 (GENERAL, _l("Miscellaneous")))

DRAFT, POSTED = "draft", "posted"
MOVE_STATES = ((DRAFT, _l("Draft")), (POSTED, _l("Posted")))
OPEN, CLOSED = "open", "closed"
YEAR_STATES = ((OPEN, _l("Open year")), (CLOSED, _l("Closed year")))
ROUNDING = (("line", _l("Round each line")), ("global", _l("Round the total")))

Money = Numeric(18, 2)


def active_account(*types: str):
    """A domain: active accounts (of one of ``types``, when given)."""
    if not types:
        return lambda actor: Account.active.is_(True)
    return lambda actor: Account.active.is_(True) & Account.type.in_(types)


def _tax_of_use(use: str):
    """Active taxes of one use (sale or purchase); taxes are defined after the ledger, so looked up late."""
    from .taxes import Tax

    return Tax.active.is_(True) & (Tax.use == use)


def _posted(record) -> bool:
    return record.state == POSTED


def _line_posted(record) -> bool:
    return bool(record.posted)


ACTIVE_ACCOUNT = _l("Choose an active account.")


class Settings(CompanyMixin, Base):
    """A company's accounting settings: lock date, rounding and the accounts services fall back on."""

    __tablename__ = "accounting_settings"
    __table_args__ = (UniqueConstraint("company_id"),)

    id: Mapped[intpk]
    chart: Mapped[str] = mapped_column(String(16), default="generic", info=field(_l("Chart of accounts"),
                                                                                  readonly=True, listed=True))
    lock_date: Mapped[dt.date | None] = mapped_column(Date, info=field(_l("Lock date"), readonly=True))
    tax_rounding: Mapped[str] = mapped_column(String(8), default="line", info=field(
        _l("Tax rounding"), choices=ROUNDING, listed=True))
    receivable_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_account.id"), info=field(
        _l("Receivable account"), domain=active_account(RECEIVABLE),
        domain_message=_l("Choose an active receivable account.")))
    payable_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_account.id"), info=field(
        _l("Payable account"), domain=active_account(PAYABLE), domain_message=_l("Choose an active payable account.")))
    income_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_account.id"), info=field(
        _l("Income account"), domain=active_account(INCOME), domain_message=_l("Choose an active income account.")))
    expense_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_account.id"), info=field(
        _l("Expense account"), domain=active_account(EXPENSE), domain_message=_l("Choose an active expense account.")))
    retained_earnings_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_account.id"), info=field(
        _l("Retained earnings account"), domain=active_account(EQUITY),
        domain_message=_l("Choose an active equity account.")))
    exchange_gain_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_account.id"), info=field(
        _l("Exchange gain account"), domain=active_account(INCOME),
        domain_message=_l("Choose an active income account.")))
    exchange_loss_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_account.id"), info=field(
        _l("Exchange loss account"), domain=active_account(EXPENSE),
        domain_message=_l("Choose an active expense account.")))
    writeoff_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_account.id"), info=field(
        _l("Write-off account"), domain=active_account(INCOME, EXPENSE),
        domain_message=_l("Choose an active income or expense account.")))
    sale_tax_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_tax.id"), info=field(
        _l("Default sales tax"), domain=lambda actor: _tax_of_use("sale"),
        domain_message=_l("Choose an active sales tax."),
        help=_l("Put on a product's sales lines when neither the product nor its category names taxes.")))
    purchase_tax_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_tax.id"), info=field(
        _l("Default purchase tax"), domain=lambda actor: _tax_of_use("purchase"),
        domain_message=_l("Choose an active purchase tax."),
        help=_l("Put on a product's bill lines when neither the product nor its category names taxes.")))
    #: The largest difference a payment or a bank match may write off without booking an advance.
    writeoff_limit: Mapped[Decimal] = mapped_column(Money, default=Decimal("1.00"), info=field(
        _l("Write-off limit"), minimum=Decimal(0),
        help=_l("The largest difference a payment or a bank match may write off without booking an advance.")))


class Account(CompanyMixin, TimestampMixin, Base):
    """An account of the chart; ``reconcile`` accounts (receivable, payable) have lines matched by payments."""

    __tablename__ = "accounting_account"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[intpk]
    code: Mapped[str] = mapped_column(String(16), info=field(_l("Code"), format="code", listed=True))
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    type: Mapped[str] = mapped_column(String(16), info=field(_l("Type"), choices=ACCOUNT_TYPES, listed=True))
    reconcile: Mapped[bool] = mapped_column(default=False, info=field(_l("Reconcilable"), listed=True))
    currency_code: Mapped[str | None] = mapped_column(String(3), info=field(_l("Currency")))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active"), listed=True))

    @property
    def display_name(self) -> str:
        return f"{self.code} {self.name}"


class FiscalYear(CompanyMixin, TimestampMixin, Base):
    """A fiscal year; closing it carries the year's result to equity and forbids new entries in it."""

    __tablename__ = "accounting_fiscal_year"
    __table_args__ = (UniqueConstraint("company_id", "name"), CheckConstraint("date_start <= date_end", "dates"))

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(16), info=field(_l("Name"), listed=True))
    date_start: Mapped[dt.date] = mapped_column(Date, info=field(_l("Start date"), listed=True))
    date_end: Mapped[dt.date] = mapped_column(Date, info=field(_l("End date"), listed=True))
    state: Mapped[str] = mapped_column(String(8), default=OPEN, info=field(_l("Status"), choices=YEAR_STATES,
                                                                           readonly=True, listed=True))

    periods: Mapped[list[Period]] = relationship(back_populates="fiscal_year", order_by="Period.date_start")


class Period(CompanyMixin, Base):
    """A month (or other span) of a fiscal year: the unit of the tax report and of budgets."""

    __tablename__ = "accounting_period"
    __table_args__ = (UniqueConstraint("fiscal_year_id", "name"),)

    id: Mapped[intpk]
    fiscal_year_id: Mapped[int] = mapped_column(ForeignKey("accounting_fiscal_year.id"), index=True,
                                                info=field(_l("Fiscal year")))
    name: Mapped[str] = mapped_column(String(16), info=field(_l("Name"), listed=True))
    date_start: Mapped[dt.date] = mapped_column(Date, info=field(_l("Start date"), listed=True))
    date_end: Mapped[dt.date] = mapped_column(Date, info=field(_l("End date"), listed=True))

    fiscal_year: Mapped[FiscalYear] = relationship(back_populates="periods")


class Journal(CompanyMixin, TimestampMixin, Base):
    """A book of entries (sales, purchases, a bank account, cash, miscellaneous), numbered on its own."""

    __tablename__ = "accounting_journal"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[intpk]
    code: Mapped[str] = mapped_column(String(8), info=field(_l("Code"), format="code", listed=True))
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    kind: Mapped[str] = mapped_column(String(8), info=field(_l("Kind"), choices=JOURNAL_KINDS, listed=True))
    default_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_account.id"), info=field(
        _l("Default account"), domain=active_account(), domain_message=ACTIVE_ACCOUNT, listed=True))
    currency_code: Mapped[str | None] = mapped_column(String(3), info=field(_l("Currency")))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active"), listed=True))

    default_account: Mapped[Account | None] = relationship()

    @property
    def display_name(self) -> str:
        return f"{self.code} {self.name}"


class Move(CompanyMixin, TimestampMixin, Base):
    """A journal entry. Draft entries may change; posting numbers it and freezes it for good."""

    __tablename__ = "accounting_move"
    __table_args__ = (
        UniqueConstraint("journal_id", "fiscal_year_id", "sequence_number"),
        UniqueConstraint("reversed_move_id"),
        CheckConstraint("state <> 'posted' OR (number IS NOT NULL AND sequence_number IS NOT NULL "
                        "AND fiscal_year_id IS NOT NULL)", "posted_numbered"),
        Index("ix_accounting_move_list", "company_id", "date", "id"),  # the entries list's default order
    )

    id: Mapped[intpk]
    journal_id: Mapped[int] = mapped_column(ForeignKey("accounting_journal.id"), index=True, info=field(
        _l("Journal"), readonly=_posted))
    fiscal_year_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_fiscal_year.id"), info=field(
        _l("Fiscal year"), readonly=True))
    period_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_period.id"), info=field(
        _l("Period"), readonly=True))
    date: Mapped[dt.date] = mapped_column(Date, info=field(_l("Date"), readonly=_posted))
    number: Mapped[str | None] = mapped_column(String(32), info=field(_l("Number"), readonly=True))
    sequence_number: Mapped[int | None] = mapped_column(info=field(internal=True))
    ref: Mapped[str | None] = mapped_column(info=field(_l("Reference"), readonly=_posted))
    narration: Mapped[str | None] = mapped_column(Text, info=field(_l("Notes"), readonly=_posted))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("contacts_partner.id"), index=True, info=field(
        _l("Partner"), readonly=_posted))
    state: Mapped[str] = mapped_column(String(8), default=DRAFT, info=field(_l("Status"), choices=MOVE_STATES,
                                                                            readonly=True))
    origin: Mapped[str] = mapped_column(String(16), default="entry", info=field(_l("Origin"), readonly=True))
    reversed_move_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_move.id"), info=field(
        _l("Reversal of"), readonly=True))
    posted_at: Mapped[dt.datetime | None] = mapped_column(info=field(_l("Posted on"), readonly=True))
    posted_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), info=field(
        _l("Posted by"), readonly=True))

    journal: Mapped[Journal] = relationship()
    partner: Mapped[Partner | None] = relationship()
    fiscal_year: Mapped[FiscalYear | None] = relationship(foreign_keys=[fiscal_year_id])
    lines: Mapped[list[MoveLine]] = relationship(back_populates="move", order_by="MoveLine.id",
                                                 cascade="all, delete-orphan")

    @property
    def display_name(self) -> str:
        return self.number or f"draft #{self.id}"


class MoveLine(CompanyMixin, Base):
    """One debit or credit of a journal entry, on one account."""

    __tablename__ = "accounting_move_line"
    __table_args__ = (
        CheckConstraint("debit >= 0 AND credit >= 0 AND (debit = 0 OR credit = 0)", "one_side"),
        # account before date, debit and credit included: per-account sums read the index alone, in order
        # (at 1M lines on SQLite the trial balance takes a quarter of the time of a (..., date, account) index)
        Index("ix_accounting_move_line_report", "company_id", "posted", "account_id", "date", "debit", "credit"),
        Index("ix_accounting_move_line_open", "account_id", "partner_id", "date_maturity"),
    )

    id: Mapped[intpk]
    move_id: Mapped[int] = mapped_column(ForeignKey("accounting_move.id"), index=True, info=field(
        _l("Entry"), readonly=True))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounting_account.id"), info=field(
        _l("Account"), readonly=_line_posted, domain=active_account(), domain_message=ACTIVE_ACCOUNT))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("contacts_partner.id"), index=True, info=field(
        _l("Partner"), readonly=_line_posted))
    name: Mapped[str | None] = mapped_column(info=field(_l("Label"), readonly=_line_posted))
    debit: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"), info=field(
        _l("Debit"), minimum=Decimal(0), readonly=_line_posted))
    credit: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"), info=field(
        _l("Credit"), minimum=Decimal(0), readonly=_line_posted))
    currency_code: Mapped[str | None] = mapped_column(String(3), info=field(_l("Currency"), readonly=_line_posted))
    amount_currency: Mapped[Decimal | None] = mapped_column(Money, info=field(
        _l("Amount in currency"), readonly=_line_posted))
    date: Mapped[dt.date] = mapped_column(Date, info=field(_l("Date"), readonly=True))
    date_maturity: Mapped[dt.date | None] = mapped_column(Date, info=field(_l("Due date"), readonly=_line_posted))
    journal_id: Mapped[int] = mapped_column(ForeignKey("accounting_journal.id"), info=field(
        _l("Journal"), readonly=True))
    posted: Mapped[bool] = mapped_column(default=False, info=field(_l("Posted"), readonly=True))
    tax_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_tax.id"), info=field(
        _l("Tax"), readonly=_line_posted))
    tax_base_amount: Mapped[Decimal | None] = mapped_column(Money, info=field(_l("Tax base"), readonly=_line_posted))

    move: Mapped[Move] = relationship(back_populates="lines")
    account: Mapped[Account] = relationship()
    partner: Mapped[Partner | None] = relationship()

    @property
    def balance(self) -> Decimal:
        return self.debit - self.credit
