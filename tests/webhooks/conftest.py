"""Webhook tests' fixtures: a worker running the queue's jobs against a database with real commits."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from addons.crm.security import MANAGER
from core.config import load_config
from core.jobs import Worker, default_queue
from core.models.webhook import PENDING, WebhookDelivery
from core.security.actor import ADMIN_GROUP
from core.webhooks.subscriptions import create_subscription

from .receiver import Receiver

ATTEMPTS = 3
RETRY_DELAY = 1  # seconds: the retries wait 1 s, then 2 s
TIMEOUT = 1


@pytest.fixture
def webhook_config(tmp_path):
    path = tmp_path / "webhooks.toml"
    path.write_text(f"[webhooks]\ntimeout = {TIMEOUT}\nattempts = {ATTEMPTS}\nretry_delay = {RETRY_DELAY}\n"
                    "allow_private_targets = true\n")
    return load_config(path, environ={})


@pytest.fixture
def worker(db_copy, catalog, webhook_config):
    """The test's queue (core.testing) run by a worker in a thread, with the settings above."""
    running = Worker(webhook_config, catalog, db_copy.engine, default_queue()).start(workers=1, periodic=False)
    yield running
    running.stop()


@pytest.fixture
def receiver():
    with Receiver() as started:
        yield started


def subscribe(db, url: str, events=("crm.lead_created",), owner=None, company=None):
    """A subscription of ``company`` (the main one), owned by ``owner`` (a CRM manager); returns it and its secret."""
    company = company or db.main_company
    owner = owner or db.user(f"owner{company.id}", groups=[MANAGER], companies=[company])
    admin = db.user(f"admin{company.id}", groups=[ADMIN_GROUP], companies=[company])
    session = db.as_user(admin)
    subscription, secret = create_subscription(session, company.id, {"name": "Shop", "url": url, "events": list(events),
                                                                      "owner_id": owner.id}, allow_private=True)
    session.commit()
    return subscription, secret


def settled(db, count: int = 1, timeout: float = 60) -> list[WebhookDelivery]:
    """The deliveries, once ``count`` of them are no longer pending (delivered, failed or cancelled)."""
    deadline = time.monotonic() + timeout
    while True:
        with db.system() as session:
            rows = session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()
        if sum(row.state != PENDING for row in rows) >= count:
            return rows
        assert time.monotonic() < deadline, f"deliveries still pending after {timeout} s: {rows}"
        time.sleep(0.05)
