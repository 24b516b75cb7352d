"""API keys: stored hashed, scoped, expiring, revocable, logged; a key acts as its user and a cookie never does."""
import datetime as dt

import pytest
from sqlalchemy import select

from addons.contacts.models import Partner
from addons.contacts.security import USER as CONTACTS_USER
from core.api.keys import create_key, revoke_key
from core.db import utcnow
from core.errors import AccessDenied, ValidationError
from core.models import ApiKey, SecurityEvent

from .conftest import ApiClient, make_key

PARTNERS = "/api/v1/contacts/partners"


def _count(web, model):
    with web.db.factory() as session:
        return len(session.scalars(select(model)).all())


def _problem(answer, status):
    assert answer.status_code == status, answer.get_data(as_text=True)
    assert answer.mimetype == "application/problem+json"
    body = answer.get_json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"].startswith("urn:")
    assert "Traceback" not in answer.get_data(as_text=True)
    return body


def test_the_secret_is_shown_once_and_stored_as_a_digest(web):
    user = web.db.user("clerk", groups=[CONTACTS_USER])
    secret = make_key(web, user, ["read"])
    with web.db.factory() as session:
        (key,) = session.scalars(select(ApiKey).where(ApiKey.user_id == user.id)).all()
        assert secret not in (key.secret_hash, key.prefix) and secret.startswith(f"btg_{key.prefix}_")
        kinds = session.scalars(select(SecurityEvent.kind).where(SecurityEvent.kind.like("api_key%"))).all()
    assert kinds == ["api_key_created"]
    client = ApiClient(web.app, secret)
    assert client.get(PARTNERS).status_code == 200
    with web.db.factory() as session:
        assert session.get(ApiKey, key.id).last_used_at is not None


def test_missing_unknown_revoked_and_expired_keys_are_refused(web):
    user = web.db.user("clerk", groups=[CONTACTS_USER])
    anonymous = ApiClient(web.app, None).get(PARTNERS)
    assert "Bearer" in _problem(anonymous, 401)["detail"] and anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    _problem(ApiClient(web.app, "btg_000000000000_nope").get(PARTNERS), 401)
    secret = make_key(web, user)
    with web.app.test_request_context():
        session = web.db.as_user(user)
        revoke_key(session, _key_id(web, user))
        session.commit()
    assert "revoked" in _problem(ApiClient(web.app, secret).get(PARTNERS), 401)["detail"]
    expiring = make_key(web, user, expires_at=utcnow() + dt.timedelta(seconds=30))
    with web.db.factory() as session:
        key = session.scalars(select(ApiKey).where(ApiKey.prefix == expiring.split("_")[1])).one()
        key.expires_at = utcnow() - dt.timedelta(seconds=1)
        session.commit()
    assert "expired" in _problem(ApiClient(web.app, expiring).get(PARTNERS), 401)["detail"]
    with web.db.factory() as session:
        kinds = session.scalars(select(SecurityEvent.kind).where(SecurityEvent.kind.like("api_key%"))).all()
    assert kinds.count("api_key_revoked") == 1


def _key_id(web, user):
    with web.db.factory() as session:
        return session.scalars(select(ApiKey.id).where(ApiKey.user_id == user.id)).first()


def test_a_session_cookie_does_not_authenticate_the_api(web):
    web.db.user("clerk", groups=[CONTACTS_USER])
    browser = web.client()
    browser.login("clerk")
    _problem(browser.client.get(PARTNERS), 401)
    before = _count(web, Partner)
    _problem(browser.client.post(PARTNERS, json={"name": "Cookie Co"},
                                 headers={"X-CSRFToken": browser.token or ""}), 401)
    assert _count(web, Partner) == before


def test_a_read_key_may_not_write_and_scopes_name_addons(web):
    user = web.db.user("clerk", groups=[CONTACTS_USER])
    reader = ApiClient(web.app, make_key(web, user, ["read"]))
    before = _count(web, Partner)
    body = _problem(reader.post(PARTNERS, json={"name": "Nope"}), 403)
    assert "contacts:write" in body["detail"]
    assert _count(web, Partner) == before
    crm_only = ApiClient(web.app, make_key(web, user, ["crm:read"]))
    _problem(crm_only.get(PARTNERS), 403)
    writer = ApiClient(web.app, make_key(web, user, ["contacts:write"]))
    assert writer.get(PARTNERS).status_code == 200  # write implies read


def test_keys_are_managed_by_their_user_or_an_admin(web):
    owner = web.db.user("owner", groups=[CONTACTS_USER])
    other = web.db.user("other", groups=[CONTACTS_USER])
    with web.app.test_request_context():
        session = web.db.as_user(other)
        with pytest.raises(AccessDenied):
            create_key(session, owner, name="theirs", scopes=["read"])
        with pytest.raises(ValidationError) as refused:
            create_key(session, other, name="", scopes=["fly"], expires_at=utcnow() - dt.timedelta(days=1))
        assert set(refused.value.errors) == {"name", "scopes", "expires_at"}
        session.rollback()
        admin = web.db.as_user(web.db.admin())
        _key, secret = create_key(admin, owner, name="by admin", scopes=["read"])
        admin.commit()
    assert ApiClient(web.app, secret).get(PARTNERS).status_code == 200
