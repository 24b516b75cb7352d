"""Property-based tests of the API against its own OpenAPI document (schemathesis), every addon installed.

For each operation a few generated requests (valid and not) are sent with a key of a user in every business
group of the main company: no answer is a 5xx, every answer matches the document, and none carries a record of
the other company, which has records of its own. Bounded (a few examples per operation), so it runs in minutes.
"""
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from addons.contacts.models import Partner
from core.security.actor import ADMIN_GROUP
from core.sessions import make_session_factory
from core.testing import TestData, web_config

from .conftest import make_key

EXAMPLES = 8


@pytest.fixture(scope="module")
def served_api(databases, installed_engine, registry, catalog, tmp_path_factory):
    """The web app on a copy of the database with every addon, a key of a broad user, the other company's id."""
    from core.db import make_engine
    from core.web.app import WebState, build_app
    from core.web.limiter import limiter

    engine = make_engine(databases.copy(installed_engine.url.render_as_string(hide_password=False),
                                        installed_engine))
    factory = make_session_factory(engine)
    app = build_app(WebState(web_config(tmp_path_factory.mktemp("schemathesis")), catalog, engine, registry,
                             factory))
    app.config.update(TESTING=True, BOTTEGA_API_RATE_LIMIT="100000 per minute")
    with app.app_context():
        limiter.reset()
    data = TestData(registry, factory)
    other = data.company("Elsewhere S.p.A.")
    with factory() as session:
        session.add_all([Partner(company_id=other.id, name=f"Hidden {n}") for n in range(3)])
        session.commit()
    groups = [key for key in registry.groups if key != ADMIN_GROUP]
    user = data.user("prober", groups=groups)

    class Web:
        pass

    web = Web()
    web.app, web.db = app, data
    secret = make_key(web, user, ["read", "write"])
    yield {"app": app, "key": secret, "companies": {data.main_company.id}}
    data.close_all()
    engine.dispose()


def _companies_in(value, found: set) -> set:
    """Every company id named by a ``company_id`` anywhere in an answer."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "company_id" and item is not None:
                found.add(item["id"] if isinstance(item, dict) else item)
            else:
                _companies_in(item, found)
    elif isinstance(value, list):
        for item in value:
            _companies_in(item, found)
    return found


def test_no_server_error_every_answer_as_documented_and_no_other_company(served_api):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", served_api["app"])
    headers = {"Authorization": f"Bearer {served_api['key']}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100  # every installed addon's resources and actions

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck),
                  phases=[Phase.explicit, Phase.generate])
        def probe(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance],
                                   headers=headers)
            if response.headers.get("Content-Type", "").startswith("application/json") and response.content:
                assert _companies_in(response.json(), set()) <= served_api["companies"], operation.label

        probe()
