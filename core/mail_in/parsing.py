"""A received message, read with the standard library's ``email`` package into what the core keeps of it.

The parser (``policy.default``) is lenient: it records what it cannot read
as defects instead of failing, and a header may still raise when it is
read. Every header is therefore read on its own, and one that cannot be read
counts as missing; a message without readable headers or without a sender's
address is refused with :class:`UnreadableMail`, never with a traceback.
"""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime


from core.chatter.sanitize import clean_html, text_as_html
from core.errors import BottegaError
from core.stored_text import N_, Sentence

MAX_BODY = 100_000
MAX_SUBJECT = 998
MAX_MESSAGE_ID = 255
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,253}>")
_BOUNCE_SENDERS = ("mailer-daemon", "postmaster")
_AUTOMATIC_PRECEDENCE = ("bulk", "junk", "auto_reply")


class UnreadableMail(BottegaError):
    """The bytes are not an email message that can be received; the message says why."""


@dataclass(frozen=True)
class Attachment:
    """A file that came with a message, as sent: its name and bytes (its type is read from them when kept)."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class IncomingMail:
    """What the core reads of a received message.

    ``references`` are the Message-IDs it answers, the most recent first
    (In-Reply-To, then References from the end). ``body`` is safe HTML (the
    text part escaped, or the HTML part cleaned by nh3); ``text`` is plain
    text for the records an alias creates. ``automatic`` is true for a
    message sent by a program (``Auto-Submitted`` other than ``no``, a
    bounce, a list or an auto-reply): nothing answers it automatically.
    """

    raw: bytes
    message_id: str
    sender: str
    sender_name: str
    recipients: tuple[str, ...]
    subject: str
    date: dt.datetime | None
    references: tuple[str, ...]
    text: str
    body: str
    attachments: tuple[Attachment, ...]
    automatic: bool


def fallback_message_id(raw: bytes) -> str:
    """The Message-ID of a message that has none: made from its bytes, so a second delivery is seen as one."""
    return f"<{hashlib.sha256(raw).hexdigest()}@received.invalid>"


def parse(raw: bytes) -> IncomingMail:
    """Read ``raw`` (an RFC 5322 message as delivered); :class:`UnreadableMail` when it cannot be received."""
    if not raw or not raw.strip():
        raise UnreadableMail(Sentence(N_("The message is empty.")))
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception as error:  # the parser raises many kinds on garbage; the sender gets one clear answer
        raise UnreadableMail(Sentence(N_("This is not an email message: %(reason)s"), reason=str(error))) from None
    if not isinstance(message, EmailMessage) or not message.keys():
        raise UnreadableMail(Sentence(N_("This is not an email message: it has no headers.")))
    sender_name, sender = _sender(message)
    text, body = _body(message)
    ids = _message_ids(_raw(message, "message-id"))
    return IncomingMail(
        raw=raw,
        message_id=ids[0] if ids else fallback_message_id(raw),
        sender=sender, sender_name=sender_name,
        recipients=_recipients(message),
        subject=" ".join((_header(message, "subject") or "").split())[:MAX_SUBJECT],
        date=_date(_raw(message, "date")),
        references=_references(message),
        text=text, body=body,
        attachments=tuple(_attachments(message)),
        automatic=_automatic(message, sender),
    )


def _raw(message: EmailMessage, name: str) -> str:
    """A header's text as sent (unfolded), '' when absent: for values read with a pattern, not the parser."""
    for key, value in message.raw_items():
        if key.lower() == name:
            return " ".join(str(value).split())
    return ""


def _header(message: EmailMessage, name: str) -> str | None:
    try:
        value = message.get(name)
    except Exception:  # a malformed header counts as missing rather than failing the whole message
        return None
    return str(value).strip() if value is not None else None


def _addresses(message: EmailMessage, name: str) -> list[tuple[str, str]]:
    """(name, address) pairs of an address header; read by the standard parser, else by ``getaddresses``."""
    try:
        header = message.get(name)
        pairs = [(a.display_name, a.addr_spec) for a in header.addresses] if header is not None else []
    except Exception:
        pairs = getaddresses([_raw(message, name)])
    return [(name_, address.strip().lower()) for name_, address in pairs
            if "@" in address and len(address) <= 254 and not any(ch in address for ch in " \r\n<>")]


def _sender(message: EmailMessage) -> tuple[str, str]:
    found = _addresses(message, "from")
    if not found:
        raise UnreadableMail(Sentence(N_("The message has no readable sender address (From).")))
    return found[0]


def _recipients(message: EmailMessage) -> tuple[str, ...]:
    found: list[str] = []
    for name in ("delivered-to", "x-original-to", "to", "cc"):
        found += [address for _name, address in _addresses(message, name) if address not in found]
    return tuple(found)


def _message_ids(text: str) -> list[str]:
    return [found for found in _MESSAGE_ID.findall(text or "") if len(found) <= MAX_MESSAGE_ID]


def _references(message: EmailMessage) -> tuple[str, ...]:
    ordered: list[str] = []
    for found in _message_ids(_raw(message, "in-reply-to")) + _message_ids(_raw(message, "references"))[::-1]:
        if found not in ordered:
            ordered.append(found)
    return tuple(ordered[:100])


def _date(text: str) -> dt.datetime | None:
    try:
        date = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if date.tzinfo is not None:
        date = date.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return date if 1970 <= date.year <= 9999 else None


def _content(part) -> str:
    try:
        return part.get_content()
    except (LookupError, ValueError, AssertionError):  # unknown charset or broken encoding: keep what can be read
        payload = part.get_payload(decode=True)
        return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""


def _body(message: EmailMessage) -> tuple[str, str]:
    """(plain text, safe HTML) of the message's body: the text part when there is one, else the HTML part."""
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:
        part = None
    if part is None:
        return "", ""
    content = _content(part)[:MAX_BODY]
    if part.get_content_subtype() == "html":
        body = clean_html(content)
        from markupsafe import Markup

        return Markup(body).striptags(), body
    return content.strip(), text_as_html(content)


def _attachments(message: EmailMessage):
    try:
        parts = list(message.iter_attachments())
    except Exception:
        return
    for number, part in enumerate(parts, 1):
        try:
            name = part.get_filename()
        except Exception:
            name = None
        payload = part.get_payload(decode=True) if not part.is_multipart() else None
        data = payload if isinstance(payload, bytes) else part.as_bytes()
        yield Attachment(" ".join((name or f"attachment-{number}").split()), data)


def _automatic(message: EmailMessage, sender: str) -> bool:
    """Sent by a program: answering it could start a loop between two auto-responders."""
    submitted = _raw(message, "auto-submitted").lower()
    if submitted and submitted.split(";")[0].strip() != "no":
        return True
    if _raw(message, "precedence").lower() in _AUTOMATIC_PRECEDENCE or _raw(message, "list-id"):
        return True
    if _raw(message, "x-autoreply") or _raw(message, "x-autorespond") or _raw(message, "return-path") == "<>":
        return True
    if sender.split("@")[0] in _BOUNCE_SENDERS:
        return True
    return message.get_content_type() == "multipart/report"
