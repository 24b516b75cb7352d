"""The catalogue of webhook events: what each installed addon publishes (``register_webhook_events``)."""
from __future__ import annotations

import re
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.errors import AddonError

NAME_RE = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class WebhookEvent:
    """An event an addon publishes with :func:`core.webhooks.publish`: ``name`` is ``<addon>.<event>``.

    ``model`` is the record the event is about (its payload is that record as
    the subscriber may read it); ``label`` is what the subscription form shows.
    """

    name: str
    label: Any
    model: type

    def __post_init__(self):
        if not isinstance(self.name, str) or not NAME_RE.fullmatch(self.name):
            raise AddonError(f"webhook event {self.name!r} must be '<addon>.<event>' in lower case")


_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def events_of(registry) -> Mapping[str, WebhookEvent]:
    """The events the installed addons publish, by name (an uninstalled addon's are not there)."""
    try:
        return _cache[registry]
    except KeyError:
        pass
    events: dict[str, WebhookEvent] = {}
    for impl in registry.hook.register_webhook_events.get_hookimpls():
        addon = impl.plugin_name
        for event in impl.function() or ():
            if not isinstance(event, WebhookEvent):
                raise AddonError(f"addon {addon}: register_webhook_events() must return WebhookEvent, got {event!r}")
            if not event.name.startswith(f"{addon}."):
                raise AddonError(f"addon {addon}: webhook event {event.name!r} must start with '{addon}.'")
            if event.name in events:
                raise AddonError(f"webhook event {event.name!r} is declared twice")
            events[event.name] = event
    _cache[registry] = events
    return events
