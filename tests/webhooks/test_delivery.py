"""Deliveries through the real queue and a worker, to a real HTTP receiver on loopback."""
from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import func, select

from addons.crm.security import MANAGER
from addons.crm.services import create_lead
from core.models import JobRecord
from core.models.webhook import DELIVERED, FAILED, WebhookDelivery
from core.webhooks import verify_signature
from core.webhooks.subscriptions import replay_delivery

from .conftest import RETRY_DELAY, TIMEOUT, settled, subscribe
from .receiver import HANG, Receiver


def new_lead(db, name: str, commit: bool = True):
    session = db.as_user(db.user(f"maker-{name.lower().replace(' ', '-')}", groups=[MANAGER]))
    lead = create_lead(session, db.main_company.id, name=name)
    session.commit() if commit else session.rollback()
    return lead


def docs_verify():
    """The receiver's ``verify`` from docs/webhooks.md, run as a reader would paste it."""
    text = (Path(__file__).parents[2] / "docs" / "webhooks.md").read_text()
    snippet = re.search(r"```python\n(.*?)```", text[text.index("## Verifying a delivery"):], re.S).group(1)
    scope: dict = {}
    exec(compile(snippet, "docs/webhooks.md", "exec"), scope)
    return scope["verify"]


def test_a_committed_event_is_delivered_signed_and_logged(db_copy, worker, receiver):
    subscription, secret = subscribe(db_copy, receiver.url)
    lead = new_lead(db_copy, "Big deal")
    [request] = receiver.wait_for(1)
    [delivery] = settled(db_copy)

    verify = docs_verify()
    assert verify(secret, request.headers["Bottega-Signature"], request.body)
    assert not verify(secret, request.headers["Bottega-Signature"], request.body.replace(b"Big", b"Small"))
    assert verify_signature(secret, request.headers["Bottega-Signature"], request.body)
    assert not verify_signature(secret, request.headers["Bottega-Signature"], request.body + b" ")
    assert not verify_signature("whsec_other", request.headers["Bottega-Signature"], request.body)
    body = json.loads(request.body)
    assert (body["event"], body["data"]["id"], body["data"]["name"], body["company_id"]) == (
        "crm.lead_created", lead.id, "Big deal", db_copy.main_company.id)
    assert body["id"] == delivery.event_id and body["created_at"].endswith("Z")
    assert request.headers["Bottega-Event"] == "crm.lead_created"
    assert request.headers["Bottega-Delivery"] == delivery.uid
    assert (delivery.subscription_id, delivery.state, delivery.attempts, delivery.response_status,
            delivery.last_error) == (subscription.id, DELIVERED, 1, 200, None)
    assert [entry["status"] for entry in delivery.history] == [200]


def test_a_500_is_tried_again_after_a_growing_delay(db_copy, worker):
    with Receiver([500, 503, 200]) as receiver:
        subscribe(db_copy, receiver.url)
        new_lead(db_copy, "Flaky")
        requests = receiver.wait_for(3)
        [delivery] = settled(db_copy)
    assert (delivery.state, delivery.attempts, delivery.response_status) == (DELIVERED, 3, 200)
    assert [entry["status"] for entry in delivery.history] == [500, 503, 200]
    assert delivery.history[0]["error"] == "HTTP 500: receiver says no"
    assert {request.headers["Bottega-Delivery"] for request in requests} == {delivery.uid}
    assert requests[1].at - requests[0].at >= RETRY_DELAY
    assert requests[2].at - requests[1].at >= 2 * RETRY_DELAY


def test_a_timeout_is_tried_again(db_copy, worker):
    with Receiver([HANG, 200]) as receiver:
        subscribe(db_copy, receiver.url)
        new_lead(db_copy, "Slow")
        receiver.wait_for(2)
        [delivery] = settled(db_copy)
    assert (delivery.state, delivery.attempts) == (DELIVERED, 2)
    assert [(entry["status"], entry["error"]) for entry in delivery.history] == [
        (None, f"no answer within {TIMEOUT} s"), (200, None)]


def test_the_delivery_fails_after_its_last_attempt(db_copy, worker):
    with Receiver([500, 500, 500, 200]) as receiver:
        subscribe(db_copy, receiver.url)
        new_lead(db_copy, "Hopeless")
        [delivery] = settled(db_copy)
        assert len(receiver.requests) == 3
    assert (delivery.state, delivery.attempts, delivery.response_status) == (FAILED, 3, 500)
    assert delivery.finished_at is not None and delivery.next_attempt_at is None


def test_a_redirect_to_another_host_is_a_failure_not_followed(db_copy, worker):
    with Receiver() as elsewhere, Receiver([("redirect", elsewhere.url)]) as receiver:
        subscribe(db_copy, receiver.url)
        new_lead(db_copy, "Moved")
        [delivery] = settled(db_copy)
        assert elsewhere.requests == [] and len(receiver.requests) == 1
    assert (delivery.state, delivery.attempts, delivery.response_status) == (FAILED, 1, 302)
    assert delivery.last_error == f"HTTP 302: redirected to {elsewhere.url}; redirects are not followed"


def test_a_client_error_is_not_tried_again(db_copy, worker):
    with Receiver([404, 200]) as receiver:
        subscribe(db_copy, receiver.url)
        new_lead(db_copy, "Wrong address")
        [delivery] = settled(db_copy)
        assert len(receiver.requests) == 1
    assert (delivery.state, delivery.attempts, delivery.response_status) == (FAILED, 1, 404)
    with db_copy.system() as session:
        jobs = session.scalar(select(func.count()).select_from(JobRecord).where(
            JobRecord.name == "core.webhook_deliver"))
    assert jobs == 1


def test_a_rolled_back_change_sends_nothing(db_copy, worker, receiver):
    subscribe(db_copy, receiver.url)
    new_lead(db_copy, "Never happened", commit=False)
    kept = new_lead(db_copy, "Happened")
    [delivery] = settled(db_copy)
    requests = receiver.wait_for(1)
    assert [json.loads(request.body)["data"]["name"] for request in requests] == ["Happened"]
    assert delivery.record_id == kept.id


def test_a_replay_is_a_new_delivery_of_the_same_event_read_again(db_copy, worker, receiver):
    subscribe(db_copy, receiver.url)
    lead = new_lead(db_copy, "Again")
    [first] = settled(db_copy)
    session = db_copy.system()
    session.get(type(lead), lead.id).name = "Again, renamed"
    session.commit()
    replayed = replay_delivery(session, session.get(WebhookDelivery, first.id))
    session.commit()
    original, replay = settled(db_copy, 2)
    requests = receiver.wait_for(2)
    assert (replay.id, replay.replay_of_id, replay.event_id, replay.state) == (replayed, first.id, first.event_id,
                                                                                DELIVERED)
    assert replay.uid != first.uid
    bodies = [json.loads(request.body) for request in requests]
    assert [body["id"] for body in bodies] == [first.event_id, first.event_id]
    assert [body["data"]["name"] for body in bodies] == ["Again", "Again, renamed"]
