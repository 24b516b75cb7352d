"""Leads from outside: the embeddable web form and incoming email (a posted or stored .eml).

Both run in a system session for the capturing team's company (nobody is
logged in) and go through :func:`services.create_lead`, so the field checks
and the rules for new leads apply to them like to any other lead. The web
form's names (``FORM_FIELDS``) are a public contract with the sites that
embed it, and only those few lead fields are open to visitors; an error names
the form's own field. What a mail brings is cut to the fields' lengths
instead, as nobody can correct it.
"""
from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.bounds import fits_id
from core.chatter import services as chatter
from core.chatter.models import EMAIL_IN
from core.errors import ValidationError
from core.fields import field_of

from . import services
from .models import OPEN, Campaign, Lead, Team

HONEYPOT = "website"  # hidden in the form: people leave it empty, bots fill it
FORM_FIELDS = {"name": "contact_name", "email": "email", "phone": "phone", "company": "partner_name",
               "country": "country_code", "subject": "name", "message": "description"}
PUBLIC_NAMES = {field: name for name, field in FORM_FIELDS.items()}
MAX_EMAIL_BYTES = 30 * 1024 * 1024  # a 20 MB attachment grows to about 27 MB in base64


def from_web_form(session: Session, team: Team, payload: dict) -> Lead | None:
    if str(payload.get(HONEYPOT) or "").strip():
        return None
    values = {FORM_FIELDS[key]: str(value) for key, value in payload.items() if key in FORM_FIELDS and value}
    if not values.get("email") and not values.get("phone"):
        raise ValidationError(_l("Leave an email address or a phone number so we can answer."), "email")
    if not values.get("name"):
        values["name"] = values.get("partner_name") or values.get("contact_name") or values.get("email") \
            or values.get("phone")
    campaign = _campaign(session, team, payload.get("campaign"))
    try:
        return services.create_lead(session, team.company_id, team_id=team.id, source="web",
                                    campaign_id=campaign.id if campaign else None, **values)
    except ValidationError as error:
        raise ValidationError(str(error), PUBLIC_NAMES.get(error.field, error.field),
                              {PUBLIC_NAMES.get(name, name): problem for name, problem in error.errors.items()}) \
            from None


def _campaign(session: Session, team: Team, value):
    """The campaign a form names (its id, e.g. from a link in a campaign mail); unknown ones are ignored."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit() and len(text) < 20 and fits_id(Campaign.id, int(text))):
        return None
    campaign = session.get(Campaign, int(text))
    return campaign if campaign is not None and campaign.company_id == team.company_id else None


@dataclass(frozen=True)
class EmailResult:
    lead_id: int
    created: bool


def from_email(session: Session, team: Team, raw: bytes, *, log: bool = True) -> EmailResult:
    """Turn a received email into a new lead, or add it to the sender's open lead; with ``log`` False the caller
    puts the message on the lead's timeline (incoming mail does, with its attachments)."""
    if not raw:
        raise ValidationError(_l("The message is empty."))
    if len(raw) > MAX_EMAIL_BYTES:
        raise ValidationError(_l("The message is larger than %(size)s MB.", size=MAX_EMAIL_BYTES // (1024 * 1024)))
    message = _parse(raw)
    sender = _sender(message)
    subject = _header(message, "subject") or _l("(no subject)")
    attachments = [part.get_filename() or "?" for part in message.iter_attachments()]
    notice = "\n\n" + str(_l("Attachments (not stored): %(names)s", names=", ".join(attachments))) if attachments \
        else ""
    room = max(0, chatter.MAX_BODY - len(notice))
    body = _cut(_text_of(message)[:room] + notice, chatter.MAX_BODY)
    existing = session.scalars(
        select(Lead).where(Lead.company_id == team.company_id, Lead.email == sender.addr_spec.lower(),
                           Lead.state == OPEN).order_by(Lead.id.desc())
    ).first()
    if existing is not None:
        if log:
            _log(session, existing, subject, body)
        return EmailResult(existing.id, False)
    lead = services.create_lead(session, team.company_id, team_id=team.id, source="email",
                                name=_fit(Lead, "name", subject), contact_name=_fit(Lead, "contact_name",
                                                                                   sender.display_name),
                                email=sender.addr_spec, description=_fit(Lead, "description", body))
    if log:
        _log(session, lead, subject, body)
    return EmailResult(lead.id, True)


def _log(session: Session, lead: Lead, subject, body: str | None) -> None:
    """The email on the lead's timeline, as received."""
    chatter.log_message(session, chatter.ref_of(session, lead), kind=EMAIL_IN,
                        subject=_cut(subject, chatter.MAX_SUBJECT), text=body)


def _fit(model: type, name: str, text) -> str | None:
    """``text`` without NUL characters, cut to what the field holds."""
    return _cut(text, field_of(model, name).length)


def _cut(text, length: int) -> str | None:
    return str(text).replace("\x00", "")[:length] if text else None


def _parse(raw: bytes) -> EmailMessage:
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception as error:  # the parser raises many kinds on garbage; the sender gets one clear answer
        raise ValidationError(_l("This is not an email message: %(reason)s", reason=str(error))) from None
    if not isinstance(message, EmailMessage) or message.defects and not message.get("from"):
        raise ValidationError(_l("This is not an email message: it has no sender."))
    return message


def _header(message: EmailMessage, name: str) -> str | None:
    try:
        value = message.get(name)
    except Exception:  # a malformed header: treat it as missing rather than fail the whole message
        return None
    return str(value).strip() if value else None


def _sender(message: EmailMessage) -> Address:
    try:
        addresses = message["from"].addresses if message["from"] is not None else ()
    except Exception:
        addresses = ()
    if not addresses or "@" not in addresses[0].addr_spec:
        raise ValidationError(_l("The message has no valid sender address."), "email")
    return addresses[0]


def _text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, ValueError):  # unknown charset or broken encoding: keep what can be read
        text = part.get_payload(decode=True).decode("utf-8", "replace") if part.get_payload(decode=True) else ""
    if part.get_content_subtype() == "html":
        from markupsafe import Markup

        text = Markup(text).striptags()
    return text.strip()
