"""One blueprint per addon, named after it: its own pages and its generic views share it.

This module is also a tiny addon, ``twopages``, whose ``register_blueprints``
returns what a test puts in ``PAGES``: the core refuses anything but one
blueprint named after the addon.
"""
import pytest
from flask import Blueprint, url_for
from sqlalchemy import create_engine

from core import hookimpl
from core.catalog import Catalog
from core.errors import AddonError
from core.manifest import AddonManifest
from core.registry import build_registry
from core.sessions import make_session_factory
from core.testing import web_config
from core.web.app import WebState, build_app

MANIFEST = AddonManifest(name="twopages", version="1.0.0", summary="Test: an addon's blueprints", plugin=__name__)
CORE_BLUEPRINTS = {"auth", "reauth", "login_sessions", "web", "core", "chatter", "palette", "tasks", "api", "api_keys",
                   "webhooks"}
PAGES: list[Blueprint] = []


@hookimpl
def register_blueprints():
    return PAGES


def test_each_installed_addon_has_exactly_one_blueprint_holding_all_its_endpoints(web, registry):
    with_pages = {impl.plugin_name for hook in (registry.hook.register_views, registry.hook.register_blueprints)
                  for impl in hook.get_hookimpls()}
    addons = set(registry.installed) & with_pages  # a bridge with no page of its own (purchase_stock) has none
    assert addons and set(web.app.blueprints) == CORE_BLUEPRINTS | addons
    owners = {rule.endpoint.split(".")[0] for rule in web.app.url_map.iter_rules() if "." in rule.endpoint}
    assert owners == CORE_BLUEPRINTS | addons
    endpoints = {rule.endpoint for rule in web.app.url_map.iter_rules()}
    assert {"crm.lead_list", "crm.won", "contacts.partner_list", "contacts.merge", "accounting.invoice_list",
            "accounting.invoice_post", "accounting.static", "core.user_list", "core.job_list"} <= endpoints


def test_urls_stay_under_the_addons_prefix(web):
    with web.app.test_request_context():
        assert url_for("crm.won", lead_id=1) == "/crm/leads/1/won"
        assert url_for("crm.lead_list") == "/crm/leads/"
        assert url_for("contacts.merge") == "/contacts/merge"
        assert url_for("accounting.static", filename="x.js") == "/accounting/static/x.js"
        assert url_for("core.job_list") == "/settings/jobs"


@pytest.mark.parametrize("names", [("twopages", "twopages_more"), ("twopages_tools",)])
def test_an_addon_returning_a_second_or_a_misnamed_blueprint_is_refused_naming_it(names, tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.PAGES", [Blueprint(name, __name__) for name in names])
    catalog = Catalog.from_modules([__name__])
    engine = create_engine("sqlite://")
    state = WebState(web_config(tmp_path), catalog, engine, build_registry(catalog, ["twopages"]),
                     make_session_factory(engine))
    with pytest.raises(AddonError, match="addon twopages: register_blueprints returned .*one blueprint, named "
                                         "'twopages'"):
        build_app(state)


def test_an_addon_with_its_one_blueprint_gets_its_pages_mounted(tmp_path, monkeypatch):
    pages = Blueprint("twopages", __name__)
    pages.add_url_rule("/hello", "hello", lambda: "hello")
    monkeypatch.setattr(f"{__name__}.PAGES", [pages])
    catalog = Catalog.from_modules([__name__])
    engine = create_engine("sqlite://")
    for _build in range(2):  # the Dispatcher builds a new app whenever the installed addons change
        app = build_app(WebState(web_config(tmp_path), catalog, engine, build_registry(catalog, ["twopages"]),
                                 make_session_factory(engine)))
        assert {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint == "twopages.hello"} == {
            "/twopages/hello"}
