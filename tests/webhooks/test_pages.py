"""Settings → Webhooks as an administrator uses it: subscribe (the secret shown once), the log, Replay."""
from __future__ import annotations

import re

from sqlalchemy import select

from addons.crm.security import MANAGER
from addons.crm.services import create_lead
from core.models.webhook import PENDING, WebhookDelivery, WebhookSubscription
from core.testing import ADMIN_PASSWORD

PUBLIC_URL = "http://93.184.215.14/hook"  # a public address: the web app's configuration allows no private one


def admin(web):
    client = web.client()
    client.login("admin", ADMIN_PASSWORD)
    return client


def form(owner_id: int, **changes) -> dict:
    return {"name": "Shop", "url": PUBLIC_URL, "events": ["crm.lead_created", "accounting.invoice_paid"],
            "owner_id": str(owner_id), "active": "y", **changes}


def test_subscribing_shows_the_secret_once(web):
    owner = web.db.user("owner", groups=[MANAGER])
    client = admin(web)
    page = client.get("/settings/webhooks/new").get_data(as_text=True)
    assert "Lead created" in page and "Invoice paid" in page and "Leave approved" in page
    saved = client.post("/settings/webhooks/new", form(owner.id))
    assert saved.status_code == 302, saved.get_data(as_text=True)
    shown = client.get(saved.headers["Location"]).get_data(as_text=True)
    secret = re.search(r"whsec_[\w-]+", shown).group(0)
    with web.db.factory() as session:
        subscription = session.scalars(select(WebhookSubscription)).one()
        assert (subscription.secret, subscription.events, subscription.owner_id) == (
            secret, ["crm.lead_created", "accounting.invoice_paid"], owner.id)
    assert secret not in client.get(saved.headers["Location"]).get_data(as_text=True)
    assert secret not in client.get("/settings/webhooks/").get_data(as_text=True)


def test_a_bad_target_is_refused_on_the_form_and_nothing_is_saved(web):
    owner = web.db.user("owner", groups=[MANAGER])
    refused = admin(web).post("/settings/webhooks/new", form(owner.id, url="http://127.0.0.1:8000/hook"))
    assert refused.status_code == 422
    assert "private or local address" in refused.get_data(as_text=True)
    with web.db.factory() as session:
        assert session.scalars(select(WebhookSubscription)).all() == []


def test_the_delivery_log_and_replay(web):
    owner = web.db.user("owner", groups=[MANAGER])
    client = admin(web)
    saved = client.post("/settings/webhooks/new", form(owner.id))
    subscription_url = saved.headers["Location"]
    with web.db.factory() as session:
        subscription = session.scalars(select(WebhookSubscription)).one()
    session = web.db.as_user(owner)
    create_lead(session, web.db.main_company.id, name="Logged")
    session.commit()
    with web.db.factory() as session:
        delivery = session.scalars(select(WebhookDelivery)).one()
        delivery.state, delivery.attempts, delivery.response_status = "failed", 3, 500
        delivery.last_error = "HTTP 500: down for maintenance"
        session.commit()

    record = client.get(subscription_url).get_data(as_text=True)
    log_url = f"/settings/webhook-deliveries/?by.subscription_id={subscription.id}"
    assert "Deliveries" in record and log_url.replace("&", "&amp;") in record
    log = client.get(log_url).get_data(as_text=True)
    assert "crm.lead_created" in log and "HTTP 500: down for maintenance" in log and "Failed" in log

    page = client.get(f"/settings/webhook-deliveries/{delivery.id}").get_data(as_text=True)
    assert f"/webhooks/deliveries/{delivery.id}/replay" in page
    replayed = client.post(f"/webhooks/deliveries/{delivery.id}/replay")
    assert replayed.status_code == 302
    with web.db.factory() as session:
        replay = session.scalars(select(WebhookDelivery).where(WebhookDelivery.replay_of_id == delivery.id)).one()
        assert (replay.state, replay.event_id) == (PENDING, delivery.event_id)
    assert replayed.headers["Location"].endswith(f"/settings/webhook-deliveries/{replay.id}")


def test_pages_speak_spanish_and_italian(web):
    for lang, words in (("es", ("Webhooks", "Eventos", "URL de destino")), ("it", ("Webhook", "Eventi", "URL di destinazione"))):
        client = web.client()
        web.db.user(f"admin_{lang}", groups=["core.group_admin"], lang=lang)
        client.login(f"admin_{lang}")
        page = client.get("/settings/webhooks/new").get_data(as_text=True)
        for word in words:
            assert word in page, (lang, word)
