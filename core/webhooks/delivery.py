"""The ``core.webhook_deliver`` job: post one delivery to its target, record how it went, retry with backoff.

An attempt is a POST of the stored body with the headers ``Bottega-Event``,
``Bottega-Delivery`` (the delivery's id: the same on every attempt, so a
receiver can drop a repeat) and ``Bottega-Signature`` (signed anew with the
attempt's time). The outcome:

- 2xx: delivered;
- a timeout, a connection error, 5xx, 408 or 429: tried again after
  ``[webhooks] retry_delay`` seconds, twice as long after each failure, up to
  ``[webhooks] attempts`` in all, then failed;
- a redirect (3xx): failed, not followed (a target that moved must be
  changed in the subscription; following it could send the signed body to
  another host);
- any other 4xx, or a target now refused (:mod:`.targets`): failed at once.

The HTTP call is made outside any database transaction. Should the worker
die after the post and before the outcome is written, the job runs again and
the receiver gets the same delivery twice: deliveries are at least once.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import time

from core.config import Config
from core.db import utcnow
from core.errors import ValidationError
from core.jobs import JobContext
from core.jobs.sending import enqueue_later
from core.models.webhook import CANCELLED, DELIVERED, FAILED, PENDING, WebhookDelivery

from .publishing import DELIVER_JOB
from .signing import HEADER, signature_header
from .targets import check_target

MAX_ERROR = 1000
RESPONSE_EXCERPT = 200
RETRY_STATUSES = frozenset({408, 429})
USER_AGENT = "Bottega-Webhooks/1"


@dataclasses.dataclass(frozen=True)
class Settings:
    timeout: int
    attempts: int
    retry_delay: int
    allow_private_targets: bool

    @classmethod
    def from_config(cls, config: Config) -> Settings:
        values = config.values["webhooks"]
        return cls(values["timeout"], values["attempts"], values["retry_delay"], values["allow_private_targets"])

    def backoff(self, attempts: int) -> int:
        """Seconds to wait after failed attempt number ``attempts`` (1, 2, ...)."""
        return self.retry_delay * 2 ** (attempts - 1)


@dataclasses.dataclass(frozen=True)
class Outcome:
    status: int | None = None
    error: str | None = None
    retry: bool = False

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def deliver_job(context: JobContext, delivery_id: int) -> str:
    """The job: one attempt of delivery ``delivery_id``; returns its state afterwards."""
    settings = Settings.from_config(context.config)
    with context.session() as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        if delivery is None or delivery.state != PENDING:
            return delivery.state if delivery is not None else "gone"
        subscription = delivery.subscription
        if not subscription.active:
            delivery.state, delivery.finished_at = CANCELLED, utcnow()
            delivery.last_error = "the subscription was disabled before this delivery was sent"
            session.commit()
            return CANCELLED
        target = (subscription.url, subscription.secret, delivery.body, delivery.event, delivery.uid)
    outcome = attempt(*target, settings)
    with context.session() as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        record_outcome(session, delivery, outcome, settings)
        session.commit()
        return delivery.state


def attempt(url: str, secret: str, body: str, event: str, uid: str, settings: Settings) -> Outcome:
    """Post ``body`` to ``url`` once; what happened."""
    import httpx

    try:
        check_target(url, allow_private=settings.allow_private_targets)
    except ValidationError as refused:
        return Outcome(error=f"target refused: {refused}")
    content = body.encode("utf-8")
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, "Bottega-Event": event,
               "Bottega-Delivery": uid, HEADER: signature_header(secret, int(time.time()), content)}
    try:
        with httpx.Client(timeout=settings.timeout, follow_redirects=False, trust_env=False) as client:
            response = client.post(url, content=content, headers=headers)
    except httpx.TimeoutException:
        return Outcome(error=f"no answer within {settings.timeout} s", retry=True)
    except httpx.HTTPError as exc:
        return Outcome(error=f"could not reach the target: {type(exc).__name__}: {exc}"[:MAX_ERROR], retry=True)
    return judge(response)


def judge(response) -> Outcome:
    status = response.status_code
    if 200 <= status < 300:
        return Outcome(status)
    if 300 <= status < 400:
        where = response.headers.get("Location", "nowhere")
        return Outcome(status, f"HTTP {status}: redirected to {where}; redirects are not followed"[:MAX_ERROR])
    excerpt = response.text[:RESPONSE_EXCERPT].strip()
    error = f"HTTP {status}" + (f": {excerpt}" if excerpt else "")
    return Outcome(status, error[:MAX_ERROR], retry=status >= 500 or status in RETRY_STATUSES)


def record_outcome(session, delivery: WebhookDelivery, outcome: Outcome, settings: Settings) -> None:
    """Write attempt's outcome on ``delivery``; queue the next attempt when it may be retried."""
    now = utcnow()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_status = outcome.status
    delivery.last_error = outcome.error
    delivery.next_attempt_at = None
    delivery.history = [*delivery.history, {"at": now.isoformat(timespec="seconds") + "Z", "status": outcome.status,
                                            "error": outcome.error}]
    if outcome.delivered:
        delivery.state, delivery.finished_at = DELIVERED, now
    elif outcome.retry and delivery.attempts < settings.attempts:
        delay = settings.backoff(delivery.attempts)
        delivery.next_attempt_at = now + dt.timedelta(seconds=delay)
        session.flush()
        enqueue_later(session, delay, DELIVER_JOB, delivery_id=delivery.id)
    else:
        delivery.state, delivery.finished_at = FAILED, now
