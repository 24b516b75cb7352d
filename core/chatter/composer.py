"""Emails from a record: mail templates rendered in a Jinja2 sandbox, sent through the outbox, logged on the timeline.

A template's subject and body are Jinja2, rendered in an
:class:`~jinja2.sandbox.ImmutableSandboxedEnvironment` with ``StrictUndefined``,
so a template can read the record (``record``, ``user``) but not reach
Python's internals or change data, and a mistake (a syntax error, an unknown
attribute) is a :class:`ValidationError` naming the part and line: nothing is
sent. The mail goes to the outbox (``core.mail``) with a Message-ID fixed now
and kept on the timeline's message, so replies can find the record again.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.config import Config
from core.db import utcnow
from core.errors import RecordNotFound, ValidationError
from core.mail.outbox import Attachment, new_message_id, parse_recipients, queue_mail
from core.models import Company, User

from .models import EMAIL, Follower, MailTemplate, Message
from .sanitize import text_as_html
from .services import RecordRef, announce

_ENVIRONMENT = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
PARTS = {"subject": _l("subject"), "body": _l("body")}


@dataclass(frozen=True)
class Draft:
    """What the composer shows before sending: recipients, subject, body."""

    to: str
    subject: str
    body: str


@dataclass(frozen=True)
class Document:
    """A document of a record that the composer offers to attach (an invoice's PDF), made only when chosen."""

    filename: str
    content_type: str
    make: Callable[[], bytes]

    def attachment(self) -> Attachment:
        return Attachment(self.filename, self.content_type, self.make())


def check_template(subject: str, body: str) -> None:
    """Refuse a template whose subject or body is not valid Jinja2 (said with the part and the line)."""
    for part, text in (("subject", subject), ("body", body)):
        try:
            _ENVIRONMENT.parse(text or "")
        except TemplateSyntaxError as exc:
            raise ValidationError(_l("The template's %(part)s has an error on line %(line)s: %(error)s",
                                     part=PARTS[part], line=exc.lineno, error=exc.message), part) from None


def render(template: MailTemplate, values: dict) -> tuple[str, str]:
    """The template's subject and body for ``values``; ValidationError naming the part on any template error."""
    rendered = []
    for part in ("subject", "body"):
        try:
            rendered.append(_ENVIRONMENT.from_string(getattr(template, part)).render(values))
        except TemplateSyntaxError as exc:
            raise ValidationError(_l("The template's %(part)s has an error on line %(line)s: %(error)s",
                                     part=PARTS[part], line=exc.lineno, error=exc.message), part) from None
        except TemplateError as exc:
            raise ValidationError(_l("The template's %(part)s cannot be filled in: %(error)s",
                                     part=PARTS[part], error=str(exc)), part) from None
    return " ".join(rendered[0].split()), rendered[1]


def templates_for(session: Session, res_model: str) -> list[MailTemplate]:
    return list(session.scalars(select(MailTemplate).where(MailTemplate.model == res_model)
                                .order_by(MailTemplate.name, MailTemplate.id)))


def default_recipients(session: Session, ref: RecordRef) -> list[str]:
    """The record's partner's address (or the record's own, for a partner), then the followers' addresses."""
    found = []
    partner = getattr(ref.record, "partner", None) or ref.record
    if isinstance(getattr(partner, "email", None), str) and partner.email:
        found.append(partner.email)
    users = session.scalars(select(User).join(Follower, Follower.user_id == User.id)
                            .where(Follower.res_model == ref.res_model, Follower.res_id == ref.res_id)
                            .order_by(Follower.id))
    found += [user.email for user in users if user.email and user.email not in found]
    return found


def draft(session: Session, ref: RecordRef, template_id: int | None) -> Draft:
    """The composer's starting point: the chosen template filled in with the record, and its recipients."""
    to = ", ".join(default_recipients(session, ref))
    if template_id is None:
        return Draft(to=to, subject="", body="")
    template = session.scalars(select(MailTemplate).where(MailTemplate.id == template_id,
                                                          MailTemplate.model == ref.res_model)).first()
    if template is None:
        raise RecordNotFound(_l("There is no such template for this record."))
    actor = session.info.get("actor")
    user = session.get(User, actor.user_id) if actor is not None else None
    company = session.get(Company, ref.company_id)
    subject, body = render(template, {"record": ref.record, "user": user, "company": company})
    return Draft(to=to, subject=subject, body=body)


def send_email(session: Session, config: Config, ref: RecordRef, *, to: str, subject: str, body: str,
               attachments: Iterable[Attachment] = ()) -> Message:
    """Queue the mail in the outbox and log it on the record's timeline with its Message-ID."""
    recipients = parse_recipients(to)
    if not (body or "").strip():
        raise ValidationError(_l("Write the message first."), "body")
    message_id = new_message_id(config)
    mail = queue_mail(session, to=recipients, subject=subject, text=body, attachments=attachments,
                      reference=f"{ref.res_model}:{ref.res_id}", message_id=message_id)
    actor = session.info.get("actor")
    message = Message(kind=EMAIL, subject=mail.subject, body=text_as_html(body), recipients=mail.to,
                      message_id=message_id, mail_id=mail.id, author_id=actor.user_id if actor else None, at=utcnow(),
                      res_model=ref.res_model, res_id=ref.res_id, company_id=ref.company_id)
    session.add(message)
    session.flush()
    announce(session, message)
    return message
