"""The API key pages: made from the user's own page, secret shown once, revoked; an admin manages anyone's."""
import re

from sqlalchemy import select

from addons.contacts.security import USER as CONTACTS_USER
from core.models import ApiKey
from core.testing import ADMIN_PASSWORD

SECRET = re.compile(r"btg_[0-9a-f]{12}_[A-Za-z0-9_-]{20,}")


def test_a_user_makes_a_key_sees_it_once_and_revokes_it(web):
    web.db.user("clerk", groups=[CONTACTS_USER])
    browser = web.client()
    browser.login("clerk")
    page = browser.get("/account/api-keys")
    assert page.status_code == 200 and "contacts:read" in page.get_data(as_text=True)
    made = browser.post("/account/api-keys", {"name": "shop", "scopes": ["contacts:read"]})
    shown = SECRET.findall(made.get_data(as_text=True))
    assert made.status_code == 200 and len(shown) == 1
    again = browser.get("/account/api-keys").get_data(as_text=True)
    assert shown[0] not in again and "shop" in again
    api = web.app.test_client(use_cookies=False)
    assert api.get("/api/v1/contacts/partners", headers={"Authorization": f"Bearer {shown[0]}"}).status_code == 200
    with web.db.factory() as session:
        key_id = session.scalars(select(ApiKey.id)).one()
    browser.post(f"/account/api-keys/{key_id}/revoke", {"back": "/account/api-keys"})
    assert api.get("/api/v1/contacts/partners", headers={"Authorization": f"Bearer {shown[0]}"}).status_code == 401


def test_a_bad_key_form_names_the_field_and_makes_nothing(web):
    web.db.user("clerk", groups=[CONTACTS_USER])
    browser = web.client()
    browser.login("clerk")
    refused = browser.post("/account/api-keys", {"name": "", "scopes": ["fly"]})
    assert refused.status_code == 422
    with web.db.factory() as session:
        assert session.scalars(select(ApiKey)).all() == []


def test_only_an_admin_manages_another_users_keys(web):
    owner = web.db.user("owner", groups=[CONTACTS_USER])
    web.db.user("nosy", groups=[CONTACTS_USER])
    nosy = web.client()
    nosy.login("nosy")
    assert nosy.get(f"/settings/users/{owner.id}/api-keys").status_code == 403
    admin = web.client()
    admin.login("admin", ADMIN_PASSWORD)
    made = admin.post(f"/settings/users/{owner.id}/api-keys", {"name": "by admin", "scopes": ["read"]})
    assert made.status_code == 200 and SECRET.search(made.get_data(as_text=True))
    with web.db.factory() as session:
        assert session.scalars(select(ApiKey.user_id)).all() == [owner.id]
    with web.db.factory() as session:
        key_id = session.scalars(select(ApiKey.id)).one()
    nosy.post(f"/account/api-keys/{key_id}/revoke", {})
    with web.db.factory() as session:
        assert session.get(ApiKey, key_id).revoked_at is None
