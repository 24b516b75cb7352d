"""CRM services: every caller (web, capture form, email, import, jobs, tests) goes through these.

They take a session (acting as a user, or a system session for public
capture and jobs) and the acting user where one exists. Records are loaded
through the session, so a salesperson cannot touch another's opportunity.
They are called as docs/services.md says: ``qualify(session, lead, partner_id=...)``.

Moving a lead (qualify, set_stage, mark_won) changes objects without a flush
of its own: its stage history, messages and audit entry are written by the
next flush, at the latest the caller's commit, with those of other leads.
Their batch versions (qualify_leads, set_stage_leads, mark_won_leads) decide
the same changes with the same rules, for a list of leads, and write them
set-wise (core.bulk): refused as a whole, naming the leads, when one breaks a
rule.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from core.bulk import ID_CHUNK, collector_paused, insert_rows, update_rows
from core.chatter.models import BOOKKEEPING_KINDS, NOTE, SYSTEM, TRACKING, Message
from core.chatter.services import message_row
from core.db import utcnow
from core.errors import ValidationError
from core.fields import clean
from core.sessions import system_rows
from core.stored_text import N_, Sentence
from core.transaction_cache import cached

from .models import (LEAD, LEAD_TABLE, LOST, OPEN, OPPORTUNITY, SOURCE_NAMES, WON, Lead, LostReason, Stage,
                     StageChange)

HUNDRED = Decimal(100)


def _actor_id(session: Session) -> int | None:
    actor = session.info.get("actor")
    return actor.user_id if actor is not None else None


@cache
def _new_lead() -> Lead:
    """A new lead, never saved nor changed: the fields only services set must stay as they start."""
    return Lead(kind=LEAD, state=OPEN)


def clean_lead_values(session: Session, values: dict, *, lead: Lead | None = None) -> dict:
    """Lead values checked by the field layer, then the lead rules; raises ValidationError naming the field.

    A new lead (``lead`` None) without a title takes the company's, the
    contact's name or the email; an empty expected revenue is zero. Every
    entry point (form, import, capture, API) goes through here.
    """
    values = dict(values)
    if lead is None:
        if not str(values.get("name") or "").strip():
            values.pop("name", None)
        lead = _new_lead()
    cleaned = clean(Lead, values, record=lead, session=session, creating=False)
    if "expected_revenue" in cleaned and cleaned["expected_revenue"] is None:
        cleaned["expected_revenue"] = Decimal(0)
    if lead.id is None:
        cleaned = {key: value for key, value in cleaned.items() if value is not None or key == "name"}
        cleaned["name"] = cleaned.get("name") or cleaned.get("partner_name") or cleaned.get("contact_name") \
            or cleaned.get("email")
        if not cleaned["name"]:
            raise ValidationError(_l("A lead needs a title, a name or an email address."), "name")
    return cleaned


# --- leads -------------------------------------------------------------------------------


def create_lead(session: Session, company_id: int, **values) -> Lead:
    """A new lead (an opportunity when a stage is given); the rules for new leads run on the job queue after
    commit."""
    values = clean_lead_values(session, values)
    stage_id = values.pop("stage_id", None)
    lead = Lead(**{**values, "company_id": company_id, "kind": LEAD, "state": OPEN})
    session.add(lead)
    session.flush()
    _announce(session, company_id, [lead.id], lead.source)
    if stage_id is not None:
        set_stage(session, lead, stage_id=stage_id)
    return lead


def create_leads(session: Session, company_id: int, rows: list[dict], *, source: str) -> list[int]:
    """New leads from values :func:`clean_lead_values` returned, written set-wise; returns their ids in order.

    What :func:`create_lead` does for one lead is done once for the batch: one
    insert (with the acting user's access, record rules and the audit log of
    :func:`core.bulk.insert_rows`), a "Lead created" message on each, and the
    rules for new leads queued in jobs of many leads. A stage is not taken here.
    """
    rows = [{**values, "company_id": company_id, "kind": LEAD, "state": OPEN, "source": source} for values in rows]
    ids = insert_rows(session, Lead, rows)
    _announce(session, company_id, ids, source)
    return ids


def _announce(session: Session, company_id: int, lead_ids: list[int], source: str) -> None:
    """The follow-up of new leads: "Lead created" on each timeline, the new-lead rules, the ``leads_created``
    hook."""
    from . import automation

    now, author = utcnow(), _actor_id(session)
    created = Sentence(N_("Lead created (%(source)s)."), source=Sentence(SOURCE_NAMES.get(source, source)))
    insert_rows(session, Message, [message_row(LEAD_TABLE, lead_id, company_id, kind=SYSTEM, author_id=author, at=now,
                                               text=created) for lead_id in lead_ids])
    automation.leads_created(session, lead_ids)
    registry = session.info.get("registry")
    if registry is not None:  # a plain session (demo data) has no addons to tell
        registry.hook.leads_created(session=session, lead_ids=list(lead_ids))


def update_lead(session: Session, lead: Lead, **values) -> Lead:
    """Change a lead's fields; a new stage moves it through :func:`set_stage` (its history and probability)."""
    values = clean_lead_values(session, values, lead=lead)
    stage_id = values.pop("stage_id", lead.stage_id)
    for key, value in values.items():
        setattr(lead, key, value)
    session.flush()
    if stage_id is not None and stage_id != lead.stage_id:
        set_stage(session, lead, stage_id=stage_id)
    return lead


