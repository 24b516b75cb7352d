"""Receiving one message: find its thread or its alias, post it on the record's chatter, log it.

Everything a message changes is written in one transaction (its chatter
message, its attachments' rows, the record an alias creates, its row in
*Received mail*); the attachment files written on the way are removed when
that transaction does not commit. A refused message leaves only its
*rejected* row, written afterwards in a transaction of its own; mail for an
address that is no alias leaves nothing (the mail server bounces it).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.chatter.models import EMAIL_IN, Message
from core.chatter.services import RecordRef, attach, record_of, ref_of
from core.chatter.storage import AttachmentStore
from core.db import utcnow
from core.errors import BottegaError, RecordNotFound, ValidationError
from core.stored_text import N_, Sentence, kept, message_of

from .models import CREATED, REJECTED, THREADED, MailAlias, ReceivedMail
from .parsing import IncomingMail, UnreadableMail, fallback_message_id, parse
from .targets import Created, alias_targets

DUPLICATE = "duplicate"


class UnknownRecipient(BottegaError):
    """No active alias takes the message, and it answers no message we know."""


class MessageRefused(BottegaError):
    """The alias's addon refused to make a record of the message (the reason says why)."""


@dataclass(frozen=True)
class Destination:
    """Where a message that answers no thread goes: a company, the address it came to (named when the message is
    refused), and ``create(session, company_id, mail)`` making the record (see
    :class:`~core.mail_in.targets.AliasTarget`): an alias's target, or an addon's own intake (CRM's inbound URL)."""

    company_id: int
    address: str
    create: Callable[[Session, int, IncomingMail], Created]


@dataclass(frozen=True)
class Delivery:
    """What became of a message: ``threaded``, ``created``, or ``duplicate`` (received before); on which record,
    and the attachments that were not kept, with why."""

    outcome: str
    res_model: str | None
    res_id: int | None
    dropped: tuple[str, ...] = ()


def deliver(open_session: Callable[[], Session], store: AttachmentStore, raw: bytes,
            recipients: Sequence[str] = (), destination: Destination | None = None) -> Delivery:
    """Receive ``raw`` for ``recipients`` (the envelope's; else the message's own To, Cc, Delivered-To), or for
    ``destination`` instead of the alias among them.

    ``open_session`` opens a system session. Raises :class:`UnreadableMail`,
    :class:`UnknownRecipient` or :class:`MessageRefused` with the reason.
    """
    try:
        mail = parse(raw)
    except UnreadableMail as refusal:
        _record_refusal(open_session, fallback_message_id(raw), recipients, message_of(refusal))
        raise
    written: list[str] = []
    session = open_session()
    try:
        try:
            delivery = _receive(session, store, mail, recipients, destination, written)
            session.commit()
            return delivery
        except BaseException:
            session.rollback()
            for key in written:
                store.remove(key)
            raise
    except IntegrityError:  # the same message delivered at the same moment through another process
        earlier = _earlier(session, mail.message_id)
        if earlier is None:
            raise
        return earlier
    except MessageRefused as refusal:
        _record_refusal(open_session, mail.message_id, recipients or mail.recipients, message_of(refusal), mail)
        raise
    finally:
        session.close()


def _received(session: Session, message_id: str) -> ReceivedMail | None:
    return session.scalars(select(ReceivedMail).where(ReceivedMail.message_id == message_id)).first()


def _earlier(session: Session, message_id: str) -> Delivery | None:
    """The delivery of the same message before, unless it was rejected (then it is received again)."""
    row = _received(session, message_id)
    if row is None or row.outcome == REJECTED:
        return None
    return Delivery(DUPLICATE, row.res_model, row.res_id)


def _receive(session: Session, store: AttachmentStore, mail: IncomingMail, recipients: Sequence[str],
             destination: Destination | None, written: list[str]) -> Delivery:
    if destination is None:
        alias = find_alias(session, recipients or mail.recipients)
        destination = alias_destination(alias) if alias is not None else None
    ref, outcome = thread_of(session, mail, destination.company_id if destination else None), THREADED
    if ref is None and destination is None:  # even for a message received before: this address is no alias
        addressed = ", ".join(recipients or mail.recipients) or "-"
        raise UnknownRecipient(Sentence(N_("No mail alias takes mail for %(address)s."), address=addressed))
    row = _received(session, mail.message_id)
    if row is not None and row.outcome != REJECTED:
        return Delivery(DUPLICATE, row.res_model, row.res_id)
    if ref is None:
        ref, outcome = _create(session, mail, destination)
    dropped = _post(session, store, ref, mail, written)
    row = row or ReceivedMail(message_id=mail.message_id)
    _fill(row, mail, recipients or mail.recipients)
    row.outcome, row.reasons = outcome, [kept(reason) for reason in dropped] or None
    row.res_model, row.res_id = ref.res_model, ref.res_id
    session.add(row)
    session.flush()
    return Delivery(outcome, ref.res_model, ref.res_id, tuple(str(reason) for reason in dropped))


