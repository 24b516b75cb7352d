"""The outbox: mails written in the caller's transaction, and their sending by the ``core.send_mail`` job."""
from __future__ import annotations

import re
import smtplib
import socket
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, getaddresses, make_msgid

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.orm import Session

from core.config import Config
from core.db import utcnow
from core.errors import BottegaError, RecordNotFound, ValidationError
from core.jobs import JobContext, enqueue, retry_job
from core.jobs.sending import add_job
from core.mail.job import SEND_MAIL
from core.models.job import FAILED as JOB_FAILED
from core.models.job import JobRecord
from core.models.mail import FAILED, QUEUED, SENT, Mail, MailAttachment
from core.sessions import system_rows

MAX_SUBJECT = 998
MAX_REFERENCE = 255
AUTO_SUBMITTED = (None, "auto-replied", "auto-generated")
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
ADDRESS_RE = re.compile(rf"{_LOCAL}@{_LABEL}(?:\.{_LABEL})+")


class MailNotSent(BottegaError):
    """The SMTP server did not take a mail; the message is the reason recorded on it."""


@dataclass(frozen=True)
class Attachment:
    """A file to send with a mail: its name, MIME type (``application/pdf``) and bytes."""

    filename: str
    content_type: str
    data: bytes


# --- queueing --------------------------------------------------------------------------


def parse_recipients(to: str | Iterable[str]) -> list[str]:
    """``to`` as a list of checked addresses (``a@b.es`` or ``Name <a@b.es>``); ValidationError otherwise."""
    items = [to] if isinstance(to, str) else list(to or ())
    if not all(isinstance(item, str) for item in items):
        raise ValidationError(_l("A recipient must be an email address."), "to")
    recipients = []
    for item in items:
        if "\r" in item or "\n" in item:
            raise ValidationError(_l("%(value)s is not an email address.", value=item.strip()), "to")
        parts = [part for part in _split(item) if part.strip()]
        for part in parts:
            pairs = getaddresses([part])
            if len(pairs) != 1 or not ADDRESS_RE.fullmatch(pairs[0][1]) or len(pairs[0][1]) > 254:
                raise ValidationError(_l("%(value)s is not an email address.", value=part.strip()), "to")
            name, address = pairs[0]
            recipients.append(formataddr((name, address)) if name else address)
    if not recipients:
        raise ValidationError(_l("A mail needs at least one recipient."), "to")
    return recipients


def recipients_or(to: str | None, default: str | None, missing: str) -> str:
    """``to``, else ``default`` (say, the partner's address), checked as :func:`parse_recipients` does, before the
    caller changes anything; ``missing`` is the refusal (on ``to``) when neither is given."""
    recipient = to or default
    if not recipient:
        raise ValidationError(missing, "to")
    parse_recipients(recipient)
    return recipient


def _split(text: str) -> list[str]:
    """Split on commas outside quotes and angle brackets."""
    parts, current, quoted, angle = [], [], False, False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char == "<" and not quoted:
            angle = True
        elif char == ">" and not quoted:
            angle = False
        if char == "," and not quoted and not angle:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _check_attachments(attachments: Iterable[Attachment]) -> list[Attachment]:
    checked = list(attachments)
    for attachment in checked:
        if (not isinstance(attachment, Attachment) or not attachment.filename.strip() or len(attachment.filename) > 255
                or any(ch in attachment.filename for ch in "\r\n/\\")
                or attachment.content_type.count("/") != 1 or not isinstance(attachment.data, bytes)):
            raise ValidationError(_l("An attachment needs a file name (without folders), a type such as "
                                     "application/pdf and its bytes."), "attachments")
    return checked


def _check(subject, text, html, reference) -> str:
    if not isinstance(subject, str) or not subject.strip():
        raise ValidationError(_l("A mail needs a subject."), "subject")
    if "\r" in subject or "\n" in subject:
        raise ValidationError(_l("The subject must be a single line."), "subject")
    if len(subject) > MAX_SUBJECT:
        raise ValidationError(_l("At most %(count)s characters.", count=MAX_SUBJECT), "subject")
    if not isinstance(text, str):
        raise ValidationError(_l("A mail needs a text."), "text")
    if html is not None and not isinstance(html, str):
        raise ValidationError(_l("The HTML version must be text."), "html")
    if reference is not None and (not isinstance(reference, str) or len(reference) > MAX_REFERENCE):
        raise ValidationError(_l("At most %(count)s characters.", count=MAX_REFERENCE), "reference")
    return subject.strip()


