"""Webhooks: the installed addons' business events, sent signed to the URLs administrators subscribe.

- :mod:`.events`: the catalogue (``register_webhook_events``), only of installed addons;
- :mod:`.publishing`: an addon's service (or its hook) publishes an event inside its transaction; a delivery per
  subscription is written and queued, and sent only once that transaction commits;
- :mod:`.payloads`: the record as the subscription's owner may read it (their companies, their record rules);
- :mod:`.delivery`: the job that posts one delivery, with its retries;
- :mod:`.signing`: the ``Bottega-Signature`` header (HMAC-SHA256 over ``timestamp.body``);
- :mod:`.targets`: which URLs may be targets (no private addresses unless configured);
- :mod:`.subscriptions`: the services behind the Settings → Webhooks pages (create, edit, replay).

See docs/webhooks.md.
"""
from core.lazy import lazy_exports

_EXPORTS = {
    **dict.fromkeys(("WebhookEvent", "events_of"), ".events"),
    "publish": ".publishing",
    **dict.fromkeys(("sign", "signature_header", "verify_signature"), ".signing"),
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
