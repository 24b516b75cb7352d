"""Payments: money received from customers or sent to suppliers, booked and matched with what it settles.

``register_payment`` books a posted entry in a bank or cash journal (the
journal's account against the partner's receivable or payable) and
reconciles it with the open items it pays, oldest due first.

Overpayment policy: a payment larger than what is open is refused with the
amounts in the message, and nothing is booked, unless the caller asks for
``allow_advance`` (the excess then stays open on the partner's account, as an
advance to match with later invoices) or for a write-off (the difference,
either way, goes to the write-off account, up to the company's
``Settings.writeoff_limit``). A payment to a partner with no
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
from core.fields import clean

from ..guards import PAYMENT_CANCEL, allow
from ..models import Account, Invoice, Journal, MoveLine, Payment, Reconciliation
from ..models.invoicing import POSTED as INVOICE_POSTED
from ..models.ledger import BANK, CASH
from ..models.payments import CANCELLED, INBOUND, OUTBOUND, POSTED
from .books import company_settings, default_journal, partner_accounts
from .currency import company_currency, decimals, rate_at, round_amount, to_company
from .ledger import LineSpec, create_move, post_move
from .reconcile import cancel_entry, invoice_lines, lock_lines, open_lines, reconcile, residuals, unreconcile

ZERO = Decimal(0)


@dataclass
class OpenItems:
    """What a payment settles: the partner, its receivable or payable account and the open lines on it."""

    company_id: int
    partner_id: int
    account_id: int
    lines: list[MoveLine]
    invoices: list[Invoice]
    names: str
    #: what is still open on each line, by line id (see ``reconcile.residuals``)
    left: dict


def open_items(session: Session, target, *, kind: str | None = None) -> OpenItems:
    """The open items of invoices (one or several), of explicit move lines, or of a partner (``kind`` says
    receivable for ``inbound``, payable for ``outbound``)."""
    if isinstance(target, Partner):
        accounts = partner_accounts(session, target)
        account_id = accounts.payable_account_id if kind == OUTBOUND else accounts.receivable_account_id
        lines = open_lines(session, target.company_id, account_id=account_id, partner_id=target.id)
        lock_lines(session, lines)
        return OpenItems(target.company_id, target.id, account_id, lines, [], target.name, residuals(session, lines))
    items = [target] if isinstance(target, (Invoice, MoveLine)) else list(target)
    if not items:
        raise ValidationError(gettext("Choose the invoices to pay."))
    invoices = [item for item in items if isinstance(item, Invoice)]
    for invoice in invoices:
        if invoice.state != INVOICE_POSTED:
            raise ValidationError(gettext("Invoice %(name)s is not posted: only posted invoices are paid.",
                                          name=invoice.display_name))
    lines = invoice_lines(session, invoices)
    lines += [item for item in items if isinstance(item, MoveLine)]
    lock_lines(session, lines)
    left = residuals(session, lines)
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
    if len({line.company_id for line in lines}) > 1:
        raise ValidationError(gettext("One payment settles the items of one company only."))
    return OpenItems(lines[0].company_id, partners.pop(), accounts.pop(), lines, invoices, names, left)


def check_account(session: Session, company_id: int, *, account_id: int | None, field: str) -> Account:
    """The active account ``account_id`` of the company, else a ValidationError on ``field``."""
    account = session.scalar(select(Account).where(Account.id == account_id)) if account_id is not None else None
    if account is None or account.company_id != company_id:
        raise ValidationError(gettext("Account %(id)s is not an account of this company.", id=account_id), field)
    if not account.active:
        raise ValidationError(gettext("Account %(account)s is archived: choose an active account.",
                                      account=account.display_name), field)
    return account


def check_payment_journal(session: Session, company_id: int, journal: Journal) -> None:
    """A bank or cash journal of the company, active, whose account is usable."""
    if journal.company_id != company_id:
        raise ValidationError(gettext("Journal %(journal)s belongs to another company.",
                                      journal=journal.display_name), "journal_id")
    if not journal.active:
        raise ValidationError(gettext("Journal %(journal)s is archived.", journal=journal.display_name),
                              "journal_id")
    if journal.kind not in (BANK, CASH) or journal.default_account_id is None:
        raise ValidationError(gettext("Payments go through a bank or cash journal with an account; %(journal)s "
                                      "is not one.", journal=journal.display_name), "journal_id")
    check_account(session, company_id, account_id=journal.default_account_id, field="journal_id")


def register_payment(session: Session, target, *, amount: Decimal, date: dt.date, journal: Journal | None = None,
                     currency_code: str | None = None, kind: str | None = None, writeoff: bool = False,
                     writeoff_account_id: int | None = None, allow_advance: bool = False,
                     reference: str | None = None, limit_writeoff: bool = True) -> Payment:
    """Book and post a payment of ``amount`` (in ``currency_code``) in ``journal`` and reconcile it with ``target``.

    ``target``: an invoice, a list of invoices or of open move lines, or a partner (then ``kind`` chooses
    ``inbound``, the default, or ``outbound``, whatever the sign of the partner's balance; refused when all
    the partner's open items are the other way round, unless ``allow_advance``). With invoices
    the direction follows them (customer invoices inbound, supplier bills outbound); a ``kind`` that
    contradicts them is refused. ``journal`` (a bank or cash journal) defaults to the company's first bank
    journal; the currency to the invoices' own, else the journal's, else the company's. ``writeoff`` (or an
    explicit ``writeoff_account_id``) settles the difference to the open amount, closing the invoices, up to
    the company's ``writeoff_limit``; a larger excess needs
    ``allow_advance`` (then nothing is written off and the excess stays open); ``limit_writeoff=False``
    lifts the limit for an account the user chose for the difference on purpose (bank fees). Everything
    happens in a savepoint: a refused payment leaves nothing behind.
    """
    checked = clean(Payment, {"date": date, "reference": reference}, creating=False)
    date, reference = checked["date"], checked["reference"]
    amount = Decimal(amount)
    if amount <= 0:
        raise ValidationError(gettext("The amount of a payment must be positive."), "amount")
    with session.begin_nested():
        payment = _register(session, target, journal, date, amount, currency_code, kind, writeoff,
                            writeoff_account_id, allow_advance, reference, limit_writeoff)
    return payment


def _register(session, target, journal, date, amount, currency_code, kind, writeoff, writeoff_account_id,
              allow_advance, reference, limit_writeoff) -> Payment:
    items = open_items(session, target, kind=kind)
    company_id = items.company_id
    journal = journal or default_journal(session, company_id, BANK)
    check_payment_journal(session, company_id, journal)
    left = items.left
    direction, settled = _direction(items, left, target, kind, allow_advance)
    currency_code = currency_code or _default_currency(session, items, journal)
    if journal.currency_code and journal.currency_code != currency_code:
        raise ValidationError(gettext("Journal %(journal)s works in %(currency)s only.",
                                      journal=journal.display_name, currency=journal.currency_code),
                              "currency_code")
    amount = round_amount(amount, decimals(session, currency_code))
    rate = rate_at(session, company_id, currency_code, date=date)
    company_amount = to_company(session, company_id, amount=amount, rate=rate)
    home = company_currency(session, company_id)
    if writeoff and writeoff_account_id is None:
        writeoff_account_id = company_settings(session, company_id).writeoff_account_id
        if writeoff_account_id is None:
            raise ValidationError(gettext("Set a write-off account in the accounting settings."), "writeoff")
    if writeoff_account_id is not None:
        check_account(session, company_id, account_id=writeoff_account_id, field="writeoff_account_id")
    settle_currency, settle_amount = _settlement(session, items, left, currency_code, amount, date)
    difference = _difference(session, items, settled, left, settle_amount, company_amount, settle_currency, date)
    if writeoff_account_id is not None and settled and limit_writeoff:
        writeoff_account_id = _writeoff_within_limit(session, items, difference, writeoff_account_id,
                                                     allow_advance)
    if not (allow_advance or writeoff_account_id is not None) and (not settled or difference.company > 0):
        _refuse_excess(items, difference)

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
    move = create_move(session, journal, date=date, lines=[bank_line, partner_line], ref=reference or items.names,
                       partner_id=items.partner_id, origin="payment")
    post_move(session, move)
    payment = Payment(company_id=company_id, kind=direction, state=POSTED, partner_id=items.partner_id,
                      journal_id=journal.id, date=date, amount=amount, currency_code=currency_code, rate=rate,
                      reference=reference, move_id=move.id)
    session.add(payment)
    session.flush()
    if settled:
        reconcile(session, [*items.lines, move.lines[1]], writeoff_account_id=writeoff_account_id, date=date)
    return payment


def _signed(residual) -> Decimal:
    return residual.amount or residual.amount_currency or ZERO


def _direction(items: OpenItems, left, target, kind: str | None, allow_advance: bool) -> tuple[str, list]:
    """The payment's direction and the open lines on the side it settles (debits for money received).

    A partner's payment goes the way ``kind`` says (inbound by default), never the way its balance leans;
    invoices and lines decide the direction themselves and are compared with the payment as a whole (net)."""
    if not isinstance(target, Partner):
        direction = INBOUND if sum((left[line.id].amount for line in items.lines), ZERO) > 0 else OUTBOUND
        if kind is not None and kind != direction:
            raise ValidationError(gettext(
                "%(names)s are settled by money %(way)s, not the other way round.", names=items.names,
                way=gettext("received") if direction == INBOUND else gettext("paid out")), "kind")
        return direction, items.lines
    direction = kind or INBOUND
    side = 1 if direction == INBOUND else -1
    settled = [line for line in items.lines if _signed(left[line.id]) * side > 0]
    if items.lines and not settled and not allow_advance:
        raise ValidationError(gettext(
            "%(names)s has nothing to settle by money %(way)s: the open items are the other way round. Record "
            "the payment as an advance if that is what it is.", names=items.names,
            way=gettext("received") if direction == INBOUND else gettext("paid out")), "kind")
    return direction, settled


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
    home = company_currency(session, items.company_id)
    currencies = {line.currency_code if left[line.id].amount_currency is not None else home
                  for line in items.lines}
    if currency_code != home or len(currencies) != 1 or home in currencies:
        return currency_code, amount
    other = currencies.pop()
    rate = rate_at(session, items.company_id, other, date=date)
    return other, round_amount(amount / rate, decimals(session, other))


@dataclass
class _Difference:
    """The payment less what is open on the side it settles: in ``currency_code``, and in company currency."""

    amount: Decimal
    open_amount: Decimal
    currency_code: str
    company: Decimal


def _difference(session, items: OpenItems, settled: list[MoveLine], left, amount: Decimal,
                company_amount: Decimal, currency_code: str, date: dt.date) -> _Difference:
    """Compared in the items' currency when they are all in the payment's, else in company currency."""
    home = company_currency(session, items.company_id)
    if settled and all(line.currency_code == currency_code and left[line.id].amount_currency is not None
                       for line in settled):
        open_amount = abs(sum((left[line.id].amount_currency for line in settled), ZERO))
        rate = rate_at(session, items.company_id, currency_code, date=date)
        return _Difference(amount - open_amount, open_amount, currency_code,
                           to_company(session, items.company_id, amount=amount - open_amount, rate=rate))
    open_amount = abs(sum((left[line.id].amount for line in settled), ZERO))
    return _Difference(company_amount - open_amount, open_amount, home, company_amount - open_amount)


def _writeoff_within_limit(session, items: OpenItems, difference: _Difference, account_id: int,
                           allow_advance: bool) -> int | None:
    """The write-off account when the difference is within the company's limit; over it, an excess stays
    open as an advance when ``allow_advance``, anything else is refused."""
    limit = company_settings(session, items.company_id).writeoff_limit
    home = company_currency(session, items.company_id)
    if abs(difference.company) <= limit:
        return account_id
    if difference.company > 0 and allow_advance:
        return None
    raise ValidationError(gettext(
        "The difference of %(difference)s %(currency)s with the %(open)s %(open_currency)s still due on "
        "%(names)s is more than the write-off limit of %(limit)s %(currency)s. Correct the amount, or record "
        "an excess as an advance.", difference=abs(difference.company), currency=home,
        open=difference.open_amount, open_currency=difference.currency_code, names=items.names,
        limit=limit), "amount")


def _refuse_excess(items: OpenItems, difference: _Difference) -> None:
    """Refuse a payment larger than what is open (an advance or a write-off would take the excess)."""
    if not items.lines:
        raise ValidationError(gettext(
            "Nothing is open for %(names)s: record the payment as an advance if that is what it is.",
            names=items.names), "amount")
    raise ValidationError(gettext(
        "The payment of %(paid)s %(currency)s is more than the %(open)s %(currency)s still due on %(names)s. "
        "Enter at most %(open)s, write off the difference, or record the excess as an advance.",
        paid=difference.open_amount + difference.amount, open=difference.open_amount,
        currency=difference.currency_code, names=items.names), "amount")


def cancel_payment(session: Session, payment: Payment, *, date: dt.date | None = None) -> Payment:
    """Unreconcile the payment and reverse its entry (dated ``date``, default the payment's date)."""
    if payment.state != POSTED:
        raise ValidationError(gettext("Only a posted payment can be cancelled."))
    reconcilable = [line for line in payment.move.lines if session.get(Account, line.account_id).reconcile]
    unreconcile(session, reconcilable, date=date)
    cancel_entry(session, payment.move, date=date)
    with allow(session, PAYMENT_CANCEL, payment):
        payment.state = CANCELLED
        session.flush()
    return payment


def payments_of(session: Session, invoices: Iterable[Invoice]) -> list[Payment]:
    """The posted payments matched with these invoices."""
    lines = [line.id for line in invoice_lines(session, invoices)]
    if not lines:
        return []
    other = select(MoveLine.move_id).join(
        Reconciliation, or_(Reconciliation.debit_line_id == MoveLine.id, Reconciliation.credit_line_id == MoveLine.id)
    ).where(or_(Reconciliation.debit_line_id.in_(lines), Reconciliation.credit_line_id.in_(lines)))
    return list(session.scalars(select(Payment).where(Payment.move_id.in_(other), Payment.state == POSTED)))
