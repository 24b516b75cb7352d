"""Reconciliation: matching debit and credit lines of a reconcilable account, residuals, invoice payment states.

A line's residual is its amount less the :class:`Reconciliation` rows that
touch it, in company currency and, for a line in a foreign currency, in that
currency too; :func:`residuals` computes both in SQL for many lines at once.
Reconciling only adds rows: a posted line never changes.

Foreign currency: two lines in the same foreign currency are matched in that
currency. When a line is settled in its currency but not in company currency
(the rate moved between invoice and payment), the difference is booked as a
posted exchange-difference entry in the miscellaneous journal (gain or loss
account of the company's settings) and matched too, so both residuals reach
zero. A write-off entry (``writeoff_account_id``) settles whatever is left.
The rows matching such an adjustment entry carry it in
``Reconciliation.exchange_move_id``; unreconciling removes them with the
rest and reverses the adjustment entry.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import func, or_, select, union_all
from sqlalchemy.orm import Session, selectinload

from addons.contacts.models import Partner
from core.errors import ValidationError

from ..guards import INVOICE_PAYMENT_STATE, allow
from ..models import Account, Invoice, Move, MoveLine, Reconciliation
from ..models.invoicing import CREDITED, NOT_PAID, PAID, PARTIAL, POSTED as INVOICE_POSTED
from ..models.ledger import GENERAL
from .books import company_settings, default_journal
from .currency import company_currency, decimals, rate_at, round_amount, sql_money, to_company
from .ledger import LineSpec, create_move, post_move, reverse_move

ZERO = Decimal(0)


@dataclass
class Residual:
    """What is still open on a line, signed like its balance (debit positive)."""

    amount: Decimal
    #: in the line's currency when it is a foreign one, else ``None``
    amount_currency: Decimal | None


def matched_totals():
    """Subquery ``(line_id, total, total_currency)``: what reconciliations took from each line, signed."""
    sides = union_all(
        select(Reconciliation.debit_line_id.label("line_id"), Reconciliation.amount.label("amount"),
               Reconciliation.amount_currency.label("amount_currency")),
        select(Reconciliation.credit_line_id.label("line_id"), (-Reconciliation.amount).label("amount"),
               (-Reconciliation.amount_currency).label("amount_currency")),
    ).subquery("reconciled_side")
    return (select(sides.c.line_id, func.sum(sides.c.amount).label("total"),
                   func.sum(sides.c.amount_currency).label("total_currency"))
            .group_by(sides.c.line_id).subquery("reconciled"))


def residual_column(matched):
    """The signed company-currency residual of ``MoveLine`` as a SQL expression over :func:`matched_totals`."""
    return MoveLine.debit - MoveLine.credit - func.coalesce(matched.c.total, 0)


def residuals(session: Session, lines: Iterable[MoveLine]) -> dict[int, Residual]:
    """The residual of each line, by line id, in one query."""
    ids = {line.id for line in lines}
    if not ids:
        return {}
    matched = matched_totals()
    rows = session.execute(
        select(MoveLine.id, MoveLine.company_id, MoveLine.currency_code, MoveLine.amount_currency,
               residual_column(matched), func.coalesce(matched.c.total_currency, 0))
        .outerjoin(matched, matched.c.line_id == MoveLine.id)
        .where(MoveLine.id.in_(ids))
    ).all()
    result = {}
    for line_id, company_id, currency, amount_currency, residual, matched_currency in rows:
        foreign = _is_foreign(session, company_id, currency, amount_currency)
        result[line_id] = Residual(sql_money(residual),
                                   sql_money(amount_currency) - sql_money(matched_currency) if foreign else None)
    return result


def _is_foreign(session, company_id, currency_code, amount_currency) -> bool:
    return (currency_code is not None and amount_currency is not None
            and currency_code != company_currency(session, company_id))


def open_lines(session: Session, company_id: int, *, account_id: int, partner_id: int | None) -> list[MoveLine]:
    """The posted lines of a reconcilable account and partner that are not fully reconciled, oldest due first."""
    matched = matched_totals()
    return list(session.scalars(
        select(MoveLine).outerjoin(matched, matched.c.line_id == MoveLine.id)
        .where(MoveLine.company_id == company_id, MoveLine.account_id == account_id,
               MoveLine.partner_id == partner_id, MoveLine.posted.is_(True),
               func.round(residual_column(matched), 2) != 0)
        .order_by(func.coalesce(MoveLine.date_maturity, MoveLine.date), MoveLine.id)
        .options(selectinload(MoveLine.move))))


def open_by_partner(session: Session, company_id: int, *, limit: int) -> list:
    """(partner id, name, account id, code, open item count, open balance) of the first ``limit`` partners
    with open items on a reconcilable account, by name."""
    matched = matched_totals()
    residual = residual_column(matched)
    return session.execute(
        select(Partner.id, Partner.name, Account.id, Account.code, func.count(MoveLine.id), func.sum(residual))
        .join(Account, Account.id == MoveLine.account_id).join(Partner, Partner.id == MoveLine.partner_id)
        .outerjoin(matched, matched.c.line_id == MoveLine.id)
        .where(Account.reconcile.is_(True), MoveLine.posted.is_(True), func.round(residual, 2) != 0,
               MoveLine.company_id == company_id)
        .group_by(Partner.id, Partner.name, Account.id, Account.code).order_by(Partner.name, Account.code)
        .limit(limit)).all()


# --- reconcile ------------------------------------------------------------------------------------------------


def reconcile(session: Session, lines: Iterable[MoveLine], *, writeoff: bool = False,
              writeoff_account_id: int | None = None, date: dt.date | None = None) -> list[Reconciliation]:
    """Match the debit with the credit ``lines`` (same reconcilable account and partner), oldest due first.

    Partial matches are kept (the rest stays open). Exchange differences are
    booked; with ``writeoff_account_id`` what is left is written off to that
    account, closing every line; ``writeoff`` does so to the company's
    write-off account, up to its write-off limit. Adjustment entries are
    dated ``date`` (default: the latest line's date). Returns the rows created.
    """
    lines = list({line.id: line for line in lines}.values())
    _check_lines(session, lines, writeoff=writeoff or writeoff_account_id is not None)
    date = date or max(line.date for line in lines)
    lock_lines(session, lines)
    left = residuals(session, lines)
    if writeoff and writeoff_account_id is None:
        writeoff_account_id = _company_writeoff_account(session, lines[0].company_id, left)
    both_sides = any(line.debit and _open(left[line.id]) for line in lines) and \
        any(line.credit and _open(left[line.id]) for line in lines)
    if writeoff_account_id is None and not both_sides:
        raise ValidationError(gettext("Nothing to reconcile: the debit or the credit side is already settled."))
    rows = _match(session, lines, left)
    if writeoff_account_id is not None:
        rows += _writeoff(session, lines, left, writeoff_account_id, date)
    rows += _exchange_difference(session, lines, left, date)
    session.add_all(rows)
    session.flush()
    _refresh_invoices(session, {line.move_id for line in lines})
    return rows


def _company_writeoff_account(session: Session, company_id: int, left: dict[int, Residual]) -> int:
    """The company's write-off account, for a difference (what the lines leave open) within its limit."""
    settings = company_settings(session, company_id)
    if settings.writeoff_account_id is None:
        raise ValidationError(gettext("Set a write-off account in the accounting settings."), "writeoff")
    difference = abs(sum((residual.amount for residual in left.values()), ZERO))
    if difference > settings.writeoff_limit:
        raise ValidationError(gettext(
            "The %(difference)s left open is more than the write-off limit of %(limit)s: match more items, "
            "or correct the entries.", difference=difference, limit=settings.writeoff_limit), "writeoff")
    return settings.writeoff_account_id


def lock_lines(session: Session, lines: Iterable[MoveLine]) -> None:
    """Row-lock the lines (PostgreSQL) so two people settling the same invoice at once are serialised: the
    second one reads the residual the first one left."""
    ids = [line.id for line in lines]
    session.execute(select(MoveLine.id).where(MoveLine.id.in_(ids)).order_by(MoveLine.id).with_for_update())


def _check_lines(session: Session, lines: list[MoveLine], writeoff: bool) -> None:
    """One company, account and partner, a reconcilable account, posted items, both sides (a write-off may
    settle one side alone)."""
    if not lines or (len(lines) < 2 and not writeoff):
        raise ValidationError(gettext("Choose at least one debit and one credit line to reconcile."))
    if any(not line.posted for line in lines):
        raise ValidationError(gettext("Only posted journal items can be reconciled; post the entries first."))
    first = lines[0]
    if any(line.company_id != first.company_id for line in lines):
        raise ValidationError(gettext("Journal items of different companies cannot be reconciled."))
    if any(line.account_id != first.account_id for line in lines):
        raise ValidationError(gettext("Only journal items of one account can be reconciled together."))
    if any(line.partner_id != first.partner_id for line in lines):
        raise ValidationError(gettext("Only journal items of one partner can be reconciled together."))
    account = session.get(Account, first.account_id)
    if not account.reconcile:
        raise ValidationError(gettext("Account %(account)s does not allow reconciliation.",
                                      account=account.display_name))
    currencies = {line.currency_code for line in lines
                  if _is_foreign(session, line.company_id, line.currency_code, line.amount_currency)}
    if len(currencies) > 1:
        raise ValidationError(gettext(
            "Items in %(currencies)s cannot be reconciled together; pay in one of them or in the company's "
            "currency.", currencies=", ".join(sorted(currencies))))
    if not writeoff and (not any(line.debit for line in lines) or not any(line.credit for line in lines)):
        raise ValidationError(gettext("Choose at least one debit and one credit line to reconcile."))


def _due(line: MoveLine):
    return line.date_maturity or line.date, line.date, line.id


def _match(session: Session, lines: list[MoveLine], left: dict[int, Residual]) -> list[Reconciliation]:
    """Greedy matching, oldest due first on both sides; ``left`` follows what stays open."""
    debits = sorted((line for line in lines if line.debit and _open(left[line.id])), key=_due)
    credits = sorted((line for line in lines if line.credit and _open(left[line.id])), key=_due)
    rows = []
    i = j = 0
    while i < len(debits) and j < len(credits):
        debit, credit = debits[i], credits[j]
        d, c = left[debit.id], left[credit.id]
        in_currency = bool(d.amount_currency and c.amount_currency)
        if in_currency:  # both in the same foreign currency: match in it, the rates may differ
            currency = min(d.amount_currency, -c.amount_currency)
            amount = min(_share(d.amount, d.amount_currency, currency),
                         _share(-c.amount, -c.amount_currency, currency))
            d_currency = c_currency = currency
        elif d.amount_currency is not None and c.amount_currency is not None:
            # one of them is settled in the currency already (an exchange or write-off line): company amounts only
            amount, d_currency = min(d.amount, -c.amount), ZERO
            currency = c_currency = d_currency
        else:  # one side in the company's currency: the foreign side's currency follows its share
            amount = min(d.amount, -c.amount)
            d_currency = _share(d.amount_currency, d.amount, amount) if d.amount_currency is not None else None
            c_currency = _share(-c.amount_currency, -c.amount, amount) if c.amount_currency is not None else None
            currency = d_currency if d_currency is not None else c_currency
        if amount > 0:
            rows.append(Reconciliation(company_id=debit.company_id, debit_line=debit, credit_line=credit,
                                       amount=amount, amount_currency=currency, date=max(debit.date, credit.date)))
        d.amount -= amount
        c.amount += amount
        if d_currency is not None:
            d.amount_currency -= d_currency
        if c_currency is not None:
            c.amount_currency += c_currency
        if in_currency:
            i, j = i + (d.amount_currency == 0), j + (c.amount_currency == 0)
        else:
            i, j = i + (d.amount == 0), j + (c.amount == 0)
    return rows


def _open(residual: Residual) -> bool:
    return residual.amount != 0 or bool(residual.amount_currency)


def _share(total: Decimal, of: Decimal, part: Decimal) -> Decimal:
    """The part of ``total`` that ``part`` is of ``of`` (all positive), the whole of it when ``part`` is all."""
    if part >= of:
        return total
    if of == 0:
        return ZERO
    return min(total, round_amount(total * part / of))


def _adjust(session: Session, kind: str, items: list[tuple[MoveLine, Decimal, Decimal | None]],
            counterpart: dict[bool, int], date: dt.date) -> list[Reconciliation]:
    """Post an entry settling each ``(line, amount, amount_currency)`` (signed residual parts), the net going
    to ``counterpart[debit side?]``, and match each of its lines with the line it settles."""
    first = items[0][0]
    specs, net = [], {True: ZERO, False: ZERO}
    for line, amount, amount_currency in items:
        specs.append(LineSpec(account_id=line.account_id, partner_id=line.partner_id, name=kind,
                              debit=max(-amount, ZERO), credit=max(amount, ZERO),
                              currency_code=line.currency_code if amount_currency is not None else None,
                              amount_currency=-amount_currency if amount_currency is not None else None))
        net[amount > 0] += abs(amount)
    for debit_side, total in net.items():
        if total:
            specs.append(LineSpec(account_id=counterpart[debit_side], name=kind,
                                  debit=total if debit_side else ZERO, credit=ZERO if debit_side else total))
    move = create_move(session, default_journal(session, first.company_id, GENERAL), date=date, lines=specs, ref=kind,
                       partner_id=first.partner_id, origin="reconcile")
    post_move(session, move)
    rows = []
    for (line, amount, amount_currency), settling in zip(items, move.lines):
        debit, credit = (line, settling) if amount > 0 else (settling, line)
        rows.append(Reconciliation(company_id=line.company_id, debit_line=debit, credit_line=credit,
                                   amount=abs(amount), amount_currency=abs(amount_currency)
                                   if amount_currency is not None else None,
                                   date=date, exchange_move_id=move.id))
    return rows


def _writeoff(session, lines, left, account_id, date) -> list[Reconciliation]:
    """Settle what is left on ``lines``: in a foreign currency at the rate of ``date``."""
    items = []
    for line in lines:
        rest = left[line.id]
        if rest.amount_currency:
            rate = rate_at(session, line.company_id, line.currency_code, date=date)
            amount = to_company(session, line.company_id, amount=rest.amount_currency, rate=rate)
            amount = max(min(amount, rest.amount), ZERO) if amount > 0 else min(max(amount, rest.amount), ZERO)
        elif rest.amount_currency is None:
            amount = rest.amount
        else:
            continue  # settled in its currency: the exchange difference takes the rest
        if amount:
            items.append((line, amount, rest.amount_currency))
            rest.amount -= amount
            if rest.amount_currency is not None:
                rest.amount_currency = ZERO
    if not items:
        return []
    return _adjust(session, gettext("Write-off"), items, {True: account_id, False: account_id}, date)


def _exchange_difference(session, lines, left, date) -> list[Reconciliation]:
    """Settle the company-currency rest of the lines already settled in their foreign currency."""
    items = [(line, left[line.id].amount, ZERO) for line in lines
             if left[line.id].amount_currency == 0 and left[line.id].amount]
    if not items:
        return []
    settings = company_settings(session, lines[0].company_id)
    if not settings.exchange_gain_account_id or not settings.exchange_loss_account_id:
        raise ValidationError(gettext("Set the exchange gain and loss accounts in the accounting settings "
                                      "to book exchange differences."))
    for line, amount, _currency in items:
        left[line.id].amount -= amount
    # a debit left over means less was received than booked: a loss, the counterpart is a debit
    return _adjust(session, gettext("Exchange difference"), items,
                   {True: settings.exchange_loss_account_id, False: settings.exchange_gain_account_id}, date)


# --- unreconcile ----------------------------------------------------------------------------------------------


def unreconcile(session: Session, targets: MoveLine | Reconciliation | Iterable[MoveLine | Reconciliation], *,
                date: dt.date | None = None) -> None:
    """Remove the matches of lines (all of their rows) or of the given rows.

    Exchange-difference and write-off entries booked by the matches of the
    lines concerned are reversed (dated ``date``, default their own date)
    and their rows removed too, so each line is back to its residual before.
    """
    if isinstance(targets, (MoveLine, Reconciliation)):
        targets = [targets]
    targets = list(targets)
    line_ids = {t.id for t in targets if isinstance(t, MoveLine)}
    rows = {t.id: t for t in targets if isinstance(t, Reconciliation)}
    if line_ids:
        rows.update((row.id, row) for row in session.scalars(select(Reconciliation).where(
            or_(Reconciliation.debit_line_id.in_(line_ids), Reconciliation.credit_line_id.in_(line_ids)))))
    touched = {row.debit_line_id for row in rows.values()} | {row.credit_line_id for row in rows.values()}
    if touched:
        rows.update((row.id, row) for row in session.scalars(select(Reconciliation).where(
            Reconciliation.exchange_move_id.is_not(None),
            or_(Reconciliation.debit_line_id.in_(touched), Reconciliation.credit_line_id.in_(touched)))))
    adjustments = {row.exchange_move_id for row in rows.values() if row.exchange_move_id}
    if adjustments:
        rows.update((row.id, row) for row in session.scalars(select(Reconciliation).where(
            Reconciliation.exchange_move_id.in_(adjustments))))
    moves = {row.debit_line.move_id for row in rows.values()} | {row.credit_line.move_id for row in rows.values()}
    for row in rows.values():
        session.delete(row)
    session.flush()
    for move in session.scalars(select(Move).where(Move.id.in_(adjustments)).order_by(Move.id)):
        cancel_entry(session, move, date=date)
    _refresh_invoices(session, moves)


def cancel_entry(session: Session, move: Move, *, date: dt.date | None = None) -> Move:
    """Reverse a posted entry and match each of its open items with the reversal's, so neither stays open."""
    reversal = reverse_move(session, move, date=date)
    by_key: dict[tuple, list[MoveLine]] = {}
    for line in (*move.lines, *reversal.lines):
        if session.get(Account, line.account_id).reconcile:
            by_key.setdefault((line.account_id, line.partner_id), []).append(line)
    for group in by_key.values():
        left = residuals(session, group)
        group = [line for line in group if _open(left[line.id])]
        if any(line.debit for line in group) and any(line.credit for line in group):
            reconcile(session, group)
    return reversal


# --- invoices -------------------------------------------------------------------------------------------------


def invoice_lines(session: Session, invoices: Iterable[Invoice]) -> list[MoveLine]:
    """The receivable / payable lines (reconcilable accounts) of the posted invoices' entries."""
    ids = {invoice.move_id for invoice in invoices if invoice.move_id is not None}
    if not ids:
        return []
    return list(session.scalars(select(MoveLine).join(Account, Account.id == MoveLine.account_id)
                                .where(MoveLine.move_id.in_(ids), Account.reconcile.is_(True))
                                .order_by(func.coalesce(MoveLine.date_maturity, MoveLine.date), MoveLine.id)))


def _refresh_invoices(session: Session, move_ids: Iterable[int]) -> list[Invoice]:
    """Recompute ``residual`` and ``payment_state`` of the posted invoices of these entries.

    The residual is in the invoice's currency. An invoice that becomes paid
    triggers the ``invoice_paid`` hook. Returns the invoices.
    """
    ids = set(move_ids)
    if not ids:
        return []
    invoices = list(session.scalars(select(Invoice).where(Invoice.move_id.in_(ids),
                                                          Invoice.state == INVOICE_POSTED)))
    if not invoices:
        return []
    lines = invoice_lines(session, invoices)
    left = residuals(session, lines)
    registry = session.info.get("registry")
    found = {}
    for invoice in invoices:
        mine = [left[line.id] for line in lines if line.move_id == invoice.move_id]
        if invoice.currency_code == company_currency(session, invoice.company_id):
            residual = abs(sum((r.amount for r in mine), ZERO))
        else:
            residual = abs(sum((r.amount_currency or ZERO for r in mine), ZERO))
        found[invoice] = round_amount(residual, decimals(session, invoice.currency_code))
    credited = _credited(session, [invoice for invoice, residual in found.items()
                                   if residual == 0 and invoice.amount_total], lines)
    with allow(session, INVOICE_PAYMENT_STATE):  # the one place a posted invoice's payment state moves
        for invoice, residual in found.items():
            state = PAID if residual == 0 else NOT_PAID if residual >= abs(invoice.amount_total) else PARTIAL
            if invoice.id in credited:
                state = CREDITED
            became_paid = state == PAID and invoice.payment_state != PAID
            if (invoice.residual, invoice.payment_state) != (residual, state):
                invoice.residual, invoice.payment_state = residual, state
            if became_paid and registry is not None:
                session.flush()
                registry.hook.invoice_paid(session=session, invoice=invoice)
        session.flush()
    return invoices


def _credited(session: Session, invoices: list[Invoice], lines: list[MoveLine]) -> set[int]:
    """The ids of ``invoices`` that nothing but documents crediting each other settled: an invoice matched
    only with its credit notes, a credit note only with the invoice it credits (exchange differences and
    write-offs of those matches aside)."""
    if not invoices:
        return set()
    mine = [line.id for line in lines if line.move_id in {invoice.move_id for invoice in invoices}]
    pairs = session.execute(union_all(
        select(Reconciliation.debit_line_id, Reconciliation.credit_line_id).where(
            Reconciliation.debit_line_id.in_(mine)),
        select(Reconciliation.credit_line_id, Reconciliation.debit_line_id).where(
            Reconciliation.credit_line_id.in_(mine)))).all()
    moves = dict(session.execute(select(MoveLine.id, MoveLine.move_id).where(
        MoveLine.id.in_({line_id for pair in pairs for line_id in pair}))).all())
    adjustments = set(session.scalars(select(Move.id).where(Move.id.in_(set(moves.values())),
                                                            Move.origin == "reconcile")))
    documents = {row.move_id: row for row in session.execute(select(
        Invoice.id, Invoice.move_id, Invoice.origin_invoice_id).where(Invoice.move_id.in_(set(moves.values()))))}
    countered: dict[int, set[int]] = {}
    for own_line, other_line in pairs:
        if moves[other_line] not in adjustments:
            countered.setdefault(moves[own_line], set()).add(moves[other_line])
    result = set()
    for invoice in invoices:
        others = [documents.get(move_id) for move_id in countered.get(invoice.move_id, ())]
        if others and all(other is not None and (other.origin_invoice_id == invoice.id
                                                 or other.id == invoice.origin_invoice_id) for other in others):
            result.add(invoice.id)
    return result