def queue_mail(session: Session, *, to: str | Iterable[str], subject: str, text: str, html: str | None = None,
               reference: str | None = None, attachments: Iterable[Attachment] = (),
               message_id: str | None = None, auto_submitted: str | None = None) -> Mail:
    """Put a mail in the outbox and enqueue ``core.send_mail``; it leaves when ``session`` commits.

    ``to`` is an address, ``Name <address>``, several separated by commas, or
    a list of them. A malformed address, an empty or multi-line subject is a
    :class:`ValidationError` and nothing is written. ``reference`` is free
    text for the caller to find its mails again (e.g. ``crm.campaign_recipient:42``).
    ``attachments`` (:class:`Attachment`) are kept with the mail in the outbox.
    ``message_id`` fixes the mail's Message-ID now (see :func:`new_message_id`), for the caller to store
    it (a record's timeline, for replies to thread into); by default the sending job gives one.
    ``auto_submitted`` (``auto-replied`` for an automatic answer, ``auto-generated`` for a notification) goes
    out as the ``Auto-Submitted`` header (RFC 3834), so that auto-responders do not answer it.
    """
    recipients = parse_recipients(to)
    subject = _check(subject, text, html, reference)
    files = _check_attachments(attachments)
    if auto_submitted not in AUTO_SUBMITTED:
        raise ValidationError(_l("Auto-Submitted is one of %(values)s.", values=", ".join(AUTO_SUBMITTED[1:])),
                              "auto_submitted")
    with system_rows(session) as system:
        mail = Mail(state=QUEUED, to=", ".join(recipients), subject=subject, text=text, html=html or None,
                    reference=reference, attempts=0, message_id=message_id, auto_submitted=auto_submitted,
                    attachments=[MailAttachment(filename=f.filename, content_type=f.content_type, data=f.data)
                                 for f in files])
        system.add(mail)
        system.flush()
        mail.job_id = add_job(session, system, SEND_MAIL, {"mail_id": mail.id}).id
    return mail


def new_message_id(config: Config) -> str:
    """A fresh Message-ID in the domain of ``[mail] from_address``."""
    return make_msgid(domain=_domain(config.get("mail", "from_address")) or "localhost")


def requeue_mail(session: Session, mail_id: int) -> Mail:
    """Send a failed mail again: its job is retried (or a new one enqueued) when ``session`` commits."""
    mail = session.get(Mail, mail_id, with_for_update=True)
    if mail is None:
        raise RecordNotFound(_l("There is no mail %(id)s.", id=mail_id))
    if mail.state != FAILED:
        raise ValidationError(_l("Only a failed mail can be sent again."))
    mail.state = QUEUED
    job = session.get(JobRecord, mail.job_id) if mail.job_id else None
    if job is not None and job.state == JOB_FAILED:
        retry_job(session, job.id)
    else:
        mail.job_id = enqueue(session, SEND_MAIL, mail_id=mail.id).id
    session.flush()
    return mail


# --- sending (in the worker) -----------------------------------------------------------


def _message(config: Config, mail: Mail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config.get("mail", "from_address")
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = mail.message_id
    if mail.auto_submitted:
        message["Auto-Submitted"] = mail.auto_submitted
    message.set_content(mail.text)
    if mail.html:
        message.add_alternative(mail.html, subtype="html")
    for attachment in mail.attachments:
        maintype, subtype = attachment.content_type.split("/")
        message.add_attachment(attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename)
    return message


def deliver(config: Config, mail: Mail) -> dict[str, tuple[int, bytes]]:
    """Hand ``mail`` to the SMTP server of ``[mail]``; returns the recipients it refused (when not all)."""
    settings = config.values["mail"]
    host, port = settings["smtp_host"], settings["smtp_port"]
    with smtplib.SMTP(host, port, timeout=settings["timeout"] or None) as smtp:
        if settings["smtp_starttls"]:
            smtp.starttls(context=ssl.create_default_context())
        if settings["smtp_user"]:
            smtp.login(settings["smtp_user"], settings["smtp_password"])
        return smtp.send_message(_message(config, mail))


def describe_failure(config: Config, exc: BaseException) -> str:
    """The reason recorded on a mail the server did not take, in one line."""
    server = f"{config.get('mail', 'smtp_host')}:{config.get('mail', 'smtp_port')}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(f"{address} ({code} {_text(message)})" for address, (code, message)
                            in exc.recipients.items())
        return f"recipients refused by {server}: {refused}"
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return f"sender {exc.sender} refused by {server}: {exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{server} answered {exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"{server} closed the connection: {exc}"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return f"{server} did not answer in time"
    if isinstance(exc, OSError):
        return f"cannot reach the SMTP server {server}: {exc.strerror or exc}"
    return f"{type(exc).__name__}: {exc}"


def _text(value) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return " ".join(text.split())


def _domain(address: str) -> str | None:
    _name, parsed = getaddresses([address])[0]
    return parsed.rpartition("@")[2] or None


def send_mail_job(context: JobContext, mail_id: int) -> None:
    """The ``core.send_mail`` job: send one mail of the outbox, recording the outcome on it.

    No database transaction stays open while the SMTP server is talked to;
    each write comes first in its own short transaction (SQLite then waits
    for its turn instead of failing on a stale snapshot).
    """
    with context.session() as session:
        session.execute(update(Mail).where(Mail.id == mail_id, Mail.message_id.is_(None))
                        .values(message_id=new_message_id(context.config)))
        mail = session.get(Mail, mail_id)
        session.commit()
    if mail is None or mail.state == SENT:
        return
    try:
        refused = deliver(context.config, mail)
    except (smtplib.SMTPException, OSError) as exc:
        reason = describe_failure(context.config, exc)
        _record(context, mail_id, state=FAILED if context.last_attempt else QUEUED, reason=reason)
        raise MailNotSent(reason) from exc
    reason = ("some recipients were refused: " + "; ".join(
        f"{address} ({code} {_text(message)})" for address, (code, message) in refused.items())) if refused else None
    _record(context, mail_id, state=SENT, reason=reason, sent_at=utcnow())


def _record(context: JobContext, mail_id: int, **values) -> None:
    with context.session() as session:
        session.execute(update(Mail).where(Mail.id == mail_id).values(attempts=Mail.attempts + 1, **values))
        session.commit()
