"""The tables of incoming mail: the aliases mail is received at, and what became of each message received."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, TimestampMixin, intpk, utcnow
from core.fields import field
from core.models.company import CompanyMixin

THREADED, CREATED, REJECTED = "threaded", "created", "rejected"
OUTCOMES = (THREADED, CREATED, REJECTED)


class MailAlias(CompanyMixin, TimestampMixin, Base):
    """An address (``local_part@domain``) whose mail creates a record of ``target`` in the alias's company.

    ``target`` is the key of an :class:`core.mail_in.targets.AliasTarget` an
    installed addon offers (``crm.lead``); an alias whose addon is gone keeps
    its row and refuses mail until the addon is back.
    """

    __tablename__ = "core_mail_alias"
    __table_args__ = (UniqueConstraint("local_part", "domain"),)

    id: Mapped[intpk]
    local_part: Mapped[str] = mapped_column(String(64), info=field(
        _l("Name"), help=_l("The part before the @, e.g. sales."), listed=True))
    domain: Mapped[str] = mapped_column(String(255), info=field(
        _l("Domain"), help=_l("The part after the @, e.g. example.com."), listed=True))
    target: Mapped[str] = mapped_column(String(64), info=field(
        _l("Creates"), help=_l("What a message to this address creates."), listed=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True, info=field(_l("Active"), listed=True))

    @property
    def address(self) -> str:
        return f"{self.local_part}@{self.domain}"


class ReceivedMail(Base):
    """One message received, for the administrators (like the outbox, across companies): who sent it to whom,
    and what became of it.

    ``message_id`` is unique: the same message delivered twice is stored once.
    A message without a Message-ID gets one made from its bytes' hash.
    """

    __tablename__ = "core_received_mail"
    __audit__ = False  # a log itself

    id: Mapped[intpk]
    message_id: Mapped[str] = mapped_column(String(255), unique=True, info=field(_l("Message-ID")))
    sender: Mapped[str | None] = mapped_column(String(255), info=field(_l("From"), listed=True))
    recipients: Mapped[str | None] = mapped_column(Text, info=field(_l("To"), listed=True))
    subject: Mapped[str | None] = mapped_column(String(998), info=field(_l("Subject"), listed=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(info=field(_l("Date")))
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow, info=field(_l("Received"), listed=True))
    outcome: Mapped[str] = mapped_column(String(16), info=field(_l("Outcome"), listed=True, choices=(
        (THREADED, _l("threaded")), (CREATED, _l("created")), (REJECTED, _l("rejected")))))
    #: why attachments were not kept, or why the message was refused: stored sentences (:mod:`core.stored_text`)
    reasons: Mapped[list | None] = mapped_column(JSON, info=field(_l("Reason"), listed=True))
    automatic: Mapped[bool] = mapped_column(Boolean, default=False, info=field(
        _l("Automatic"), help=_l("Sent by a program (an auto-reply, a bounce): never answered automatically.")))
    res_model: Mapped[str | None] = mapped_column(String(64), info=field(_l("Record type")))
    res_id: Mapped[int | None] = mapped_column(info=field(_l("Record")))
