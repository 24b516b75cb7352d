"""Sending a request for quotation or a purchase order to the supplier: its PDF by email, through the outbox.

The mail and its PDF are in the supplier's language (see
:func:`..documents.order_language`). A request (draft or sent) is numbered
and marked sent first, so the PDF carries its number; a confirmed order is
sent as it is. The mail leaves when the caller's transaction commits
(core.mail), and a failure leaves the order as it was.
"""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.mail import Attachment, Mail, queue_mail, recipients_or
from core.models import Company

from ..models import CANCELLED, EDITABLE, PurchaseOrder
from .orders import mark_sent


def send_order(session: Session, order: PurchaseOrder, *, to: str | None = None) -> Mail:
    """Mail the order's PDF to ``to`` (default: the supplier's address); a request is marked sent."""
    from core import documents

    from .. import documents as order_documents

    if order.state == CANCELLED:
        raise ValidationError(gettext("%(order)s is cancelled: it cannot be sent.", order=order.display_name),
                              "state")
    # a missing or malformed address is refused before the request is numbered
    recipient = recipients_or(to, order.partner.email, gettext(
        "%(supplier)s has no email address: add one to the supplier, or give the address to send to.",
        supplier=order.partner.name))
    with session.begin_nested():
        if order.state in EDITABLE:
            mark_sent(session, order)
        lang = order_documents.order_language(session, order)
        words = documents.translations(order_documents.ADDON, lang)
        is_request = order.state in EDITABLE
        subject = (words.gettext("Request for quotation %(number)s") if is_request
                   else words.gettext("Purchase order %(number)s")) % {"number": order.number}
        company = session.get(Company, order.company_id)
        attached = (words.gettext("Please find attached our request for quotation %(number)s.") if is_request
                    else words.gettext("Please find attached our purchase order %(number)s.")) % {"number": order.number}
        text = "\n\n".join((words.gettext("Hello,"), attached, company.name))
        pdf = order_documents.order_pdf(session, order, lang)
        return queue_mail(session, to=recipient, subject=subject, text=text, reference=f"purchase.order:{order.id}",
                          attachments=[Attachment(order_documents.order_filename(order), "application/pdf", pdf)])
