"""The services behind Settings → Webhooks: subscribe, change, disable, and replay a delivery.

They run in the administrator's session (model access and the company record
rule apply); ``allow_private`` is ``[webhooks] allow_private_targets``.
"""
from __future__ import annotations

import json
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from core.encryption import keyring
from core.errors import ValidationError
from core.fields import clean
from core.models import User
from core.models.webhook import WebhookDelivery, WebhookSubscription
from core.security.actor import allowed_companies
from core.sessions import system_rows

from .events import events_of
from .payloads import body_json, owner_payloads
from .publishing import queue_delivery
from .targets import check_target

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def create_subscription(session: Session, company_id: int, values: dict, *,
                        allow_private: bool) -> tuple[WebhookSubscription, str]:
    """A new subscription of ``company_id``; returns it and its signing secret (to be shown this once)."""
    values = _checked(session, {"active": True, **values, "company_id": company_id}, None, allow_private)
    keyring()  # the secret is kept encrypted: without a key, say so before anything is written
    secret = new_secret()
    subscription = WebhookSubscription(**values, secret=secret)
    session.add(subscription)
    session.flush()
    return subscription, secret


def update_subscription(session: Session, subscription: WebhookSubscription, values: dict, *,
                        allow_private: bool) -> WebhookSubscription:
    """Change a subscription (disable it with ``active=False``: its pending deliveries are then cancelled)."""
    for name, value in _checked(session, values, subscription, allow_private).items():
        setattr(subscription, name, value)
    session.flush()
    return subscription


def _checked(session: Session, values: dict, subscription, allow_private: bool) -> dict:
    values = clean(WebhookSubscription, values, record=subscription, session=session,
                   creating=subscription is None)
    if "url" in values:
        values["url"] = check_target(values["url"], allow_private=allow_private)
    if "events" in values:
        known = events_of(session.info["registry"])
        events = list(dict.fromkeys(values["events"] or ()))
        unknown = [name for name in events if name not in known]
        if unknown:
            raise ValidationError(_l("Unknown events: %(names)s (only the installed addons' events can be chosen).",
                                     names=", ".join(unknown)), "events")
        if not events:
            raise ValidationError(_l("Choose at least one event."), "events")
        values["events"] = events
    owner_id = values.get("owner_id", getattr(subscription, "owner_id", None))
    company_id = values.get("company_id", getattr(subscription, "company_id", None))
    if owner_id is not None and company_id not in _companies_of(session, owner_id):
        raise ValidationError(_l("The owner does not work in this subscription's company: deliveries carry "
                                 "records as the owner may read them there."), "owner_id")
    return values


def _companies_of(session: Session, user_id: int) -> set[int]:
    with system_rows(session) as system:
        user = system.get(User, user_id)
        return {company.id for company in allowed_companies(system, user)} if user is not None else set()


def replay_delivery(session: Session, delivery: WebhookDelivery) -> int:
    """Queue ``delivery``'s event again as a new delivery; returns its id.

    The record is read again, as the subscription's owner may read it now: a
    replay never sends what the owner may no longer see. The event's id stays
    the same (a receiver that kept the first can tell it is the same event).
    """
    subscription = delivery.subscription
    if not subscription.active:
        raise ValidationError(_l("The subscription is disabled: enable it before replaying its deliveries."))
    try:
        model = session.info["registry"].model_of_table(delivery.record_table)
    except KeyError:
        raise ValidationError(_l("The addon of this delivery's record is not installed: nothing was queued.")) from None
    payload = owner_payloads(session, subscription.owner_id, subscription.company_id, model,
                             [delivery.record_id]).get(delivery.record_id)
    if payload is None:
        raise ValidationError(_l("The record of this delivery is gone, or its owner may no longer read it: nothing "
                                 "was queued."))
    created = json.loads(delivery.body)["created_at"]
    body = body_json(delivery.event_id, delivery.event, created, subscription.company_id, payload)
    return queue_delivery(session, subscription.id, delivery.event, delivery.event_id, model, delivery.record_id,
                          body, replay_of_id=delivery.id)
