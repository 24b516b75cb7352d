"""Crediting an invoice or bill in one step: its credit note, posted and matched with it.

:func:`credit_invoice` copies every line of a posted invoice into a credit
note, posts it and reconciles the two, all in one savepoint: the invoice is
then ``credited`` (so is the credit note) and its page links to the credit
note. The reason is kept as the credit note's notes.

What is refused, as Odoo's "full refund" refuses it: a draft, a cancelled
invoice or a credit note; an invoice already credited (a credit note of it
exists, posted or draft: crediting again would credit twice); an invoice with
payments or other items matched with it (a credit note would leave the
partner a credit balance: cancel the payments, or undo the matches, first;
money already received is given back by a payment against a credit note made
as a draft); an invoice whose total is zero. The credit note's date must be
open (fiscal year, lock date): posting refuses it otherwise, and nothing is
left behind.

:func:`credit_lines` credits chosen lines by chosen quantities the same way
(posted, matched: the invoice is then partly credited, or credited once
nothing is left). A line can be credited up to what earlier credit notes
(posted or draft) have not credited of it yet: a credit note's line counts
against the invoice's line it names (``origin_line_id``), else, for one
entered by hand, the first it copies (same product, description, price and
discount) that has some left. It refuses what :func:`credit_invoice` refuses, except an invoice
credited in part already, and the quantities that are negative, more than
is left, or all zero.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.fields import clean

from ..models import Invoice
from ..models.invoicing import CANCELLED, DRAFT, POSTED
from .invoices import LineInput, create_credit_note, post_invoice, require_poster
from .reconcile import invoice_lines, reconcile


def credit_invoice(session: Session, invoice: Invoice, *, reason: str, date: dt.date | None = None) -> Invoice:
    """Credit ``invoice`` in full: its credit note dated ``date`` (default today), posted, matched with it."""
    require_poster(session)
    reason = _reason(reason)
    check_creditable(session, invoice)
    with session.begin_nested():
        credit = create_credit_note(session, invoice, date=date or dt.date.today(), narration=reason)
        post_invoice(session, credit)
        reconcile(session, invoice_lines(session, [invoice, credit]), date=credit.date)
    return credit


def _reason(reason) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise ValidationError(gettext("Say why the invoice is credited."), "reason")
    try:
        return clean(Invoice, {"narration": reason}, creating=False)["narration"]
    except ValidationError as error:
        raise ValidationError(str(error), "reason") from None


def credit_notes_of(session: Session, invoice: Invoice) -> list[Invoice]:
    """The credit notes made of ``invoice`` (drafts too, not cancelled ones), oldest first."""
    return list(session.scalars(select(Invoice).where(Invoice.origin_invoice_id == invoice.id,
                                                      Invoice.state != CANCELLED).order_by(Invoice.id)))


def check_creditable(session: Session, invoice: Invoice) -> None:
    """Refuse, saying why, an invoice :func:`credit_invoice` cannot credit."""
    _check_posted_invoice(invoice)
    name = invoice.display_name
    notes = credit_notes_of(session, invoice)
    if notes:
        raise ValidationError(gettext("Invoice %(name)s is already credited by %(notes)s.", name=name,
                                      notes=", ".join(note.display_name for note in notes)))
    if invoice.amount_total == 0:
        raise ValidationError(gettext("Invoice %(name)s amounts to zero: there is nothing to credit.", name=name))
    if invoice.residual != invoice.amount_total:
        raise ValidationError(gettext(
            "Invoice %(name)s has payments matched with it (%(due)s of %(total)s is still due): cancel them, or "
            "undo the matches, before crediting it in full. To give back money already received, create a "
            "draft credit note and pay it.", name=name, due=invoice.residual, total=invoice.amount_total))


def _check_posted_invoice(invoice: Invoice) -> None:
    name = invoice.display_name
    if invoice.is_refund:
        raise ValidationError(gettext("%(name)s is a credit note: only an invoice or a bill is credited.",
                                      name=name))
    if invoice.state == DRAFT:
        raise ValidationError(gettext("Invoice %(name)s is a draft: change or delete it; only a posted invoice "
                                      "is credited.", name=name))
    if invoice.state == CANCELLED:
        raise ValidationError(gettext("Invoice %(name)s is cancelled: there is nothing to credit.", name=name))


def credit_lines(session: Session, invoice: Invoice, *, quantities: Mapping[int, object], reason: str,
                 date: dt.date | None = None) -> Invoice:
    """Credit ``quantities`` (invoice line id -> quantity) of ``invoice``'s lines: its credit note dated ``date``
    (default today), posted, matched with it."""
    require_poster(session)
    reason = _reason(reason)
    _check_posted_invoice(invoice)
    _check_unpaid(session, invoice)
    chosen = _chosen(invoice, quantities, uncredited(session, invoice))
    with session.begin_nested():
        credit = create_credit_note(session, invoice, date=date or dt.date.today(), narration=reason, lines=[
            LineInput(description=line.description, quantity=quantity, unit_price=line.unit_price,
                      discount=line.discount, tax_ids=[tax.id for tax in line.taxes], account_id=line.account_id,
                      product_id=line.product_id, origin_line_id=line.id) for line, quantity in chosen])
        post_invoice(session, credit)
        reconcile(session, invoice_lines(session, [invoice, credit]), date=credit.date)
    return credit


def creditable_lines(invoice: Invoice) -> list:
    """The lines a credit note can take part of: those billing a positive quantity (not deductions)."""
    return [line for line in invoice.lines if line.quantity > 0]


def uncredited(session: Session, invoice: Invoice) -> dict[int, Decimal]:
    """invoice line id -> the quantity of it that no credit note (posted or draft) has credited yet."""
    lines = creditable_lines(invoice)
    left = {line.id: line.quantity for line in lines}
    for note in credit_notes_of(session, invoice):
        for credited in note.lines:
            rest = credited.quantity
            if credited.origin_line_id in left:
                left[credited.origin_line_id] -= min(rest, left[credited.origin_line_id])
                continue
            for line in lines:
                if rest > 0 and left[line.id] > 0 and _copies(credited, line):
                    taken = min(rest, left[line.id])
                    left[line.id] -= taken
                    rest -= taken
    return left


def _copies(credited, line) -> bool:
    return ((credited.product_id, credited.description, credited.unit_price, credited.discount)
            == (line.product_id, line.description, line.unit_price, line.discount))


def _check_unpaid(session: Session, invoice: Invoice) -> None:
    """Refuse an invoice with payments matched with it: only its credit notes may have lowered what is due."""
    credited = sum((note.amount_total for note in credit_notes_of(session, invoice) if note.state == POSTED),
                   Decimal(0))
    if invoice.residual != max(invoice.amount_total - credited, Decimal(0)):
        raise ValidationError(gettext(
            "Invoice %(name)s has payments matched with it (%(due)s of %(total)s is still due): cancel them, or "
            "undo the matches, before crediting its lines. To give back money already received, create a "
            "draft credit note and pay it.", name=invoice.display_name, due=invoice.residual,
            total=invoice.amount_total))


def _chosen(invoice: Invoice, quantities: Mapping[int, object], left: dict[int, Decimal]) -> list[tuple]:
    """(line, quantity) for each line given a quantity above zero, each checked against what is left of it."""
    lines = creditable_lines(invoice)
    unknown = set(quantities) - set(left)
    if unknown:
        raise ValidationError(gettext("Invoice %(name)s has no line %(line)s to credit.", name=invoice.display_name,
                                      line=sorted(unknown, key=str)[0]), "lines")
    chosen = []
    for number, line in enumerate(lines, start=1):
        where = f"quantity-{line.id}"
        quantity = _quantity(quantities.get(line.id, 0), number, where)
        if quantity < 0:
            raise ValidationError(gettext("Line %(number)s: the quantity to credit cannot be negative.",
                                          number=number), where)
        if quantity > left[line.id]:
            raise ValidationError(gettext(
                "Line %(number)s: %(quantity)s is more than is left to credit of “%(description)s” (%(left)s).",
                number=number, quantity=_plain(quantity), description=line.description, left=_plain(left[line.id])),
                where)
        if quantity:
            chosen.append((line, quantity))
    if not chosen:
        raise ValidationError(gettext("Give a quantity to credit on at least one line."), "lines")
    return chosen


def _plain(quantity: Decimal) -> str:
    """A quantity as a person writes it: 1.5, not 1.5000."""
    return f"{quantity.normalize():f}"


def _quantity(value, number: int, where: str) -> Decimal:
    if value in (None, ""):
        return Decimal(0)
    try:
        quantity = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        quantity = None
    if quantity is None or not quantity.is_finite() or quantity != quantity.quantize(Decimal("0.0001")):
        raise ValidationError(gettext("Line %(number)s: “%(value)s” is not a quantity.", number=number,
                                      value=value), where)
    return quantity