def qualify(session: Session, lead: Lead, *, partner_id: int | None = None, create_partner: bool = False,
            team_id: int | None = None, force: bool = False) -> Lead:
    """Turn a lead into an opportunity, linked to an existing or a new partner.

    With ``create_partner``, the contacts duplicate check runs first: when the
    lead looks like existing partners, nothing is created and the error names
    them, unless ``force``.
    """
    _require([lead], _qualifiable, _l("Only an open lead can be qualified."))
    links = _links(session, partner_id, team_id)
    if "partner_id" not in links and create_partner:
        links["partner_id"] = _partner_for(session, lead, force).id
    _apply(session, _qualifying(session, [lead], links))
    return lead


def qualify_leads(session: Session, leads: list[Lead], *, partner_id: int | None = None,
                  team_id: int | None = None) -> None:
    """:func:`qualify` for many leads at once (without creating partners), written set-wise: all or none."""
    leads = _loaded(session, leads)
    _write(session, _qualifying(session, leads, _links(session, partner_id, team_id)))


def _links(session: Session, partner_id: int | None, team_id: int | None) -> dict:
    """The partner and team a qualification links to, checked by the field layer (records the user may see)."""
    return clean(Lead, {name: value for name, value in (("partner_id", partner_id), ("team_id", team_id))
                        if value is not None}, session=session, creating=False)


def _qualifiable(lead: Lead) -> bool:
    return lead.kind == LEAD and lead.state == OPEN


def _qualifying(session: Session, leads: list[Lead], links: dict) -> list[_Change]:
    _require(leads, _qualifiable, _l("Only an open lead can be qualified."))
    changes = []
    for lead in leads:
        change = _Change(session, lead)
        change.set(**links, kind=OPPORTUNITY, qualified_at=change.now)
        first = first_stage(session, lead.company_id, team_id=change.get("team_id"))
        if first is not None:
            change.move(first)
        change.log(SYSTEM, Sentence(N_("Qualified as an opportunity.")))
        changes.append(change)
    return changes


def partner_candidates(session: Session, lead: Lead) -> list:
    """Existing partners the lead looks like, with the reasons, strongest first: whom qualifying could link to."""
    from addons.contacts.matching import find_matches

    return find_matches(session, lead.company_id, name=_partner_name(lead), email=lead.email)


def _partner_name(lead: Lead) -> str:
    return lead.partner_name or lead.contact_name or lead.name


def _partner_for(session: Session, lead: Lead, force: bool):
    from addons.contacts import services as contacts

    name = _partner_name(lead)
    if not force:
        candidates = partner_candidates(session, lead)
        if candidates:
            names = ", ".join(f"{partner.name} ({', '.join(reasons)})" for partner, reasons in candidates[:5])
            raise ValidationError(_l("Possible duplicates: %(names)s. Link one of them, or create anyway.",
                                     names=names), "partner_id")
    return contacts.create_partner(session, lead.company_id, name=name, email=lead.email, phone=lead.phone,
                                   country_code=lead.country_code, is_company=bool(lead.partner_name))


