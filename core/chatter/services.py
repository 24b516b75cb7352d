"""The chatter's services. Each takes a session acting as the user and the record's table and id.

A user reaches a record's chatter only through :func:`record_of`, which
reads the record in their own session: their model access, record rules and
companies decide, and a record they may not read is "not found" (its chatter
is neither shown nor written). Posting needs read access to the record;
activities go to active users of the record's company.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from core.bulk import ID_CHUNK
from core.db import utcnow
from core.bounds import fits_id
from core.errors import RecordNotFound, ValidationError
from core.models import User
from core.stored_text import Sentence

from .models import (
    ACTIVITY_KINDS,
    CALL,
    CANCELLED,
    CHAT,
    COMMENT,
    DONE,
    MESSAGE_KINDS,
    NOTE,
    OPEN,
    Activity,
    Attachment,
    Follower,
    Message,
)
from .sanitize import clean_html, text_as_html
from .storage import AttachmentStore, file_hash

MAX_BODY = 100_000
MAX_SUMMARY = 255
MAX_SUBJECT = 998
OVERDUE, TODAY, PLANNED = "overdue", "today", "planned"


@dataclass(frozen=True)
class RecordRef:
    """A record the user may read, as its chatter rows point at it."""

    record: object
    res_model: str
    res_id: int
    company_id: int


def record_of(session: Session, res_model: str, res_id: int) -> RecordRef:
    """The record ``res_model`` (a table name) ``res_id`` as the user's session reads it; RecordNotFound when
    there is no such record or the user may not read it."""
    registry, actor = session.info["registry"], session.info["actor"]
    try:
        model = registry.model_of_table(res_model)
    except KeyError:
        raise RecordNotFound(_l("There is no such record.")) from None
    if actor is not None and not registry.can(actor, model, "read"):
        raise RecordNotFound(_l("There is no such record."))
    if not fits_id(model.id, res_id):
        raise RecordNotFound(_l("There is no such record."))
    record = session.scalars(select(model).where(model.id == res_id)).first()
    if record is None:
        raise RecordNotFound(_l("There is no such record."))
    company_id = getattr(record, "company_id", None) or (actor.company_id if actor else None)
    return RecordRef(record, res_model, res_id, company_id)


def ref_of(session: Session, record) -> RecordRef:
    """:func:`record_of` for a record already in hand (read again as the user)."""
    return record_of(session, type(record).__tablename__, record.id)


def _actor_id(session: Session) -> int | None:
    actor = session.info.get("actor")
    return actor.user_id if actor is not None else None


def _link(ref: RecordRef) -> dict:
    return {"res_model": ref.res_model, "res_id": ref.res_id, "company_id": ref.company_id}


# --- messages and notes -------------------------------------------------------------


def post_message(session: Session, ref: RecordRef, body: str, *, kind: str = NOTE) -> Message:
    """A note (internal), a message, or a call or chat had elsewhere, on the record's timeline; the body is
    cleaned of scripts and styles."""
    if kind not in (NOTE, COMMENT, CALL, CHAT):
        raise ValidationError(_l("Unknown kind of message."), "kind")
    if not isinstance(body, str) or not body.strip():
        raise ValidationError(_l("Write something first."), "body")
    if len(body) > MAX_BODY:
        raise ValidationError(_l("At most %(count)s characters.", count=MAX_BODY), "body")
    cleaned = clean_html(body)
    if not cleaned.strip():
        raise ValidationError(_l("Nothing is left of the message once scripts and styles are removed."), "body")
    message = Message(kind=kind, body=cleaned, author_id=_actor_id(session), at=utcnow(), **_link(ref))
    session.add(message)
    session.flush()
    announce(session, message)
    return message


def message_row(res_model: str, res_id: int, company_id: int, *, kind: str, text: str | Sentence | None,
                subject: str | None = None, author_id: int | None = None, at: dt.datetime | None = None) -> dict:
    """The values of a message an addon logs (plain ``text``, shown as typed; a :class:`Sentence`, shown in
    each reader's language), checked: for a batch written set-wise (:func:`core.bulk.insert_rows`);
    :func:`log_message` writes one. ValidationError naming the field."""
    if kind not in MESSAGE_KINDS:
        raise ValidationError(_l("Unknown kind of message."), "kind")
    if isinstance(text, Sentence):
        stored = text.stored()
        return {"res_model": res_model, "res_id": res_id, "company_id": company_id, "kind": kind,
                "body": stored["msgid"], "params": stored["params"], "subject": subject, "author_id": author_id,
                "at": at or utcnow()}
    text, subject = (text or "").strip(), (subject or "").strip() or None
    if not text and not subject:
        raise ValidationError(_l("Write something first."), "body")
    if len(text) > MAX_BODY:
        raise ValidationError(_l("At most %(count)s characters.", count=MAX_BODY), "body")
    if subject is not None and len(subject) > MAX_SUBJECT:
        raise ValidationError(_l("At most %(count)s characters.", count=MAX_SUBJECT), "subject")
    return {"res_model": res_model, "res_id": res_id, "company_id": company_id, "kind": kind,
            "body": text_as_html(text), "params": None, "subject": subject, "author_id": author_id,
            "at": at or utcnow()}


def log_message(session: Session, ref: RecordRef, *, kind: str, text: str | Sentence | None, subject: str | None = None,
                at: dt.datetime | None = None) -> Message:
    """Put what an addon logs on the record's timeline (an email received, a call, a change), by the acting
    user; the installed addons hear of it (``chatter_logged``)."""
    message = Message(**message_row(ref.res_model, ref.res_id, ref.company_id, kind=kind, text=text, subject=subject,
                                    author_id=_actor_id(session), at=at))
    session.add(message)
    session.flush()
    announce(session, message)
    return message


def announce(session: Session, message: Message) -> None:
    """Tell the installed addons a message is on a record's timeline (the ``chatter_logged`` hook)."""
    registry = session.info.get("registry")
    if registry is not None:
        registry.hook.chatter_logged(session=session, message=message)


# --- activities --------------------------------------------------------------------


def due_state(activity: Activity, today: dt.date) -> str:
    """``overdue``, ``today`` or ``planned``, for an open activity's due date."""
    if activity.due_date < today:
        return OVERDUE
    return TODAY if activity.due_date == today else PLANNED


def _assignee(session: Session, user_id, company_id: int) -> User:
    """An active user of ``company_id`` the acting user can see; ValidationError otherwise."""
    user = session.scalars(select(User).where(User.id == user_id)).first() \
        if isinstance(user_id, int) and fits_id(User.id, user_id) else None
    if user is None or not user.active or (
            user.company_id != company_id and company_id not in {company.id for company in user.companies}):
        raise ValidationError(_l("Assign the activity to an active user of the record's company."), "user_id")
    return user


def schedule_activity(session: Session, ref: RecordRef, *, kind: str, summary: str, due_date: dt.date,
                      user_id: int, note: str | None = None) -> Activity:
    """An activity on the record for ``user_id`` (a user of the record's company), due on ``due_date``."""
    if kind not in ACTIVITY_KINDS:
        raise ValidationError(_l("Choose a kind of activity."), "kind")
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError(_l("Say what is to be done."), "summary")
    if len(summary) > MAX_SUMMARY:
        raise ValidationError(_l("At most %(count)s characters.", count=MAX_SUMMARY), "summary")
    if not isinstance(due_date, dt.date):
        raise ValidationError(_l("Give the date it is due."), "due_date")
    _assignee(session, user_id, ref.company_id)
    activity = Activity(kind=kind, summary=summary, note=(note or "").strip() or None, user_id=user_id,
                        created_by_id=_actor_id(session), due_date=due_date, state=OPEN, **_link(ref))
    session.add(activity)
    session.flush()
    return activity


def _open_activity(session: Session, activity_id: int) -> tuple[Activity, RecordRef]:
    activity = session.scalars(select(Activity).where(Activity.id == activity_id)).first() \
        if fits_id(Activity.id, activity_id) else None
    if activity is None:
        raise RecordNotFound(_l("There is no such activity."))
    ref = record_of(session, activity.res_model, activity.res_id)
    if activity.state != OPEN:
        raise ValidationError(_l("This activity is already closed."))
    return activity, ref


def finish_activity(session: Session, activity_id: int, feedback: str | None = None) -> Activity:
    """Mark an activity done (by its assignee, its author or an administrator), with what came of it."""
    activity, _ref = _open_activity(session, activity_id)
    activity.state, activity.done_at = DONE, utcnow()
    activity.feedback = (feedback or "").strip() or None
    session.flush()
    return activity


def cancel_activity(session: Session, activity_id: int) -> Activity:
    activity, _ref = _open_activity(session, activity_id)
    activity.state = CANCELLED
    session.flush()
    return activity


@dataclass(frozen=True)
class Planned:
    """An open activity of the user's, with the record it is about."""

    activity: Activity
    record: object


def my_activities(session: Session) -> list[Planned]:
    """The acting user's open activities on records they may read, by due date (the overdue first).

    An activity of a record the user may not read (another company's, a model
    they have no access to, one a record rule hides) is left out, as
    :func:`record_of` would refuse it.
    """
    me = _actor_id(session)
    activities = list(session.scalars(select(Activity).where(Activity.user_id == me, Activity.state == OPEN)
                                      .order_by(Activity.due_date, Activity.id)))
    wanted: dict[str, set[int]] = defaultdict(set)
    for activity in activities:
        wanted[activity.res_model].add(activity.res_id)
    records = {res_model: readable_records(session, res_model, ids) for res_model, ids in wanted.items()}
    return [Planned(activity, records[activity.res_model][activity.res_id]) for activity in activities
            if activity.res_id in records[activity.res_model]]


def readable_records(session: Session, res_model: str, ids) -> dict[int, object]:
    """The records of ``res_model`` (a table name) among ``ids`` the acting user may read, by id."""
    registry, actor = session.info["registry"], session.info.get("actor")
    try:
        model = registry.model_of_table(res_model)
    except KeyError:
        return {}
    if actor is not None and not registry.can(actor, model, "read"):
        return {}
    ids, found = sorted(ids), {}
    for first in range(0, len(ids), ID_CHUNK):
        found.update((record.id, record) for record in session.scalars(
            select(model).where(model.id.in_(ids[first:first + ID_CHUNK]))))
    return found


# --- followers ---------------------------------------------------------------------


def follow(session: Session, ref: RecordRef, user_id: int | None = None) -> Follower:
    """``user_id`` (default: the acting user) follows the record; following twice changes nothing."""
    user_id = user_id or _actor_id(session)
    _assignee(session, user_id, ref.company_id)
    found = session.scalars(select(Follower).where(Follower.res_model == ref.res_model, Follower.res_id == ref.res_id,
                                                   Follower.user_id == user_id)).first()
    if found is not None:
        return found
    follower = Follower(user_id=user_id, **_link(ref))
    session.add(follower)
    session.flush()
    return follower


def unfollow(session: Session, ref: RecordRef) -> None:
    """The acting user stops following the record."""
    for found in session.scalars(select(Follower).where(Follower.res_model == ref.res_model,
                                                        Follower.res_id == ref.res_id,
                                                        Follower.user_id == _actor_id(session))):
        session.delete(found)
    session.flush()


# --- attachments -------------------------------------------------------------------


def attach(session: Session, store: AttachmentStore, ref: RecordRef, filename: str, data: bytes) -> Attachment:
    """Keep a file with the record: its type is read from the bytes and checked, its size against the limit."""
    name, content_type = store.check(filename, data)
    key = store.write(data)
    try:
        attachment = Attachment(filename=name, content_type=content_type, size=len(data), sha256=file_hash(data),
                                storage_key=key, uploaded_by_id=_actor_id(session), at=utcnow(), **_link(ref))
        session.add(attachment)
        session.flush()
    except BaseException:
        store.remove(key)
        raise
    return attachment


def attachment_for_reading(session: Session, attachment_id: int) -> Attachment:
    """An attachment whose record the user may read; RecordNotFound otherwise."""
    attachment = session.scalars(select(Attachment).where(Attachment.id == attachment_id)).first() \
        if fits_id(Attachment.id, attachment_id) else None
    if attachment is None:
        raise RecordNotFound(_l("There is no such attachment."))
    record_of(session, attachment.res_model, attachment.res_id)
    return attachment


# --- merging -----------------------------------------------------------------------


def move_chatter(session: Session, res_model: str, source_id: int, target_id: int) -> int:
    """Give the record ``target_id`` the whole chatter of ``source_id`` (merged into it); returns how many rows
    moved. A follower of both stays once. Core statements on the session's connection, for the merge service
    that has checked the user may write both records."""
    connection = session.connection()
    followers = Follower.__table__
    of_target = select(followers.c.user_id).where(followers.c.res_model == res_model, followers.c.res_id == target_id)
    connection.execute(delete(followers).where(followers.c.res_model == res_model, followers.c.res_id == source_id,
                                               followers.c.user_id.in_(of_target)))
    moved = 0
    for table in (Message.__table__, Activity.__table__, followers, Attachment.__table__):
        moved += connection.execute(update(table).where(table.c.res_model == res_model, table.c.res_id == source_id)
                                    .values(res_id=target_id)).rowcount
    return moved


# --- reading -----------------------------------------------------------------------


@dataclass(frozen=True)
class Chatter:
    """What a record's chatter holds, newest first (open activities by due date)."""

    messages: list[Message]
    activities: list[Activity]
    closed_activities: list[Activity]
    attachments: list[Attachment]
    followers: list[Follower]
    following: bool


def _of(model, ref: RecordRef):
    return select(model).where(model.res_model == ref.res_model, model.res_id == ref.res_id)


def read_chatter(session: Session, ref: RecordRef, limit: int = 100) -> Chatter:
    """The record's chatter as the user may see it (``ref`` comes from :func:`record_of`)."""
    messages = list(session.scalars(_of(Message, ref).order_by(Message.at.desc(), Message.id.desc()).limit(limit)))
    activities = list(session.scalars(_of(Activity, ref).order_by(Activity.due_date, Activity.id)))
    followers = list(session.scalars(_of(Follower, ref).order_by(Follower.id)))
    me = _actor_id(session)
    return Chatter(
        messages=messages,
        activities=[a for a in activities if a.state == OPEN],
        closed_activities=[a for a in activities if a.state != OPEN],
        attachments=list(session.scalars(_of(Attachment, ref).order_by(Attachment.at.desc(), Attachment.id.desc()))),
        followers=followers,
        following=any(f.user_id == me for f in followers),
    )

