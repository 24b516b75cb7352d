"""Fixtures shared by the web tests."""
import pytest


@pytest.fixture
def clerk(web):
    """A browser logged in as a contacts user of the main company."""
    web.db.user("clerk", groups=["contacts.group_user"])
    client = web.client()
    client.login("clerk")
    return client