def company_stages(session: Session, company_id: int) -> list[Stage]:
    """The company's stages the user may see, by (sequence, id), read once per transaction (again once a
    stage is written)."""
    if session.autoflush and any(isinstance(obj, Stage) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.flush()  # what the query would do first: the list then follows the changed stages
    return cached(session, ("crm.stages", company_id), lambda: session.scalars(
        select(Stage).where(Stage.company_id == company_id).order_by(Stage.sequence, Stage.id)).all(),
        depends_on=(Stage,))


def first_stage(session: Session, company_id: int, *, team_id: int | None) -> Stage | None:
    """The first stage that is not won of the team's pipeline (the stages of every team included)."""
    return next((stage for stage in company_stages(session, company_id)
                 if not stage.is_won and stage.team_id in (None, team_id)), None)


def won_stage(session: Session, company_id: int, *, team_id: int | None) -> Stage | None:
    """The won stage of the team's pipeline: the team's own first, else one of every team."""
    won = [stage for stage in company_stages(session, company_id)
           if stage.is_won and stage.team_id in (None, team_id)]
    return min(won, key=lambda stage: stage.team_id is None, default=None)


def set_stage(session: Session, lead: Lead, *, stage_id: int) -> Lead:
    _apply(session, _staging(session, [lead], stage_id))
    return lead


def set_stage_leads(session: Session, leads: list[Lead], *, stage_id: int) -> None:
    """:func:`set_stage` for many leads at once, written set-wise: all or none."""
    leads = _loaded(session, leads)
    _write(session, _staging(session, leads, stage_id))


def _staging(session: Session, leads: list[Lead], stage_id: int) -> list[_Change]:
    stage = session.get(Stage, stage_id)
    if stage is None:
        raise ValidationError(_l("Unknown stage."), "stage_id")
    _require(leads, lambda lead: stage.company_id == lead.company_id, _l("Unknown stage."), "stage_id")
    _require(leads, lambda lead: stage.team_id in (None, lead.team_id),
             _l("This stage belongs to another team's pipeline."), "stage_id")
    _require(leads, lambda lead: lead.state == OPEN, _l("Reopen the opportunity before moving it."), "stage_id")
    changes = []
    for lead in leads:
        change = _Change(session, lead)
        change.qualify()
        change.move(stage)
        if stage.is_won:
            change.close(WON)
        changes.append(change)
    return changes


def mark_won(session: Session, lead: Lead, *, at: dt.datetime | None = None) -> Lead:
    """Win ``lead``, closed ``at`` (default now; a sales order confirmed earlier gives its own moment)."""
    _apply(session, _winning(session, [lead], at))
    return lead


def mark_won_leads(session: Session, leads: list[Lead]) -> None:
    """:func:`mark_won` for many leads or opportunities at once, written set-wise: all or none."""
    leads = _loaded(session, leads)
    _write(session, _winning(session, leads))


def _winning(session: Session, leads: list[Lead], at: dt.datetime | None = None) -> list[_Change]:
    _require(leads, lambda lead: lead.state == OPEN, _l("Only an open opportunity can be won."))
    changes = []
    for lead in leads:
        change = _Change(session, lead, at)
        won = won_stage(session, lead.company_id, team_id=lead.team_id)
        change.qualify()
        if won is not None:
            change.move(won)
        change.close(WON)
        changes.append(change)
    return changes


def mark_lost(session: Session, lead: Lead, *, lost_reason_id: int | None, note: str | None = None) -> Lead:
    if lead.state != OPEN:
        raise ValidationError(_l("Only an open lead or opportunity can be lost."))
    reason_id = clean(Lead, {"lost_reason_id": lost_reason_id}, session=session, creating=False)["lost_reason_id"]
    note = (note or "").strip()
    if note:
        message_row(LEAD_TABLE, lead.id, lead.company_id, kind=NOTE, text=note)  # refused before anything changes
    reason = session.get(LostReason, reason_id) if reason_id is not None else None
    if reason is None or reason.company_id != lead.company_id:
        raise ValidationError(_l("Choose why it was lost."), "lost_reason_id")
    change = _Change(session, lead)
    change.set(lost_reason_id=reason.id)
    change.related["lost_reason"] = reason
    change.close(LOST, reason.name)
    if note:
        change.log(NOTE, note)
    _apply(session, [change])
    session.flush()
    return lead


def reopen(session: Session, lead: Lead) -> Lead:
    if lead.state == OPEN:
        raise ValidationError(_l("It is already open."))
    change = _Change(session, lead)
    change.set(state=OPEN, closed_at=None, lost_reason_id=None)
    change.related["lost_reason"] = None
    if lead.stage is not None and lead.stage.is_won:
        first = first_stage(session, lead.company_id, team_id=lead.team_id)
        if first is not None:
            change.move(first)
    stage = change.related.get("stage", lead.stage)
    change.set(probability=stage.probability if stage else Decimal(10))
    change.log(SYSTEM, Sentence(N_("Reopened.")))
    _apply(session, [change])
    session.flush()
    return lead


# --- how the pipeline services write: one lead through the ORM, many set-wise -------------


class _Change:
    """What a pipeline service does to one lead: its new column values (and the related objects they point to),
    its stage history rows and its timeline messages, in the order they happen."""

    def __init__(self, session: Session, lead: Lead, at: dt.datetime | None = None):
        self.session, self.lead, self.now, self.author = session, lead, at or utcnow(), _actor_id(session)
        self.values: dict = {}
        self.related: dict = {}
        self.moves: list[dict] = []
        self.messages: list[dict] = []

    def get(self, key: str):
        """The lead's ``key`` once the change so far is made."""
        return self.values[key] if key in self.values else getattr(self.lead, key)

    def set(self, **values) -> None:
        self.values.update(values)

    def qualify(self) -> None:
        """A lead moved or won becomes an opportunity."""
        if self.get("kind") == LEAD:
            self.set(kind=OPPORTUNITY, qualified_at=self.now)

    def move(self, stage: Stage) -> None:
        if self.get("stage_id") == stage.id:
            return
        previous_id = self.get("stage_id")
        previous = self.session.get(Stage, previous_id) if previous_id is not None else None  # in the session
        self.moves.append({"company_id": self.lead.company_id, "lead_id": self.lead.id,
                           "from_stage_id": self.get("stage_id"), "to_stage_id": stage.id, "user_id": self.author,
                           "at": self.now})
        self.set(stage_id=stage.id, probability=stage.probability)
        self.related["stage"] = stage
        self.log(TRACKING, f"{previous.name if previous else '—'} → {stage.name}")

    def close(self, state: str, reason: str = "") -> None:
        self.set(state=state, closed_at=self.now, probability=HUNDRED if state == WON else Decimal(0))
        self.log(SYSTEM, Sentence(N_("Won.")) if state == WON else Sentence(N_("Lost: %(reason)s"), reason=reason))

    def log(self, kind: str, text: str | Sentence) -> None:
        """A line on the lead's timeline in the core chatter."""
        self.messages.append(message_row(LEAD_TABLE, self.lead.id, self.lead.company_id, kind=kind, text=text,
                                         author_id=self.author, at=self.now))


def _require(leads: list[Lead], allowed, message, field: str | None = None) -> None:
    """Refuse the whole batch when a lead is not ``allowed``; a batch's error names the leads refused."""
    refused = [lead for lead in leads if not allowed(lead)]
    if not refused:
        return
    if len(leads) == 1:
        raise ValidationError(message, field)
    names = ", ".join(lead.name for lead in refused[:10]) + ("…" if len(refused) > 10 else "")
    raise ValidationError(_l("%(message)s Refused: %(names)s.", message=message, names=names), field)


def _apply(session: Session, changes: list[_Change]) -> None:
    """Make ``changes`` on the objects, written by the next flush with those of other leads (no flush here)."""
    for change in changes:
        for key, value in (*change.values.items(), *change.related.items()):
            setattr(change.lead, key, value)
        session.add_all([StageChange(**row) for row in change.moves])
        session.add_all([Message(**row) for row in change.messages])


def _write(session: Session, changes: list[_Change]) -> None:
    """Write ``changes`` with one statement per table (:mod:`core.bulk`: access, record rules, audit log)."""
    with collector_paused(), session.begin_nested():
        update_rows(session, Lead, {change.lead.id: change.values for change in changes if change.values})
        insert_rows(session, StageChange, [row for change in changes for row in change.moves])
        insert_rows(session, Message, [row for change in changes for row in change.messages])


def _loaded(session: Session, leads: list[Lead]) -> list[Lead]:
    """``leads`` without repeats, those expired (by a commit or a batch write) read again with one SELECT."""
    leads = list(dict.fromkeys(leads))
    stale = [state.identity[0] for state in map(inspect, leads) if state.expired_attributes]
    for first in range(0, len(stale), ID_CHUNK):
        session.scalars(select(Lead).where(Lead.id.in_(stale[first:first + ID_CHUNK]))
                        .execution_options(populate_existing=True)).all()
    return leads


# --- the lead's timeline (the core chatter) ------------------------------------------------------


def lead_touched(session: Session, message: Message) -> None:
    """Mark the lead a message was logged on as active (``chatter_logged``): a note, a call, an email in or out,
    not a stage change or a system line. Written on CRM's own account, as a user who may only read the lead
    may still log a note on it."""
    if message.res_model != LEAD_TABLE or message.kind in BOOKKEEPING_KINDS:
        return
    with system_rows(session) as system:
        lead = system.get(Lead, message.res_id)
        if lead is not None and (lead.last_activity_at is None or lead.last_activity_at < message.at):
            lead.last_activity_at = message.at
    loaded = session.identity_map.get(session.identity_key(Lead, message.res_id))
    if loaded is not None and loaded is not lead:
        session.expire(loaded, ["last_activity_at"])  # read again as written
