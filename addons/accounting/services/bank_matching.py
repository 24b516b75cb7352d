"""Matching bank statement lines with what they pay: suggestions, then confirmation.

Suggestions are the open receivable / payable items on the side the money
moves (money in: what customers owe, or supplier refunds; money out: the
reverse), found in SQL by any of three clues and ranked by how many agree:

- amount: the open amount equals the line's amount (50 points);
- reference: the invoice's number or reference, or the entry's number, is
  written in the line's label or reference (40 points);
- partner: the line's partner, or a partner whose name matches the name the
  bank gives, owns the item (20 points).

Items of one invoice are suggested together. Confirming books the bank
entry through :func:`payments.register_payment` (or, without items, against
an account the user chooses, e.g. bank fees) and marks the line matched.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import and_, func, literal, or_, select
from sqlalchemy.orm import Session

from addons.contacts.models import Partner
from core.errors import ValidationError

from ..models import Account, BankStatementLine, Invoice, Journal, Move, MoveLine
from ..models.bank import MATCHED, OPEN
from ..models.ledger import POSTED
from .ledger import LineSpec, create_move, post_move
from .books import company_settings
from .currency import company_currency, sql_money
from .payments import check_account, check_payment_journal, register_payment
from .reconcile import matched_totals, residual_column

AMOUNT, REFERENCE, PARTNER = "amount", "reference", "partner"
POINTS = {AMOUNT: 50, REFERENCE: 40, PARTNER: 20}
#: letters that take accents or cedillas in the languages of the bank files
_ACCENTED = "aeiouycnsz"
#: words that say what kind of company it is, not which one
_LEGAL_FORMS = {"sl", "sa", "slu", "sll", "srl", "spa", "snc", "sas", "sapa", "ltd", "llc", "inc", "gmbh", "bv",
                "sarl", "co", "cia", "y", "e", "and", "de", "di", "del", "la", "el"}


@dataclass
class Suggestion:
    """Open items (of one invoice, or one entry's line) that a statement line may pay, with why."""

    lines: list[MoveLine]
    invoice: Invoice | None
    residual: Decimal
    reasons: list[str] = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(POINTS[reason] for reason in self.reasons)


def _words(name: str | None) -> set[str]:
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().casefold()
    text = text.replace(".", "")  # S.L. -> sl, S.p.A. -> spa
    return {word for word in re.split(r"[^a-z0-9]+", text) if len(word) > 1 and word not in _LEGAL_FORMS}


def names_match(partner_name: str, bank_name: str | None) -> bool:
    """Every significant word of the partner's name is in the name the bank gives ("FERRETERIA IBERICA SL"
    matches "Ferretería Ibérica S.L.")."""
    mine, theirs = _words(partner_name), _words(bank_name)
    return bool(mine) and mine <= theirs


def matching_partners(session: Session, line: BankStatementLine) -> set[int]:
    """The partner of the line, or those whose name matches the name the bank gives."""
    if line.partner_id:
        return {line.partner_id}
    words = sorted(_words(line.partner_name), key=len, reverse=True)
    if not words:
        return set()
    candidates = session.execute(select(Partner.id, Partner.name).where(
        Partner.company_id == line.company_id, func.lower(Partner.name).like(_prefilter(words[0])))).all()
    return {partner_id for partner_id, name in candidates if names_match(name, line.partner_name)}


def _prefilter(word: str) -> str:
    """A LIKE pattern for names holding ``word`` written with or without accents: each letter that often
    carries one matches any single character ("ceramicas" finds "Cerámicas"); ``names_match`` decides."""
    return "%" + re.sub(f"[{_ACCENTED}]", "_", word) + "%"


def suggest(session: Session, line: BankStatementLine, *, limit: int = 10) -> list[Suggestion]:
    """Open items this statement line may pay, best first."""
    amount = abs(line.amount)
    sign = 1 if line.amount > 0 else -1
    text = " ".join(part for part in (line.label, line.reference) if part).casefold()
    partners = matching_partners(session, line)
    matched = matched_totals()
    residual = func.round(residual_column(matched), 2)
    said = literal(text)
    clues = [residual == sign * amount]
    if partners:
        clues.append(MoveLine.partner_id.in_(partners))
    if text:
        clues += [and_(func.length(name) >= 3, said.contains(func.lower(name)))
                  for name in (Invoice.number, Invoice.reference, Move.number)]
    rows = session.execute(
        select(MoveLine, Invoice, residual)
        .join(Account, Account.id == MoveLine.account_id)
        .join(Move, Move.id == MoveLine.move_id)
        .outerjoin(Invoice, Invoice.move_id == MoveLine.move_id)
        .outerjoin(matched, matched.c.line_id == MoveLine.id)
        .where(MoveLine.company_id == line.company_id, MoveLine.posted.is_(True), Move.state == POSTED,
               Account.reconcile.is_(True), residual * sign > 0, or_(*clues))
        .order_by(func.coalesce(MoveLine.date_maturity, MoveLine.date), MoveLine.id)
    ).all()
    groups: dict[tuple, Suggestion] = {}
    for move_line, invoice, open_amount in rows:
        key = ("invoice", invoice.id) if invoice is not None else ("line", move_line.id)
        group = groups.setdefault(key, Suggestion([], invoice, Decimal(0)))
        group.lines.append(move_line)
        group.residual += abs(sql_money(open_amount))
    for group in groups.values():
        _explain(group, amount, text, partners)
    ranked = sorted(groups.values(), key=lambda s: (-s.score, s.lines[0].date_maturity or s.lines[0].date))
    return ranked[:limit]


def _explain(suggestion: Suggestion, amount: Decimal, text: str, partners: set[int]) -> None:
    first = suggestion.lines[0]
    if suggestion.residual == amount:
        suggestion.reasons.append(AMOUNT)
    names = [first.move.number]
    if suggestion.invoice is not None:
        names += [suggestion.invoice.number, suggestion.invoice.reference]
    if text and any(name and name.casefold() in text for name in names):
        suggestion.reasons.append(REFERENCE)
    if first.partner_id in partners:
        suggestion.reasons.append(PARTNER)


def confirm_match(session: Session, line: BankStatementLine, target=None, *,
                  counterpart_account_id: int | None = None) -> Move:
    """Book the statement line and mark it matched; returns its bank entry.

    ``target`` (an invoice, invoices or open move lines): a payment of the
    line's amount reconciled with them; a difference with what they owe (a
    bank fee, a rounding) goes to ``counterpart_account_id`` when given,
    else a short payment leaves them partly paid and an excess is refused.
    The company's write-off account as counterpart follows the write-off
    limit; another account (bank fees) is the user's choice and has none.
    Without ``target``, the whole amount goes to ``counterpart_account_id``
    (bank fees, interest, a transfer).

    The payment is in the statement's currency (the journal's, else the
    company's) whatever the invoices' currency, so the bank account moves by
    exactly the line's amount. The line is row-locked and its state read again
    first: two people confirming it at once book it once.
    """
    _lock(session, line)
    if line.state != OPEN:
        raise ValidationError(gettext("This bank line is already matched."))
    journal = session.get(Journal, line.journal_id)
    check_payment_journal(session, line.company_id, journal)
    if counterpart_account_id is not None:
        check_account(session, line.company_id, account_id=counterpart_account_id, field="counterpart_account_id")
    kind = "inbound" if line.amount > 0 else "outbound"
    settings = company_settings(session, line.company_id)
    if target is not None and (not isinstance(target, (list, tuple)) or target):
        payment = register_payment(session, target, journal=journal, date=line.date, amount=abs(line.amount), kind=kind,
                                   currency_code=journal.currency_code or company_currency(session, line.company_id),
                                   writeoff_account_id=counterpart_account_id,
                                   reference=line.reference or line.label,
                                   limit_writeoff=counterpart_account_id == settings.writeoff_account_id)
        line.partner_id, line.move_id = payment.partner_id, payment.move_id
        move = payment.move
    elif counterpart_account_id is not None:
        amount = abs(line.amount)
        money_in = line.amount > 0
        label = line.label or line.reference
        move = create_move(session, journal, date=line.date, lines=[
            LineSpec(account_id=journal.default_account_id, name=label, partner_id=line.partner_id,
                     debit=amount if money_in else Decimal(0), credit=Decimal(0) if money_in else amount),
            LineSpec(account_id=counterpart_account_id, name=label, partner_id=line.partner_id,
                     debit=Decimal(0) if money_in else amount, credit=amount if money_in else Decimal(0)),
        ], ref=line.reference or label, partner_id=line.partner_id, origin="bank")
        post_move(session, move)
        line.move_id = move.id
    else:
        raise ValidationError(gettext("Choose what the bank line pays, or the account it goes to."), "target")
    line.state = MATCHED
    session.flush()
    return move


def _lock(session: Session, line: BankStatementLine) -> None:
    """Row-lock the statement line (PostgreSQL) and reload it, so its state is the committed one."""
    session.scalars(select(BankStatementLine).where(BankStatementLine.id == line.id).with_for_update()
                    .execution_options(populate_existing=True)).one()
