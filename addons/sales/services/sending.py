"""Sending a quotation to the customer: its PDF by email through the outbox, with the link to its public page.

The mail and its PDF are in the customer's language (see
:func:`..documents.quote_language`). The quotation is marked sent first (so
it is numbered, and its link can be answered), and the mail leaves when the
caller's transaction commits (core.mail); a refusal leaves the quotation as
it was. The mails sent for a quotation are found again by their outbox
reference (:func:`mails_of`): they are the quotation's log of what was sent.
"""
from __future__ import annotations

from babel.dates import format_date
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.mail import Attachment, Mail, queue_mail, recipients_or
from core.models import Company

from ..models import EDITABLE, SENT, SaleOrder
from .quotes import mark_sent, require_state


def reference_of(order: SaleOrder) -> str:
    """The outbox reference of the quotation's mails."""
    return f"sales.order:{order.id}"


def send_quote(session: Session, order: SaleOrder, *, link: str, to: str | None = None) -> Mail:
    """Mail the quotation's PDF and ``link`` (its public page) to ``to`` (default: the customer's address);
    the quotation is marked sent."""
    from core import documents

    from .. import documents as quote_documents

    require_state(order, EDITABLE, gettext(
        "Only a quotation can be sent; the state of %(order)s is “%(state)s”."))
    # a missing or malformed address is refused before the quotation is numbered
    recipient = recipients_or(to, order.partner.email, gettext(
        "%(customer)s has no email address: add one to the customer, or give the address to send to.",
        customer=order.partner.name))
    with session.begin_nested():
        if order.state != SENT:
            mark_sent(session, order)
        lang = quote_documents.quote_language(session, order)
        words = documents.translations(quote_documents.ADDON, lang)
        number = {"number": order.display_name}
        text = [words.gettext("Hello,"), words.gettext("Please find attached our quotation %(number)s.") % number]
        if order.validity_date is not None:
            text.append(words.gettext("It is valid until %(date)s.") % {
                "date": format_date(order.validity_date, "long", locale=lang)})
        text += [words.gettext("You can read it, accept it or decline it here:") + "\n" + link,
                 session.get(Company, order.company_id).name]
        pdf = quote_documents.quote_pdf(session, order, lang)
        return queue_mail(session, to=recipient, subject=words.gettext("Quotation %(number)s") % number,
                          text="\n\n".join(text), reference=reference_of(order),
                          attachments=[Attachment(quote_documents.quote_filename(order), "application/pdf", pdf)])


def mails_of(system: Session, order: SaleOrder) -> list[Mail]:
    """The mails sent for the quotation, newest first. Reads the outbox: call it with a system session, once the
    user was allowed to read the quotation."""
    return list(system.scalars(select(Mail).where(Mail.reference == reference_of(order))
                               .order_by(Mail.id.desc())))
