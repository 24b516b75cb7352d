"""Publishing an event: one delivery per subscription that wants it, queued to go when the transaction commits.

Called by an addon (from its service or its implementation of a business
hook) inside the business transaction. The deliveries and their jobs are rows
of that transaction: a rollback leaves neither, so nothing is ever sent for
a change that did not happen. Each body holds the record as the
subscription's owner may read it then (:mod:`.payloads`); a subscription
whose owner may not read a record gets nothing for it.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import utcnow
from core.errors import AddonError
from core.jobs.sending import add_job
from core.models.webhook import WebhookDelivery, WebhookSubscription
from core.sessions import system_rows
from core.transaction_cache import cached

from .events import events_of
from .payloads import body_json, owner_payloads

DELIVER_JOB = "core.webhook_deliver"


def publish(session: Session, event: str, ids: Iterable[int]) -> list[int]:
    """Publish ``event`` (a declared ``<addon>.<event>``) about the records ``ids`` of its model.

    Returns the ids of the deliveries written (none without a subscription).
    Does nothing in a session without the registry (demo data, plain sessions).
    """
    registry = session.info.get("registry")
    if registry is None:
        return []
    declared = events_of(registry).get(event)
    if declared is None:
        raise AddonError(f"webhook event {event!r} is not declared by an installed addon's register_webhook_events()")
    ids = sorted(set(ids))
    subscriptions = [row for row in _active_subscriptions(session) if event in row[3]]
    if not ids or not subscriptions:
        return []
    session.flush()
    model = declared.model
    with system_rows(session) as system:
        companies = dict(system.execute(select(model.id, model.company_id).where(model.id.in_(ids))).all())
    written = []
    now = utcnow()
    event_ids = {record_id: str(uuid.uuid4()) for record_id in ids}  # one occurrence, whoever is told of it
    for subscription_id, company_id, owner_id, _events in subscriptions:
        mine = [record_id for record_id in ids if companies.get(record_id) == company_id]
        payloads = owner_payloads(session, owner_id, company_id, model, mine) if mine else {}
        for record_id in mine:
            if record_id in payloads:
                body = body_json(event_ids[record_id], event, now, company_id, payloads[record_id])
                written.append(queue_delivery(session, subscription_id, event, event_ids[record_id], model,
                                              record_id, body))
    return written


def queue_delivery(session: Session, subscription_id: int, event: str, event_id: str, model: type, record_id: int,
                   body: str, replay_of_id: int | None = None) -> int:
    """Write a pending delivery and queue its first attempt for when ``session`` commits."""
    with system_rows(session) as system:
        delivery = WebhookDelivery(subscription_id=subscription_id, uid=str(uuid.uuid4()), event=event,
                                   event_id=event_id, record_table=model.__tablename__, record_id=record_id, body=body,
                                   replay_of_id=replay_of_id)
        system.add(delivery)
        system.flush()
        add_job(session, system, DELIVER_JOB, {"delivery_id": delivery.id})
        return delivery.id


def _active_subscriptions(session: Session) -> list[tuple[int, int, int, tuple[str, ...]]]:
    """(id, company, owner, events) of every active subscription, read once per transaction."""
    def read():
        with system_rows(session) as system:
            rows = system.execute(select(WebhookSubscription.id, WebhookSubscription.company_id,
                                         WebhookSubscription.owner_id, WebhookSubscription.events)
                                  .where(WebhookSubscription.active.is_(True))).all()
        return [(row[0], row[1], row[2], tuple(row[3] or ())) for row in rows]

    return cached(session, ("webhook_subscriptions",), read, depends_on=(WebhookSubscription,))
