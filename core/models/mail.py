from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, TimestampMixin, intpk

QUEUED, SENT, FAILED = "queued", "sent", "failed"
MAIL_STATES = (QUEUED, SENT, FAILED)


class Mail(TimestampMixin, Base):
    """An outgoing email in the outbox (see core.mail): ``queued``, ``sent``, or ``failed`` with the reason.

    ``to`` holds the recipients' addresses separated by ", ". ``reference`` is
    free for the addon that queued it (e.g. ``crm.campaign_recipient:42``) to
    find its mails again; ``job_id`` is the job that sends it. ``auto_submitted``
    (``auto-replied``, ``auto-generated``) marks mail no person wrote, so that
    the other side's auto-responders do not answer it.
    """

    __tablename__ = "core_mail"
    __audit__ = False
    __table_args__ = (Index("ix_core_mail_state_id", "state", "id"),)

    id: Mapped[intpk]
    state: Mapped[str] = mapped_column(String(16), default=QUEUED)
    to: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(String(998))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(String(255), index=True)
    message_id: Mapped[str | None] = mapped_column(String(255))
    auto_submitted: Mapped[str | None] = mapped_column(String(32))  # the Auto-Submitted header of automatic mail
    attempts: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[dt.datetime | None]
    job_id: Mapped[int | None] = mapped_column(ForeignKey("core_job.id", ondelete="SET NULL"), index=True)

    attachments: Mapped[list[MailAttachment]] = relationship(order_by="MailAttachment.id", lazy="selectin",
                                                             cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Mail {self.id} to {self.to} {self.state}>"


class MailAttachment(Base):
    """A file sent with a mail (a purchase order's PDF...), kept with it in the outbox."""

    __tablename__ = "core_mail_attachment"
    __audit__ = False

    id: Mapped[intpk]
    mail_id: Mapped[int] = mapped_column(ForeignKey("core_mail.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(127))
    data: Mapped[bytes] = mapped_column(LargeBinary)
