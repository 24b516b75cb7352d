"""Settings → Webhooks: subscriptions (generic views), their delivery log, and the replay button.

A subscription's form offers the installed addons' events as check boxes;
saving goes through :mod:`core.webhooks.subscriptions`, and a new
subscription's signing secret is shown once, in the message after saving.
The delivery log is the generic list of a subscription's deliveries (the
*Deliveries* smart button opens it); a delivery's page has *Replay*.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from core.models.webhook import WebhookDelivery, WebhookSubscription
from core.webhooks.events import events_of
from core.webhooks.subscriptions import create_subscription, replay_delivery, update_subscription

from .actions import run_service
from .context import current_registry, record_or_404, require, state
from .forms import select_choices
from .panels import RecordButton
from .views import ModelView

blueprint = Blueprint("webhooks", __name__, url_prefix="/webhooks")


def allow_private() -> bool:
    return state().config.get("webhooks", "allow_private_targets")


class EventsField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def event_choices() -> list[tuple[str, str]]:
    return sorted(((name, str(event.label)) for name, event in events_of(current_registry()).items()),
                  key=lambda choice: choice[1])


class WebhookView(ModelView):
    importable = False

    def form_class(self, session, record=None):
        base = super().form_class(session, record)
        events = EventsField(_l("Events"), choices=select_choices(event_choices()),
                             description=_l("A delivery is sent each time one of these happens."))
        return type("WebhookForm", (base,), {"events": events})

    def display(self, record, field: str) -> str:
        if field == "events":
            labels = dict(event_choices())
            return ", ".join(labels.get(name, name) for name in record.events)
        return super().display(record, field)

    def create(self, session, actor, values: dict):
        subscription, secret = create_subscription(session, actor.company_id, values, allow_private=allow_private())
        flash(gettext("Signing secret: %(secret)s — copy it now: it is not shown again. Receivers check each "
                      "delivery's Bottega-Signature header with it.", secret=secret), "warning")
        return subscription

    def update(self, session, actor, record, values: dict):
        return update_subscription(session, record, values, allow_private=allow_private())


class DeliveryView(ModelView):
    importable = False

    def title(self, record) -> str:
        return f"{record.event} #{record.id}"

    def display(self, record, field: str) -> str:
        if field == "history":  # one line per attempt: when, the answer's code, what went wrong
            return "\n".join(" ".join(str(part) for part in (entry["at"], entry["status"] or "—", entry["error"] or "")
                                       ).strip() for entry in record.history)
        return super().display(record, field)


def webhook_views() -> tuple[ModelView, ...]:
    return (
        WebhookView(WebhookSubscription, name="webhook", slug="webhooks", label=_l("Webhook"),
                    label_plural=_l("Webhooks"), search_fields=("name", "url"),
                    list_columns=("name", "url", "events", "owner_id", "active"),
                    form_fields=("name", "url", "events", "owner_id", "active")),
        DeliveryView(WebhookDelivery, name="webhook_delivery", slug="webhook-deliveries",
                     label=_l("Webhook delivery"), label_plural=_l("Webhook deliveries"), search_fields=("event",),
                     list_columns=("created_at", "event", "state", "attempts", "response_status", "last_error",
                                   "last_attempt_at"),
                     default_order="id"),
    )


def delivery_buttons(record) -> list[RecordButton]:
    if not isinstance(record, WebhookDelivery) or record.state == "pending":
        return []
    return [RecordButton(gettext("Replay"), "webhooks.replay", (("delivery_id", record.id),))]


@blueprint.post("/deliveries/<int:delivery_id>/replay")
def replay(delivery_id: int):
    require(WebhookDelivery, "read")
    require(WebhookSubscription, "write")
    delivery = record_or_404(WebhookDelivery, delivery_id)
    outcome = run_service(lambda session: replay_delivery(session, delivery),
                          success=gettext("The event is queued again as a new delivery."))
    if outcome.ok:
        return redirect(url_for("core.webhook_delivery_view", record_id=outcome.result))
    return redirect(url_for("core.webhook_delivery_view", record_id=delivery_id))
