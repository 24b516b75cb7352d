"""Payments: money received from customers or sent to suppliers, booked and matched with what it settles.

``register_payment`` books a posted entry in a bank or cash journal (the
journal's account against the partner's receivable or payable) and
reconciles it with the open items it pays, oldest due first.

Overpayment policy: a payment larger than what is open is refused with the
amounts in the message, and nothing is booked, unless the caller asks for
``allow_advance`` (the excess then stays open on the partner's account, as an
advance to match with later invoices) or for a write-off (the difference,
either way, goes to the write-off account). A payment to a partner with no
invoice given is an advance by nature and needs ``allow_advance`` too when
nothing is open.

Cancelling reverses the payment's entry and unreconciles it (reversing any
exchange difference or write-off booked with it): the invoices are open again.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from addons.contacts.models import Partner
from core.errors import ValidationError

from ..models import Account, Invoice, Journal, MoveLine, Payment, Reconciliation
from ..models.invoicing import POSTED as INVOICE_POSTED
from ..models.ledger import BANK, CASH
from ..models.payments import CANCELLED, INBOUND, OUTBOUND, POSTED
from .books import company_settings, partner_accounts
from .currency import company_currency, decimals, rate_at, round_amount, to_company
from .ledger import LineSpec, create_move, post_move
from .reconcile import cancel_entry, invoice_lines, lock_lines, open_lines, reconcile, residuals, unreconcile

ZERO = Decimal(0)


@dataclass
class OpenItems:
    """What a payment settles: the partner, its receivable or payable account and the open lines on it."""

    partner_id: int
    account_id: int
    lines: list[MoveLine]
    invoices: list[Invoice]
    names: str


def open_items(session: Session, target, kind: str | None = None) -> OpenItems:
    """The open items of invoices (one or several), of explicit move lines, or of a partner (``kind`` says
    receivable for ``inbound``, payable for ``outbound``)."""
    if isinstance(target, Partner):
        accounts = partner_accounts(session, target)
        account_id = accounts.payable_account_id if kind == OUTBOUND else accounts.receivable_account_id
        lines = open_lines(session, target.company_id, account_id, target.id)
        lock_lines(session, [line.id for line in lines])
        return OpenItems(target.id, account_id, lines, [], target.name)
    items = [target] if isinstance(target, (Invoice, MoveLine)) else list(target)
    if not items:
        raise ValidationError(gettext("Choose the invoices to pay."))
    invoices = [item for item in items if isinstance(item, Invoice)]
    for invoice in invoices:
        if invoice.state != INVOICE_POSTED:
            raise ValidationError(gettext("Invoice %(name)s is not posted: only posted invoices are paid.",
                                          name=invoice.display_name))
    lines = invoice_lines(session, [invoice.move_id for invoice in invoices])
    lines += [item for item in items if isinstance(item, MoveLine)]
    lock_lines(session, [line.id for line in lines])
    left = residuals(session, [line.id for line in lines])
    lines = [line for line in lines if left[line.id].amount or left[line.id].amount_currency]
    names = ", ".join(invoice.display_name for invoice in invoices) or ", ".join(
        line.move.display_name for line in lines)
    if not lines:
        raise ValidationError(gettext("%(names)s: nothing is left to pay.", names=names))
    partners = {line.partner_id for line in lines}
    accounts = {line.account_id for line in lines}
    if len(partners) > 1 or None in partners:
        raise ValidationError(gettext("One payment settles the items of one partner only."))
    if len(accounts) > 1:
        raise ValidationError(gettext("One payment settles items of one receivable or payable account only."))
    return OpenItems(partners.pop(), accounts.pop(), lines, invoices, names)


def register_payment(session: Session, target, journal: Journal, date: dt.date, amount: Decimal, *,
                     currency_code: str | None = None, kind: str | None = None, writeoff: bool = False,
                     writeoff_account_id: int | None = None, allow_advance: bool = False,
                     reference: str | None = None) -> Payment:
    """Book and post a payment of ``amount`` (in ``currency_code``) and reconcile it with ``target``.

    ``target``: an invoice, a list of invoices or of open move lines, or a partner (then ``kind`` chooses
    ``inbound``, the default, or ``outbound``). With invoices the direction follows them (customer
    invoices inbound, supplier bills outbound); a ``kind`` that contradicts them is refused. The
    currency defaults to the invoices' own, else the journal's, else the company's. ``writeoff`` (or an
    explicit ``writeoff_account_id``) settles the difference to the open amount, closing the invoices.
    """
    amount = Decimal(amount)
    if amount <= 0:
        raise ValidationError(gettext("The amount of a payment must be positive."), "amount")
    if journal.kind not in (BANK, CASH) or journal.default_account_id is None:
        raise ValidationError(gettext("Payments go through a bank or cash journal with an account; %(journal)s "
                                      "is not one.", journal=journal.display_name), "journal_id")
    items = open_items(session, target, kind)
    company_id = journal.company_id
    left = residuals(session, [line.id for line in items.lines])
    due = sum((left[line.id].amount for line in items.lines), ZERO)
    direction = kind or INBOUND
    if items.lines:
        direction = INBOUND if due > 0 else OUTBOUND
        if kind is not None and kind != direction:
            raise ValidationError(gettext(
                "%(names)s are settled by money %(way)s, not the other way round.", names=items.names,
                way=gettext("received") if direction == INBOUND else gettext("paid out")))
    currency_code = currency_code or _default_currency(session, items, journal)
    if journal.currency_code and journal.currency_code != currency_code:
        raise ValidationError(gettext("Journal %(journal)s works in %(currency)s only.",
                                      journal=journal.display_name, currency=journal.currency_code),
                              "currency_code")
    amount = round_amount(amount, decimals(session, currency_code))
    rate = rate_at(session, company_id, currency_code, date)
    company_amount = to_company(amount, rate)
    home = company_currency(session, company_id)
    if writeoff and writeoff_account_id is None:
        writeoff_account_id = company_settings(session, company_id).writeoff_account_id
        if writeoff_account_id is None:
            raise ValidationError(gettext("Set a write-off account in the accounting settings."), "writeoff")
    settle_currency, settle_amount = _settlement(session, items, left, currency_code, amount, date)
    _check_amount(session, items, left, due, settle_amount, company_amount, settle_currency,
                  allow_advance or writeoff_account_id is not None)

    sign = 1 if direction == INBOUND else -1
    bank_account = journal.default_account_id
    partner_line = LineSpec(account_id=items.account_id, partner_id=items.partner_id, date_maturity=date,
                            name=reference or items.names,
                            debit=company_amount if sign < 0 else ZERO, credit=company_amount if sign > 0 else ZERO,
                            currency_code=settle_currency if settle_currency != home else None,
                            amount_currency=-sign * settle_amount if settle_currency != home else None)
    bank_line = LineSpec(account_id=bank_account, partner_id=items.partner_id, name=reference or items.names,
                         debit=partner_line.credit, credit=partner_line.debit,
                         currency_code=currency_code if currency_code != home else None,
                         amount_currency=sign * amount if currency_code != home else None)
    move = create_move(session, journal, date, [bank_line, partner_line], ref=reference or items.names,
                       partner_id=items.partner_id, origin="payment")
    post_move(session, move)
    payment = Payment(company_id=company_id, kind=direction, state=POSTED, partner_id=items.partner_id,
                      journal_id=journal.id, date=date, amount=amount, currency_code=currency_code, rate=rate,
                      reference=reference, move_id=move.id)
    session.add(payment)
    session.flush()
    if items.lines:
        reconcile(session, [*items.lines, move.lines[1]], writeoff_account_id=writeoff_account_id, date=date)
    return payment


def _default_currency(session: Session, items: OpenItems, journal: Journal) -> str:
    currencies = {invoice.currency_code for invoice in items.invoices}
    if len(currencies) == 1 and (journal.currency_code is None or journal.currency_code in currencies):
        return currencies.pop()
    return journal.currency_code or company_currency(session, journal.company_id)


def _settlement(session: Session, items: OpenItems, left, currency_code: str, amount: Decimal,
                date: dt.date) -> tuple[str, Decimal]:
    """The currency and amount the partner's line is kept in: the payment's own, except for a payment in the
    company's currency of items all in one foreign currency: then that currency at the date's rate, so the
    match is made in it and the exchange difference booked as for a payment in it."""
    home = company_currency(session, items.lines[0].company_id) if items.lines else currency_code
    currencies = {line.currency_code if left[line.id].amount_currency is not None else home
                  for line in items.lines}
    if currency_code != home or len(currencies) != 1 or home in currencies:
        return currency_code, amount
    other = currencies.pop()
    rate = rate_at(session, items.lines[0].company_id, other, date)
    return other, round_amount(amount / rate, decimals(session, other))


def _check_amount(session, items: OpenItems, left, due: Decimal, amount: Decimal, company_amount: Decimal,
                  currency_code: str, excess_allowed: bool) -> None:
    """Refuse a payment larger than what is open, unless an advance or a write-off takes the excess."""
    if excess_allowed:
        return
    if not items.lines:
        raise ValidationError(gettext(
            "Nothing is open for %(names)s: record the payment as an advance if that is what it is.",
            names=items.names), "amount")
    in_currency = all(line.currency_code == currency_code and left[line.id].amount_currency is not None
                      for line in items.lines)
    if in_currency:
        open_amount, paid = abs(sum((left[line.id].amount_currency for line in items.lines), ZERO)), amount
    else:
        open_amount, paid = abs(due), company_amount
        currency_code = company_currency(session, items.lines[0].company_id)
    if paid > open_amount:
        raise ValidationError(gettext(
            "The payment of %(paid)s %(currency)s is more than the %(open)s %(currency)s still due on %(names)s. "
            "Enter at most %(open)s, write off the difference, or record the excess as an advance.",
            paid=paid, open=open_amount, currency=currency_code, names=items.names), "amount")


def cancel_payment(session: Session, payment: Payment, date: dt.date | None = None) -> Payment:
    """Unreconcile the payment and reverse its entry (dated ``date``, default the payment's date)."""
    if payment.state != POSTED:
        raise ValidationError(gettext("Only a posted payment can be cancelled."))
    reconcilable = [line for line in payment.move.lines if session.get(Account, line.account_id).reconcile]
    unreconcile(session, reconcilable, date)
    cancel_entry(session, payment.move, date)
    payment.state = CANCELLED
    session.flush()
    return payment


def payments_of(session: Session, invoices: Iterable[Invoice]) -> list[Payment]:
    """The posted payments matched with these invoices."""
    lines = [line.id for line in invoice_lines(session, [invoice.move_id for invoice in invoices])]
    if not lines:
        return []
    other = select(MoveLine.move_id).join(
        Reconciliation, or_(Reconciliation.debit_line_id == MoveLine.id, Reconciliation.credit_line_id == MoveLine.id)
    ).where(or_(Reconciliation.debit_line_id.in_(lines), Reconciliation.credit_line_id.in_(lines)))
    return list(session.scalars(select(Payment).where(Payment.move_id.in_(other), Payment.state == POSTED)))
