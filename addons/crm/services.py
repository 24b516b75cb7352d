"""CRM services: every caller (web, capture form, email, import, jobs, tests) goes through these.

They take a session (acting as a user, or a system session for public
capture and jobs) and the acting user where one exists. Records are loaded
through the session, so a salesperson cannot touch another's opportunity.
They are called as docs/services.md says: ``qualify(session, lead, partner_id=...)``.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import utcnow
from core.errors import ValidationError

from .models import (
    ACTIVITY_KINDS,
    LEAD,
    LOST,
    MESSAGE_KINDS,
    OPEN,
    OPPORTUNITY,
    WON,
    Activity,
    Lead,
    LostReason,
    Message,
    Stage,
    StageChange,
)

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LEAD_FIELDS = ("name", "contact_name", "partner_name", "email", "phone", "country_code", "partner_id", "user_id",
               "team_id", "expected_revenue", "date_deadline", "description", "source", "campaign_id", "category")
MAX_DESCRIPTION = 20_000
HUNDRED = Decimal("100")


def _actor_id(session: Session) -> int | None:
    actor = session.info.get("actor")
    return actor.user_id if actor is not None else None


def clean_lead_values(values: dict) -> dict:
    """Check and normalise lead values as every entry point does; raises ValidationError naming the field."""
    return _clean(values)


def _clean(values: dict) -> dict:
    unknown = sorted(set(values) - set(LEAD_FIELDS))
    if unknown:
        raise ValidationError(_l("Unknown lead fields: %(names)s", names=", ".join(unknown)), unknown[0])
    cleaned = {}
    for key, value in values.items():
        if isinstance(value, str):
            value = value.strip() or None
        cleaned[key] = value
    if "email" in cleaned and cleaned["email"]:
        cleaned["email"] = cleaned["email"].lower()
        if not EMAIL_RE.match(cleaned["email"]) or len(cleaned["email"]) > 255:
            raise ValidationError(_l("%(value)s is not an email address.", value=cleaned["email"]), "email")
    if cleaned.get("country_code"):
        cleaned["country_code"] = cleaned["country_code"].upper()
        if not re.fullmatch(r"[A-Z]{2}", cleaned["country_code"]):
            raise ValidationError(_l("Use a two-letter country code such as ES or IT."), "country_code")
    if "expected_revenue" in cleaned:
        cleaned["expected_revenue"] = _money(cleaned["expected_revenue"])
    if cleaned.get("description") and len(cleaned["description"]) > MAX_DESCRIPTION:
        raise ValidationError(_l("The description can have at most %(count)s characters.", count=MAX_DESCRIPTION),
                              "description")
    for key, limit in (("name", 255), ("contact_name", 120), ("partner_name", 120), ("phone", 40)):
        if cleaned.get(key) and len(cleaned[key]) > limit:
            raise ValidationError(_l("At most %(count)s characters.", count=limit), key)
    return cleaned


def _money(value) -> Decimal:
    if value is None or value == "":
        return Decimal("0")
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValidationError(_l("%(value)s is not an amount.", value=value), "expected_revenue") from None
    if amount < 0:
        raise ValidationError(_l("The expected revenue cannot be negative."), "expected_revenue")
    return amount


# --- leads -------------------------------------------------------------------------------


def create_lead(session: Session, company_id: int, **values) -> Lead:
    """A new lead; the automation rules for new leads run on the job queue after commit."""
    values = _clean(values)
    if not values.get("name"):
        values["name"] = values.get("partner_name") or values.get("contact_name") or values.get("email")
    if not values.get("name"):
        raise ValidationError(_l("A lead needs a title, a name or an email address."), "name")
    lead = Lead(company_id=company_id, kind=LEAD, state=OPEN, **values)
    session.add(lead)
    session.flush()
    _log(session, lead, "system", body=f"Lead created ({lead.source}).")
    from . import automation

    automation.lead_created(session, lead)
    return lead


def update_lead(session: Session, lead: Lead, **values) -> Lead:
    values = _clean(values)
    if "name" in values and not values["name"]:
        raise ValidationError(_l("A lead needs a title, a name or an email address."), "name")
    for key, value in values.items():
        setattr(lead, key, value)
    session.flush()
    return lead


def qualify(session: Session, lead: Lead, *, partner_id: int | None = None, create_partner: bool = False,
            team_id: int | None = None, force: bool = False) -> Lead:
    """Turn a lead into an opportunity, linked to an existing or a new partner.

    With ``create_partner``, the contacts duplicate check runs first: when the
    lead looks like existing partners, nothing is created and the error names
    them, unless ``force``.
    """
    if lead.kind != LEAD or lead.state != OPEN:
        raise ValidationError(_l("Only an open lead can be qualified."))
    if partner_id is not None:
        from addons.contacts.models import Partner

        if session.get(Partner, partner_id) is None:
            raise ValidationError(_l("This record does not exist or you may not use it."), "partner_id")
        lead.partner_id = partner_id
    elif create_partner:
        lead.partner_id = _partner_for(session, lead, force).id
    if team_id is not None:
        lead.team_id = team_id
    lead.kind = OPPORTUNITY
    lead.qualified_at = utcnow()
    first = first_stage(session, lead.company_id, team_id=lead.team_id)
    if first is not None:
        _move(session, lead, first)
    session.flush()
    _log(session, lead, "system", body="Qualified as an opportunity.")
    return lead


def _partner_for(session: Session, lead: Lead, force: bool):
    from addons.contacts import services as contacts
    from addons.contacts.matching import find_matches

    name = lead.partner_name or lead.contact_name or lead.name
    if not force:
        candidates = find_matches(session, lead.company_id, name=name, email=lead.email)
        if candidates:
            names = ", ".join(f"{partner.name} ({', '.join(reasons)})" for partner, reasons in candidates[:5])
            raise ValidationError(_l("Possible duplicates: %(names)s. Link one of them, or create anyway.",
                                     names=names), "partner_id")
    return contacts.create_partner(session, lead.company_id, name=name, email=lead.email, phone=lead.phone,
                                   country_code=lead.country_code, is_company=bool(lead.partner_name))


def first_stage(session: Session, company_id: int, *, team_id: int | None) -> Stage | None:
    statement = select(Stage).where(Stage.company_id == company_id, Stage.is_won.is_(False))
    if team_id is not None:
        statement = statement.where((Stage.team_id == team_id) | Stage.team_id.is_(None))
    else:
        statement = statement.where(Stage.team_id.is_(None))
    return session.scalars(statement.order_by(Stage.sequence, Stage.id)).first()


def set_stage(session: Session, lead: Lead, *, stage_id: int) -> Lead:
    stage = session.get(Stage, stage_id)
    if stage is None or stage.company_id != lead.company_id:
        raise ValidationError(_l("Unknown stage."), "stage_id")
    if stage.team_id is not None and stage.team_id != lead.team_id:
        raise ValidationError(_l("This stage belongs to another team's pipeline."), "stage_id")
    if lead.state != OPEN:
        raise ValidationError(_l("Reopen the opportunity before moving it."), "stage_id")
    if lead.kind == LEAD:
        lead.kind = OPPORTUNITY
        lead.qualified_at = utcnow()
    _move(session, lead, stage)
    if stage.is_won:
        _close(session, lead, WON)
    session.flush()
    return lead


def _move(session: Session, lead: Lead, stage: Stage) -> None:
    if lead.stage_id == stage.id:
        return
    previous = lead.stage
    session.add(StageChange(company_id=lead.company_id, lead_id=lead.id, from_stage_id=lead.stage_id,
                            to_stage_id=stage.id, user_id=_actor_id(session), at=utcnow()))
    lead.stage_id = stage.id
    lead.stage = stage
    lead.probability = stage.probability
    _log(session, lead, "stage", body=f"{previous.name if previous else '—'} → {stage.name}")


def mark_won(session: Session, lead: Lead) -> Lead:
    if lead.state != OPEN:
        raise ValidationError(_l("Only an open opportunity can be won."))
    won = session.scalars(
        select(Stage).where(Stage.company_id == lead.company_id, Stage.is_won.is_(True),
                            (Stage.team_id == lead.team_id) | Stage.team_id.is_(None))
        .order_by(Stage.team_id.is_(None), Stage.sequence)
    ).first()
    if lead.kind == LEAD:
        lead.kind = OPPORTUNITY
        lead.qualified_at = utcnow()
    if won is not None:
        _move(session, lead, won)
    _close(session, lead, WON)
    session.flush()
    return lead


def mark_lost(session: Session, lead: Lead, *, lost_reason_id: int | None, note: str | None = None) -> Lead:
    if lead.state != OPEN:
        raise ValidationError(_l("Only an open lead or opportunity can be lost."))
    reason = session.get(LostReason, lost_reason_id) if lost_reason_id is not None else None
    if reason is None or reason.company_id != lead.company_id:
        raise ValidationError(_l("Choose why it was lost."), "lost_reason_id")
    lead.lost_reason_id = reason.id
    _close(session, lead, LOST)
    if note and note.strip():
        _log(session, lead, "note", body=note.strip()[:MAX_DESCRIPTION])
    session.flush()
    return lead


def _close(session: Session, lead: Lead, state: str) -> None:
    lead.state = state
    lead.closed_at = utcnow()
    lead.probability = HUNDRED if state == WON else Decimal("0")
    _log(session, lead, "system", body="Won." if state == WON else f"Lost: {lead.lost_reason.name if lead.lost_reason else ''}")


def reopen(session: Session, lead: Lead) -> Lead:
    if lead.state == OPEN:
        raise ValidationError(_l("It is already open."))
    lead.state = OPEN
    lead.closed_at = None
    lead.lost_reason_id = None
    if lead.stage is not None and lead.stage.is_won:
        first = first_stage(session, lead.company_id, team_id=lead.team_id)
        if first is not None:
            _move(session, lead, first)
    lead.probability = lead.stage.probability if lead.stage else Decimal("10")
    _log(session, lead, "system", body="Reopened.")
    session.flush()
    return lead


# --- activities and the timeline ------------------------------------------------------------


def schedule_activity(session: Session, *, kind: str, summary: str, due_date: dt.date, user_id: int,
                      lead_id: int | None = None, partner_id: int | None = None, note: str | None = None) -> Activity:
    """An activity to do about a lead (its partner by default) and/or a partner."""
    if kind not in dict(ACTIVITY_KINDS):
        raise ValidationError(_l("Unknown kind of activity."), "kind")
    if not summary or not summary.strip():
        raise ValidationError(_l("Say what is to be done."), "summary")
    company_id, lead_id, partner_id = _about(session, lead_id, partner_id,
                                             _l("An activity is about a lead or a partner."))
    activity = Activity(company_id=company_id, kind=kind, summary=summary.strip()[:255], note=note, due_date=due_date,
                        user_id=user_id, lead_id=lead_id, partner_id=partner_id)
    session.add(activity)
    session.flush()
    return activity


def _about(session: Session, lead_id: int | None, partner_id: int | None,
           neither) -> tuple[int, int | None, int | None]:
    """(company id, lead id, partner id) of what an activity or a message is about: the lead's partner by default.

    An id the user may not see is refused naming its field; ``neither`` is the message when both are missing.
    """
    from addons.contacts.models import Partner

    if lead_id is None and partner_id is None:
        raise ValidationError(neither)
    lead = _visible(session, Lead, lead_id, "lead_id")
    partner = _visible(session, Partner, partner_id, "partner_id")
    if partner is None:
        partner_id = lead.partner_id
    return (lead or partner).company_id, lead_id, partner_id


def _visible(session: Session, model, record_id: int | None, field: str):
    if record_id is None:
        return None
    record = session.get(model, record_id)
    if record is None:
        raise ValidationError(_l("This record does not exist or you may not use it."), field)
    return record


def complete_activity(session: Session, activity: Activity, *, feedback: str | None = None) -> Activity:
    if activity.done_at is not None:
        raise ValidationError(_l("This activity is already done."))
    activity.done_at = utcnow()
    kind = {"call": "call", "email": "email_out"}.get(activity.kind, "note")
    body = activity.summary + (f"\n{feedback.strip()}" if feedback and feedback.strip() else "")
    log_message(session, kind=kind, body=body, lead_id=activity.lead_id, partner_id=activity.partner_id)
    session.flush()
    return activity


def log_message(session: Session, *, kind: str, body: str | None, lead_id: int | None = None,
                partner_id: int | None = None, subject: str | None = None, at: dt.datetime | None = None) -> Message:
    """Put an interaction on the timeline of a lead (its partner's too by default) and/or a partner; mark the
    lead active."""
    if kind not in dict(MESSAGE_KINDS):
        raise ValidationError(_l("Unknown kind of message."), "kind")
    if not (body and body.strip()) and not subject:
        raise ValidationError(_l("Write something first."), "body")
    company_id, lead_id, partner_id = _about(session, lead_id, partner_id,
                                             _l("A message is about a lead or a partner."))
    now = at or utcnow()
    message = Message(company_id=company_id, kind=kind, lead_id=lead_id, partner_id=partner_id,
                      author_id=_actor_id(session), subject=(subject or "")[:255] or None,
                      body=(body or "")[:MAX_DESCRIPTION], at=now)
    session.add(message)
    if lead_id is not None and kind not in ("stage", "system"):
        session.get(Lead, lead_id).last_activity_at = now
    session.flush()
    return message


def _log(session: Session, lead: Lead, kind: str, body: str) -> None:
    session.add(Message(company_id=lead.company_id, kind=kind, lead_id=lead.id, partner_id=lead.partner_id,
                        author_id=_actor_id(session), body=body, at=utcnow()))


def timeline(session: Session, about, *, limit: int = 100):
    """Every interaction about ``about`` (a lead or a partner), newest first: messages, then the activities
    still to do."""
    on_lead = isinstance(about, Lead)
    messages = session.scalars(
        select(Message).where((Message.lead_id if on_lead else Message.partner_id) == about.id)
        .order_by(Message.at.desc(), Message.id.desc()).limit(limit)).all()
    pending = select(Activity).where(Activity.done_at.is_(None),
                                     (Activity.lead_id if on_lead else Activity.partner_id) == about.id)
    return messages, session.scalars(pending.order_by(Activity.due_date)).all()
