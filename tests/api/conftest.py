"""Fixtures of the API tests: keys for users of the ``web`` app, and a client that sends them."""
from __future__ import annotations

import pytest

from core.api.keys import create_key


class ApiClient:
    """The ``web`` app's test client sending one key (no cookie ever set)."""

    def __init__(self, app, key: str | None):
        self.client = app.test_client(use_cookies=False)
        self.key = key

    def _headers(self, headers=None) -> dict:
        found = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        return {**found, **(headers or {})}

    def get(self, url, **kwargs):
        return self.client.get(url, headers=self._headers(kwargs.pop("headers", None)), **kwargs)

    def post(self, url, json=None, **kwargs):
        return self.client.post(url, json=json, headers=self._headers(kwargs.pop("headers", None)), **kwargs)

    def patch(self, url, json=None, **kwargs):
        return self.client.patch(url, json=json, headers=self._headers(kwargs.pop("headers", None)), **kwargs)

    def delete(self, url, **kwargs):
        return self.client.delete(url, headers=self._headers(kwargs.pop("headers", None)), **kwargs)


def make_key(web, user, scopes=("read", "write"), **options) -> str:
    """A new key of ``user`` (made by the user themselves), committed; returns its secret."""
    with web.app.test_request_context():
        session = web.db.as_user(user)
        _key, secret = create_key(session, user, name="test", scopes=list(scopes), **options)
        session.commit()
    return secret


@pytest.fixture
def api(web):
    """``api(user, scopes=...)``: a client with a new key of ``user``."""
    def client(user, scopes=("read", "write"), **options) -> ApiClient:
        return ApiClient(web.app, make_key(web, user, scopes, **options))

    client.web = web
    return client
