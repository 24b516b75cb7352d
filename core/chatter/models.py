"""The chatter's tables (see :mod:`core.chatter`)."""
from __future__ import annotations

import datetime as dt

from markupsafe import escape
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, TimestampMixin, intpk, utcnow
from core.fields import field
from core.languages import LANGUAGES
from core.models.company import CompanyMixin
from core.models.user import User
from core.stored_text import shown

NOTE, COMMENT, EMAIL = "note", "comment", "email"
#: logged by the application or an addon rather than typed in the composer: an email received, a call or a chat
#: had elsewhere, a change worth telling (an opportunity's stage), something the system did
EMAIL_IN, CALL, CHAT, TRACKING, SYSTEM = "email_in", "call", "chat", "tracking", "system"
MESSAGE_KINDS = (NOTE, COMMENT, EMAIL, EMAIL_IN, CALL, CHAT, TRACKING, SYSTEM)
#: kinds that are not an interaction with anyone (automation counts the others as activity on the record)
BOOKKEEPING_KINDS = (TRACKING, SYSTEM)
OPEN, DONE, CANCELLED = "open", "done", "cancelled"
ACTIVITY_STATES = (OPEN, DONE, CANCELLED)
ACTIVITY_KINDS = ("call", "email", "meeting", "task")


class RecordLink:
    """The record a chatter row belongs to: its table and id."""

    res_model: Mapped[str] = mapped_column(String(64))
    res_id: Mapped[int]


class Message(RecordLink, CompanyMixin, Base):
    """A message on a record's timeline: an internal note, a message to followers, an email sent or received.

    ``body`` is HTML already cleaned by :func:`core.chatter.sanitize.clean_html`.
    ``message_id`` is the Message-ID of an email sent or received, for replies to thread into it;
    ``sender`` the address a received email came from (:mod:`core.mail_in`).
    A line the system writes has ``params`` (maybe empty): its ``body`` is then the English message id,
    translated for each reader (:attr:`shown_body`, :mod:`core.stored_text`).
    """

    __tablename__ = "core_message"
    __audit__ = False  # a history itself
    __table_args__ = (Index("ix_core_message_record", "res_model", "res_id", "at"),)

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(16))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id", ondelete="SET NULL"))
    subject: Mapped[str | None] = mapped_column(String(998))
    body: Mapped[str] = mapped_column(Text, default="")
    params: Mapped[dict | None] = mapped_column(JSON)
    recipients: Mapped[str | None] = mapped_column(Text)
    sender: Mapped[str | None] = mapped_column(String(255))
    message_id: Mapped[str | None] = mapped_column(String(255), index=True)
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("core_mail.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()

    @property
    def shown_body(self) -> str:
        """The body as HTML, in the reader's language when the system wrote it."""
        if self.params is None:
            return self.body
        return str(escape(shown({"msgid": self.body, "params": self.params})))


class Activity(RecordLink, CompanyMixin, TimestampMixin, Base):
    """Something to do about a record by a user of its company, by a date: open until done or cancelled."""

    __tablename__ = "core_activity"
    __table_args__ = (Index("ix_core_activity_record", "res_model", "res_id"),
                      Index("ix_core_activity_user_state", "user_id", "state", "due_date"))

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(String(255))
    note: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    due_date: Mapped[dt.date]
    state: Mapped[str] = mapped_column(String(16), default=OPEN)
    done_at: Mapped[dt.datetime | None]
    feedback: Mapped[str | None] = mapped_column(Text)
    reminded_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Follower(RecordLink, CompanyMixin, Base):
    """A user who follows a record: they are offered as recipients of its emails."""

    __tablename__ = "core_follower"
    __audit__ = False
    __table_args__ = (UniqueConstraint("res_model", "res_id", "user_id"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id", ondelete="CASCADE"), index=True)

    user: Mapped[User] = relationship()


class Attachment(RecordLink, CompanyMixin, Base):
    """A file attached to a record. Its bytes live on disk under the attachments folder, at ``storage_key``."""

    __tablename__ = "core_attachment"
    __audit__ = False
    __table_args__ = (Index("ix_core_attachment_record", "res_model", "res_id"),)

    id: Mapped[intpk]
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(127))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(255), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    uploaded_by: Mapped[User | None] = relationship()


class MailTemplate(TimestampMixin, Base):
    """An email for records of one model (``model``: its table), subject and body in Jinja2, in one language.

    Shared by every company, managed by administrators. Rendered in a sandbox with ``record``, ``company`` and
    the sender as ``user`` (see :mod:`core.chatter.composer`).
    """

    __tablename__ = "core_mail_template"

    id: Mapped[intpk]
    model: Mapped[str] = mapped_column(String(64), index=True, info=field(
        _l("Model"), help=_l("The table of the records it is for, e.g. accounting_invoice."), listed=True))
    name: Mapped[str] = mapped_column(String(120), info=field(_l("Name"), listed=True))
    subject: Mapped[str] = mapped_column(String(998), info=field(_l("Subject"), help=_l(
        "Jinja2, e.g. Invoice {{ record.number }}")))
    body: Mapped[str] = mapped_column(Text, info=field(_l("Body"), help=_l(
        "Jinja2 text: {{ record.<field> }}, {{ company.name }}, the sender {{ user.name }}.")))
    lang: Mapped[str | None] = mapped_column(String(8), info=field(_l("Language"), choices=LANGUAGES, listed=True))
