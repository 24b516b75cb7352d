"""Rate limits per API key: past the limit a 429 problem with Retry-After; another key is counted apart."""
from addons.contacts.security import USER as CONTACTS_USER
from core.api.limits import CONFIG_KEY

PARTNERS = "/api/v1/contacts/partners"


def test_a_key_past_its_limit_gets_a_429_problem_and_another_key_does_not(api):
    api.web.app.config[CONFIG_KEY] = "3 per minute"
    user = api.web.db.user("clerk", groups=[CONTACTS_USER])
    busy, calm = api(user), api(user)
    assert [busy.get(PARTNERS).status_code for _ in range(3)] == [200, 200, 200]
    refused = busy.get(PARTNERS)
    assert refused.status_code == 429 and refused.mimetype == "application/problem+json"
    assert refused.get_json()["status"] == 429 and "3 per 1 minute" in refused.get_json()["detail"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert calm.get(PARTNERS).status_code == 200
