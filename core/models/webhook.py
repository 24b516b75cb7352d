"""Webhook subscriptions (who is told of which events, where) and their delivery log (see core.webhooks)."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, TimestampMixin, intpk
from core.encrypted_columns import Encrypted
from core.fields import field

PENDING, DELIVERED, FAILED, CANCELLED = "pending", "delivered", "failed", "cancelled"
DELIVERY_STATES = (PENDING, DELIVERED, FAILED, CANCELLED)
STATE_CHOICES = ((PENDING, _l("Pending")), (DELIVERED, _l("Delivered")), (FAILED, _l("Failed")),
                 (CANCELLED, _l("Cancelled")))
SECRET_LENGTH = 64


class WebhookSubscription(TimestampMixin, Base):
    """A target URL told of the chosen events of one company, with the records as its owner may read them.

    ``secret`` signs every delivery (HMAC-SHA256); it is encrypted at rest and
    shown once, when the subscription is created.
    """

    __tablename__ = "core_webhook"

    id: Mapped[intpk]
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True,
                                            info=field(_l("Company")))
    owner_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), info=field(
        _l("Owner"), help=_l("Deliveries carry the records as this user may read them."), listed=True))
    name: Mapped[str] = mapped_column(String(120), info=field(_l("Name"), listed=True))
    url: Mapped[str] = mapped_column(String(2000), info=field(_l("Target URL"), listed=True))
    events: Mapped[list[str]] = mapped_column(JSON, default=list, info=field(_l("Events")))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active"), listed=True))
    secret: Mapped[str] = mapped_column(Encrypted(String(SECRET_LENGTH), keys_once_used=True),
                                        info=field(_l("Signing secret"), internal=True))

    owner = relationship("User", lazy="joined")

    def __repr__(self) -> str:
        return f"<WebhookSubscription {self.id} {self.url}>"


class WebhookDelivery(TimestampMixin, Base):
    """One event sent (or to be sent) to one subscription: its body as signed, and how each attempt went.

    ``pending`` until it is answered with a 2xx (``delivered``), refused for
    good or out of attempts (``failed``), or its subscription was disabled
    before it went (``cancelled``). ``uid`` is the ``Bottega-Delivery`` header;
    ``event_id`` the event's id in the body (the same in a replay);
    ``history`` lists the attempts. The row is
    bookkeeping, written by core.webhooks only (not audited, like the jobs).
    """

    __tablename__ = "core_webhook_delivery"
    __audit__ = False
    __table_args__ = (Index("ix_core_webhook_delivery_subscription_id_id", "subscription_id", "id"),)

    id: Mapped[intpk]
    subscription_id: Mapped[int] = mapped_column(ForeignKey("core_webhook.id", ondelete="CASCADE"),
                                                 info=field(_l("Webhook"), readonly=True))
    uid: Mapped[str] = mapped_column(String(36), unique=True, info=field(_l("Delivery id"), readonly=True))
    event: Mapped[str] = mapped_column(String(128), info=field(_l("Event"), readonly=True, listed=True))
    event_id: Mapped[str] = mapped_column(String(36), info=field(_l("Event id"), readonly=True))
    record_table: Mapped[str] = mapped_column(String(128), info=field(_l("Record table"), readonly=True))
    record_id: Mapped[int] = mapped_column(info=field(_l("Record id"), readonly=True))
    body: Mapped[str] = mapped_column(Text, info=field(_l("Body"), readonly=True))
    state: Mapped[str] = mapped_column(String(16), default=PENDING, info=field(_l("Status"), readonly=True, listed=True,
                                                                               choices=STATE_CHOICES))
    attempts: Mapped[int] = mapped_column(default=0, info=field(_l("Attempts"), readonly=True, listed=True))
    response_status: Mapped[int | None] = mapped_column(info=field(_l("Response code"), readonly=True, listed=True))
    last_error: Mapped[str | None] = mapped_column(Text, info=field(_l("Error"), readonly=True, listed=True))
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(info=field(_l("Last attempt"), readonly=True,
                                                                           listed=True))
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(info=field(_l("Next attempt"), readonly=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(info=field(_l("Finished"), readonly=True))
    #: one ``{"at", "status", "error"}`` per attempt, oldest first (``at`` in ISO 8601, UTC)
    history: Mapped[list[dict]] = mapped_column(JSON, default=list, info=field(_l("Attempts made"), readonly=True))
    replay_of_id: Mapped[int | None] = mapped_column(ForeignKey("core_webhook_delivery.id", ondelete="SET NULL"),
                                                     info=field(_l("Replay of"), readonly=True))

    subscription = relationship(WebhookSubscription)

    def __repr__(self) -> str:
        return f"<WebhookDelivery {self.id} {self.event} {self.state}>"