def find_alias(session: Session, addresses: Sequence[str]) -> MailAlias | None:
    """The first active alias among ``addresses`` (``local+tag@domain`` is ``local@domain``'s)."""
    for address in addresses:
        local, _, domain = address.strip().lower().rpartition("@")
        alias = session.scalars(select(MailAlias).where(MailAlias.local_part == local.split("+")[0],
                                                        MailAlias.domain == domain,
                                                        MailAlias.active.is_(True))).first()
        if alias is not None:
            return alias
    return None


def alias_destination(alias: MailAlias) -> Destination:
    """Mail to ``alias``: its company, made into what its target (an installed addon's) creates."""
    address, target_key = alias.address, alias.target

    def create(session: Session, company_id: int, mail: IncomingMail) -> Created:
        target = alias_targets(session.info["registry"]).get(target_key)
        if target is None:
            raise UnknownRecipient(Sentence(N_("The alias %(address)s creates %(target)s, which no installed addon "
                                               "offers."), address=address, target=target_key))
        return target.create(session, company_id, mail)

    return Destination(alias.company_id, address, create)


def thread_of(session: Session, mail: IncomingMail, company_id: int | None) -> RecordRef | None:
    """The record whose sent or received message ``mail`` answers, the most recent reference first.

    A record of another company than ``company_id`` (the alias's the message
    came to) is never the thread: a reference copied from elsewhere must not
    put a message (and its attachments) on a record its sender's company does
    not own.
    """
    if not mail.references:
        return None
    known = {message.message_id: message for message in session.scalars(
        select(Message).where(Message.message_id.in_(mail.references)).order_by(Message.id))}
    for reference in mail.references:
        message = known.get(reference)
        if message is None or (company_id is not None and message.company_id != company_id):
            continue
        try:
            return record_of(session, message.res_model, message.res_id)
        except RecordNotFound:  # the record is gone, or its addon: an older reference may still lead somewhere
            continue
    return None


def _create(session: Session, mail: IncomingMail, destination: Destination) -> tuple[RecordRef, str]:
    try:
        created = destination.create(session, destination.company_id, mail)
    except ValidationError as error:
        raise MessageRefused(Sentence(N_("%(address)s does not take this message: %(reason)s"),
                                      address=destination.address, reason=message_of(error))) from None
    return ref_of(session, created.record), CREATED if created.created else THREADED


def _post(session: Session, store: AttachmentStore, ref: RecordRef, mail: IncomingMail,
          written: list[str]) -> list:
    """The message on the record's chatter, with the attachments that may be kept; returns why others were not."""
    dropped = []
    for attachment in mail.attachments:
        try:
            written.append(attach(session, store, ref, attachment.filename, attachment.data).storage_key)
        except ValidationError as refusal:
            dropped.append(message_of(refusal))
    body = mail.body
    if dropped:
        heading = _l("Attachments not kept:")
        body += "<p>" + "<br>".join(str(escape(line)) for line in (heading, *dropped)) + "</p>"
    session.add(Message(kind=EMAIL_IN, subject=mail.subject or None, body=body, sender=mail.sender[:255],
                        recipients=", ".join(mail.recipients) or None, message_id=mail.message_id, at=utcnow(),
                        res_model=ref.res_model, res_id=ref.res_id, company_id=ref.company_id))
    session.flush()
    return dropped


def _fill(row: ReceivedMail, mail: IncomingMail | None, recipients: Sequence[str]) -> None:
    row.recipients = ", ".join(recipients) or None
    row.received_at = utcnow()
    if mail is not None:
        row.sender, row.subject, row.sent_at, row.automatic = mail.sender[:255], mail.subject or None, mail.date, \
            mail.automatic


def _record_refusal(open_session: Callable[[], Session], message_id: str, recipients: Sequence[str], reason,
                    mail: IncomingMail | None = None) -> None:
    """Log a refused message in *Received mail* (again, when it was refused before), in its own transaction."""
    with open_session() as session:
        row = _received(session, message_id)
        if row is not None and row.outcome != REJECTED:
            return
        row = row or ReceivedMail(message_id=message_id)
        _fill(row, mail, recipients)
        row.outcome, row.reasons, row.res_model, row.res_id = REJECTED, [kept(reason)], None, None
        session.add(row)
        session.commit()


def created_by_automatic_mail(session: Session, res_model: str, res_id: int) -> bool:
    """Whether the record was made from a message sent by a program: it must not be answered automatically."""
    return bool(session.scalar(select(exists().where(
        ReceivedMail.res_model == res_model, ReceivedMail.res_id == res_id, ReceivedMail.outcome == CREATED,
        ReceivedMail.automatic.is_(True)))))
