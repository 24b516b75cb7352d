"""What is published to whom: the catalogue of installed addons, companies, the owner's record rules, bad input."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from addons.crm.security import MANAGER, SALESPERSON
from addons.crm.services import create_lead
from core.errors import AddonError, ValidationError
from core.models.webhook import WebhookDelivery, WebhookSubscription
from core.registry import build_registry
from core.security.actor import ADMIN_GROUP
from core.webhooks import events_of, publish
from core.webhooks.subscriptions import create_subscription, update_subscription
from core.webhooks.targets import check_target

from .conftest import subscribe

EVENTS = {"accounting.invoice_posted", "accounting.invoice_paid", "crm.lead_created", "sales.order_confirmed",
          "purchase.order_confirmed", "stock.below_minimum", "hr.leave_approved"}


def deliveries(db) -> list[WebhookDelivery]:
    return db.system().scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()


def test_the_installed_addons_publish_their_events(registry):
    assert set(events_of(registry)) >= EVENTS


def test_an_uninstalled_addon_publishes_no_event(catalog, db):
    without_crm = build_registry(catalog, ["contacts", "products", "accounting"])
    events = set(events_of(without_crm))
    assert {"accounting.invoice_posted", "accounting.invoice_paid"} <= events
    assert not events & {"crm.lead_created", "sales.order_confirmed", "hr.leave_approved", "stock.below_minimum"}
    session = db.system()
    session.info["registry"] = without_crm
    with pytest.raises(AddonError, match="crm.lead_created"):
        publish(session, "crm.lead_created", [1])


def test_a_subscriber_gets_only_the_records_its_owner_may_read(db):
    other = db.company("Other Co")
    sally = db.user("sally", groups=[SALESPERSON])
    subscribe(db, "http://127.0.0.1:9/hook", owner=sally)
    stranger_subscription, _ = subscribe(db, "http://127.0.0.1:9/other", company=other)
    boss = db.user("boss", groups=[MANAGER], companies=[db.main_company, other])
    session = db.as_user(boss)
    hers = create_lead(session, db.main_company.id, name="Sally's", user_id=sally.id)
    create_lead(session, db.main_company.id, name="Somebody else's", user_id=boss.id)
    elsewhere = create_lead(session, other.id, name="Other company's", user_id=sally.id)
    session.commit()

    sent = {(row.subscription_id, json.loads(row.body)["data"]["name"]) for row in deliveries(db)}
    mine = db.system().scalars(select(WebhookSubscription.id).where(WebhookSubscription.owner_id == sally.id)).one()
    assert sent == {(mine, "Sally's"), (stranger_subscription.id, "Other company's")}
    assert {row.record_id for row in deliveries(db)} == {hers.id, elsewhere.id}


def test_an_owner_who_left_the_company_gets_nothing(db):
    sally = db.user("sally", groups=[MANAGER])
    subscription, _ = subscribe(db, "http://127.0.0.1:9/hook", owner=sally)
    session = db.system()
    session.get(type(sally), sally.id).active = False
    session.commit()
    create_lead(db.as_user(db.user("boss", groups=[MANAGER])), db.main_company.id, name="Unseen")
    assert deliveries(db) == []


def test_a_disabled_subscription_gets_nothing(db):
    subscription, _ = subscribe(db, "http://127.0.0.1:9/hook")
    admin = db.user("chief", groups=[ADMIN_GROUP])
    session = db.as_user(admin)
    update_subscription(session, session.get(WebhookSubscription, subscription.id), {"active": False},
                        allow_private=True)
    session.commit()
    create_lead(db.as_user(db.user("boss", groups=[MANAGER])), db.main_company.id, name="Unsent")
    assert deliveries(db) == []


@pytest.mark.parametrize("values, field, message", [
    ({"url": "ftp://example.com/hook"}, "url", "http:// or https://"),
    ({"url": "not a url"}, "url", "http:// or https://"),
    ({"url": "http://user:pw@example.com/hook"}, "url", "no user name or password"),
    ({"url": "http://127.0.0.1:8000/hook"}, "url", "private or local address"),
    ({"url": "http://10.1.2.3/hook"}, "url", "private or local address"),
    ({"url": "http://[::1]/hook"}, "url", "private or local address"),
    ({"events": ["crm.lead_created", "nowhere.nothing"]}, "events", "Unknown events: nowhere.nothing"),
    ({"events": []}, "events", "at least one event"),
])
def test_bad_subscriptions_are_refused_naming_the_field(db, values, field, message):
    owner = db.user("owner", groups=[MANAGER])
    session = db.as_user(db.user("chief", groups=[ADMIN_GROUP]))
    base = {"name": "Shop", "url": "http://93.184.215.14/hook", "events": ["crm.lead_created"], "owner_id": owner.id}
    with pytest.raises(ValidationError) as refused:
        create_subscription(session, db.main_company.id, {**base, **values}, allow_private=False)
    assert refused.value.field == field and message in str(refused.value)
    session.rollback()
    assert db.system().scalars(select(WebhookSubscription)).all() == []


def test_the_owner_must_work_in_the_subscription_company(db):
    other = db.company("Other Co")
    outsider = db.user("outsider", groups=[MANAGER], companies=[other])
    session = db.as_user(db.user("chief", groups=[ADMIN_GROUP]))
    with pytest.raises(ValidationError) as refused:
        create_subscription(session, db.main_company.id, {"name": "Shop", "url": "http://127.0.0.1:9/hook",
                                                          "events": ["crm.lead_created"], "owner_id": outsider.id},
                            allow_private=True)
    assert refused.value.field == "owner_id"


def test_private_targets_are_allowed_only_when_configured():
    assert check_target(" http://127.0.0.1:5000/hook ", allow_private=True) == "http://127.0.0.1:5000/hook"
    with pytest.raises(ValidationError, match="allow_private_targets"):
        check_target("http://localhost:5000/hook", allow_private=False)


def test_the_secret_is_encrypted_at_rest(db):
    subscription, secret = subscribe(db, "http://127.0.0.1:9/hook")
    stored = db.system().connection().exec_driver_sql(
        f"SELECT secret FROM core_webhook WHERE id = {subscription.id}").scalar()
    assert secret.startswith("whsec_") and secret not in stored
    assert db.system().get(WebhookSubscription, subscription.id).secret == secret
