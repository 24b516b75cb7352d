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
"""
from __future__ import annotations

import datetime as dt

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.fields import clean

from ..models import Invoice
from ..models.invoicing import CANCELLED, DRAFT
from .invoices import create_credit_note, post_invoice, require_poster
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
    name = invoice.display_name
    if invoice.is_refund:
        raise ValidationError(gettext("%(name)s is a credit note: only an invoice or a bill is credited.",
                                      name=name))
    if invoice.state == DRAFT:
        raise ValidationError(gettext("Invoice %(name)s is a draft: change or delete it; only a posted invoice "
                                      "is credited.", name=name))
    if invoice.state == CANCELLED:
        raise ValidationError(gettext("Invoice %(name)s is cancelled: there is nothing to credit.", name=name))
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
