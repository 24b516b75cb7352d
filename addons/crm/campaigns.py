"""Segments and campaigns: who to write to, the mass mailing on the job queue, unsubscribing.

A segment's ``conditions`` is a small JSON object checked by :func:`check_conditions`:
``country_code`` (list), ``is_company`` (bool), ``tag`` (a contacts tag name),
``state`` and ``category`` (for lead segments). Sending a campaign records
one recipient per address (unsubscribed ones as skipped), then the job
``crm.send_campaign`` queues one mail per recipient through the outbox; a
recipient's status follows its mail (queued, sent, bounced on a permanent
SMTP refusal, failed). Every mail carries an unsubscribe link, and the list
of unsubscribed addresses is honoured by every CRM sender.
"""
from __future__ import annotations

import re
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from addons.contacts.models import Partner, Tag
from core.db import utcnow
from core.errors import ValidationError
from core.fields import clean
from core.models.mail import Mail

from .automation import is_unsubscribed
from .models import CATEGORIES, STATES, Campaign, Lead, Recipient, Segment, Unsubscribe

CONDITION_KEYS = {"partner": {"country_code", "is_company", "tag"},
                  "lead": {"country_code", "state", "category"}}
UNSUBSCRIBE_PATH = "/crm/unsubscribe/"


def check_conditions(target: str, conditions: dict) -> dict:
    """The conditions of a segment of ``target`` (one of its choices), checked and normalised."""
    unknown = sorted(set(conditions) - CONDITION_KEYS[target])
    if unknown:
        raise ValidationError(_l("Unknown conditions: %(names)s (known: %(known)s)", names=", ".join(unknown),
                                 known=", ".join(sorted(CONDITION_KEYS[target]))), "conditions")
    cleaned = dict(conditions)
    if "country_code" in cleaned:
        codes = cleaned["country_code"]
        codes = [codes] if isinstance(codes, str) else codes
        if not isinstance(codes, list) or not all(isinstance(c, str) and len(c) == 2 for c in codes):
            raise ValidationError(_l("country_code is a list of two-letter codes."), "conditions")
        cleaned["country_code"] = [c.upper() for c in codes]
    if "is_company" in cleaned and not isinstance(cleaned["is_company"], bool):
        raise ValidationError(_l("is_company is true or false."), "conditions")
    if "state" in cleaned and cleaned["state"] not in dict(STATES):
        raise ValidationError(_l("Unknown state %(name)s.", name=cleaned["state"]), "conditions")
    if "category" in cleaned and cleaned["category"] not in dict(CATEGORIES):
        raise ValidationError(_l("Unknown category %(name)s.", name=cleaned["category"]), "conditions")
    return cleaned


def save_segment(session: Session, company_id: int, segment: Segment | None = None, **values) -> Segment:
    values = clean(Segment, values, record=segment, session=session)
    values["target"] = values.get("target") or (segment.target if segment else "partner")
    values["conditions"] = check_conditions(values["target"], values.get("conditions", segment.conditions if segment
                                                                          else {}) or {})
    if segment is None:
        segment = Segment(company_id=company_id)
        session.add(segment)
    for key, value in values.items():
        setattr(segment, key, value)
    session.flush()
    return segment


def members(session: Session, segment: Segment) -> list[tuple[str, int | None, int | None]]:
    """(email, partner id, lead id) of everyone the segment holds who has an email address."""
    conditions = segment.conditions or {}
    if segment.target == "partner":
        statement = select(Partner.email, Partner.id).where(
            Partner.company_id == segment.company_id, Partner.active.is_(True), Partner.email.is_not(None))
        if "country_code" in conditions:
            statement = statement.where(Partner.country_code.in_(conditions["country_code"]))
        if "is_company" in conditions:
            statement = statement.where(Partner.is_company.is_(conditions["is_company"]))
        if "tag" in conditions:  # a join through the relationship, which record rules filter on both sides
            statement = statement.join(Partner.tags).where(Tag.company_id == segment.company_id,
                                                            Tag.name == conditions["tag"])
        return [(email, partner_id, None) for email, partner_id in session.execute(statement.order_by(Partner.id))]
    statement = select(Lead.email, Lead.partner_id, Lead.id).where(
        Lead.company_id == segment.company_id, Lead.email.is_not(None))
    if "country_code" in conditions:
        statement = statement.where(Lead.country_code.in_(conditions["country_code"]))
    if "state" in conditions:
        statement = statement.where(Lead.state == conditions["state"])
    if "category" in conditions:
        statement = statement.where(Lead.category == conditions["category"])
    return [tuple(row) for row in session.execute(statement.order_by(Lead.id))]


