"""Bank statements imported from a file (CSV with a column mapping, or CAMT.053), line by line matched."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.contacts.models import Partner
from core import Base, CompanyMixin, TimestampMixin, intpk, str120

from .ledger import Journal, Money, Move

OPEN, MATCHED = "open", "matched"
LINE_STATES = ((OPEN, _l("To match")), (MATCHED, _l("Matched")))


class BankStatement(CompanyMixin, TimestampMixin, Base):
    __tablename__ = "accounting_bank_statement"

    id: Mapped[intpk]
    journal_id: Mapped[int] = mapped_column(ForeignKey("accounting_journal.id"), index=True)
    name: Mapped[str120]
    date: Mapped[dt.date] = mapped_column(Date)
    balance_start: Mapped[Decimal | None] = mapped_column(Money)
    balance_end: Mapped[Decimal | None] = mapped_column(Money)
    filename: Mapped[str | None]

    journal: Mapped[Journal] = relationship()
    lines: Mapped[list[BankStatementLine]] = relationship(back_populates="statement",
                                                          order_by="BankStatementLine.sequence",
                                                          cascade="all, delete-orphan")


class BankStatementLine(CompanyMixin, Base):
    """A movement on the bank account; ``unique_key`` makes a re-imported line a duplicate, not a new one."""

    __tablename__ = "accounting_bank_statement_line"
    __table_args__ = (UniqueConstraint("company_id", "journal_id", "unique_key"),)

    id: Mapped[intpk]
    statement_id: Mapped[int] = mapped_column(ForeignKey("accounting_bank_statement.id"), index=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("accounting_journal.id"))
    sequence: Mapped[int] = mapped_column(default=10)
    date: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money)
    label: Mapped[str | None]
    reference: Mapped[str | None] = mapped_column(String(64))
    partner_name: Mapped[str | None] = mapped_column(String(120))
    account_number: Mapped[str | None] = mapped_column(String(40))
    unique_key: Mapped[str] = mapped_column(String(64))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("contacts_partner.id"))
    state: Mapped[str] = mapped_column(String(8), default=OPEN, info={"choices": LINE_STATES})
    move_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_move.id"))

    statement: Mapped[BankStatement] = relationship(back_populates="lines")
    partner: Mapped[Partner | None] = relationship()
    move: Mapped[Move | None] = relationship()
