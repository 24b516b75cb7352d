"""Bank statements imported from a file (CSV with a column mapping, or CAMT.053), line by line matched."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.contacts.models import Partner
from core import Base, CompanyMixin, TimestampMixin, intpk, str120
from core.fields import field

from .ledger import BANK, Journal, Money, Move

OPEN, MATCHED = "open", "matched"
LINE_STATES = ((OPEN, _l("To match")), (MATCHED, _l("Matched")))


class BankStatement(CompanyMixin, TimestampMixin, Base):
    __tablename__ = "accounting_bank_statement"

    id: Mapped[intpk]
    journal_id: Mapped[int] = mapped_column(ForeignKey("accounting_journal.id"), index=True, info=field(
        _l("Journal"), domain=lambda actor: Journal.active.is_(True) & (Journal.kind == BANK),
        domain_message=_l("Choose an active bank journal.")))
    name: Mapped[str120] = mapped_column(info=field(_l("Name")))
    date: Mapped[dt.date] = mapped_column(Date, info=field(_l("Date")))
    balance_start: Mapped[Decimal | None] = mapped_column(Money, info=field(_l("Opening balance")))
    balance_end: Mapped[Decimal | None] = mapped_column(Money, info=field(_l("Closing balance")))
    filename: Mapped[str | None] = mapped_column(info=field(_l("File")))

    journal: Mapped[Journal] = relationship()
    lines: Mapped[list[BankStatementLine]] = relationship(back_populates="statement",
                                                          order_by="BankStatementLine.sequence",
                                                          cascade="all, delete-orphan")


class BankStatementLine(CompanyMixin, Base):
    """A movement on the bank account; ``unique_key`` makes a re-imported line a duplicate, not a new one."""

    __tablename__ = "accounting_bank_statement_line"
    __table_args__ = (UniqueConstraint("company_id", "journal_id", "unique_key"),)

    id: Mapped[intpk]
    statement_id: Mapped[int] = mapped_column(ForeignKey("accounting_bank_statement.id"), index=True,
                                              info=field(_l("Bank statement")))
    journal_id: Mapped[int] = mapped_column(ForeignKey("accounting_journal.id"), info=field(_l("Journal")))
    sequence: Mapped[int] = mapped_column(default=10, info=field(_l("Order")))
    date: Mapped[dt.date] = mapped_column(Date, info=field(_l("Date")))
    amount: Mapped[Decimal] = mapped_column(Money, info=field(_l("Amount")))
    label: Mapped[str | None] = mapped_column(info=field(_l("Label")))
    reference: Mapped[str | None] = mapped_column(String(64), info=field(_l("Reference")))
    partner_name: Mapped[str | None] = mapped_column(String(120), info=field(_l("Counterpart")))
    account_number: Mapped[str | None] = mapped_column(String(40), info=field(_l("Counterpart account")))
    unique_key: Mapped[str] = mapped_column(String(64), info=field(internal=True))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("contacts_partner.id"), info=field(_l("Partner")))
    state: Mapped[str] = mapped_column(String(8), default=OPEN, info=field(_l("Status"), choices=LINE_STATES,
                                                                           readonly=True))
    move_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_move.id"), info=field(
        _l("Entry"), readonly=True))

    statement: Mapped[BankStatement] = relationship(back_populates="lines")
    partner: Mapped[Partner | None] = relationship()
    move: Mapped[Move | None] = relationship()