def start(session: Session, campaign: Campaign) -> int:
    """Record the recipients and queue the sending; returns how many will get a mail."""
    from core.jobs import enqueue

    if campaign.state != "draft":
        raise ValidationError(_l("This campaign was already sent."))
    if campaign.segment_id is None or not (campaign.subject or "").strip() or not (campaign.body or "").strip():
        raise ValidationError(_l("A campaign needs a segment, a subject and a text before it is sent."))
    segment = session.get(Segment, campaign.segment_id)
    seen, count = set(), 0
    for email, partner_id, lead_id in members(session, segment):
        email = email.strip().lower()
        if email in seen:
            continue
        seen.add(email)
        skipped = is_unsubscribed(session, campaign.company_id, email)
        session.add(Recipient(company_id=campaign.company_id, campaign_id=campaign.id, email=email,
                              partner_id=partner_id, lead_id=lead_id, status="skipped" if skipped else "queued",
                              token=secrets.token_urlsafe(24)))
        count += not skipped
    if not count:
        raise ValidationError(_l("Nobody in this segment can receive it (no email address, or unsubscribed)."))
    campaign.state = "sending"
    session.flush()
    enqueue(session, "crm.send_campaign", campaign_id=campaign.id)
    return count


def send_queued(session: Session, campaign_id: int, base_url: str) -> int:
    """Queue one mail per queued recipient (the job's work); safe to run again after a failure."""
    from core.mail import queue_mail

    campaign = session.get(Campaign, campaign_id)
    recipients = session.scalars(select(Recipient).where(Recipient.campaign_id == campaign_id,
                                                         Recipient.status == "queued")).all()
    for recipient in recipients:
        if is_unsubscribed(session, campaign.company_id, recipient.email):
            recipient.status = "skipped"
            continue
        link = f"{base_url.rstrip('/')}{UNSUBSCRIBE_PATH}{recipient.token}"
        footer = _l("To stop receiving these emails: %(link)s", link=link)
        text = campaign.body + "\n\n--\n" + str(footer)
        queue_mail(session, to=recipient.email, subject=campaign.subject, text=text,
                   reference=f"crm.recipient:{recipient.id}")
        recipient.status = "mailed"
    campaign.state = "sent"
    campaign.sent_at = utcnow()
    session.flush()
    return len(recipients)


def recipient_statuses(session: Session, campaign_id: int) -> dict[str, int]:
    """How many recipients are queued, sent, bounced, failed or skipped, from their mails in the outbox.

    Reads the outbox: call it with a system session, once the user was allowed to see the campaign.
    """
    counts: dict[str, int] = {}
    rows = session.execute(
        select(Recipient.status, Mail.state, Mail.reason)
        .outerjoin(Mail, Mail.reference == "crm.recipient:" + Recipient.id.cast(Mail.reference.type))
        .where(Recipient.campaign_id == campaign_id)
    ).all()
    for status, mail_state, error in rows:
        if status == "mailed":
            permanent = re.search(r"\b5\d\d\b", error or "")  # a 5xx SMTP refusal: the address does not exist
            status = {"sent": "sent", "failed": "bounced" if permanent else "failed"}.get(mail_state, "queued")
        counts[status] = counts.get(status, 0) + 1
    return counts


def unsubscribe(session: Session, token: str) -> str | None:
    """Put the recipient's address on the company's unsubscribe list; returns it (None: unknown token)."""
    recipient = session.scalars(select(Recipient).where(Recipient.token == token)).first()
    if recipient is None:
        return None
    if not is_unsubscribed(session, recipient.company_id, recipient.email):
        session.add(Unsubscribe(company_id=recipient.company_id, email=recipient.email, at=utcnow()))
        session.flush()
    return recipient.email
