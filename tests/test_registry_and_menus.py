"""Only installed addons contribute; menus follow what the user may use."""
import pytest

from addons.contacts.models import Partner
from core.errors import AddonError
from core.menus import MenuItem, visible_menu
from core.registry import build_registry
from core.security import Actor

from .lifecycle_helpers import fixture_catalog


def actor(registry, *groups):
    return Actor(user_id=1, login="someone", groups=registry.effective_groups(groups), company_id=1,
                 company_ids=frozenset({1}))


def labels(nodes):
    return [(node.item.label, labels(node.children)) for node in nodes]


def test_an_addon_that_is_not_installed_contributes_nothing():
    catalog = fixture_catalog("alpha")
    registry = build_registry(catalog, [])
    assert registry.pm.get_plugin("contacts") is None
    assert "contacts.group_user" not in registry.groups
    assert Partner not in registry.access
    assert not any(item.id.startswith("contacts.") for item in registry.menu_items)
    contributors = {impl.plugin_name for caller in vars(registry.hook).values() if hasattr(caller, "get_hookimpls")
                    for impl in caller.get_hookimpls()}
    assert contributors == {"core"}


def test_installed_addons_are_registered_in_dependency_order():
    registry = build_registry(fixture_catalog("alpha"), ["alpha", "contacts"])
    assert registry.installed == ("contacts", "alpha")
    assert {impl.plugin_name for impl in registry.hook.register_models.get_hookimpls()} == {"core", "contacts", "alpha"}


def test_menu_shows_only_what_the_user_may_use_sorted_by_sequence():
    registry = build_registry(fixture_catalog("alpha"), ["contacts", "alpha"])
    assert labels(visible_menu(registry, actor(registry, "core.group_user"))) == []
    assert labels(visible_menu(registry, actor(registry, "alpha.group_user"))) == [("Alpha", [("Items", [])])]
    assert labels(visible_menu(registry, actor(registry, "alpha.group_manager", "contacts.group_user"))) == [
        ("Alpha", [("Items", []), ("Alpha settings", [])]),
        ("Contacts", [("Partners", []), ("Tags", []), ("Duplicates", []), ("Import", [])]),
    ]


def test_group_rules_are_or_ed_and_widened_by_manager():
    from tests.fixture_addons.alpha.models import AlphaItem

    registry = build_registry(fixture_catalog("alpha"), ["contacts", "alpha"])
    own = str(registry.rule_clause(actor(registry, "alpha.group_user"), AlphaItem, "read"))
    assert "alpha_item.user_id" in own and "company_id" in own
    widened = str(registry.rule_clause(actor(registry, "alpha.group_manager"), AlphaItem, "read"))
    assert " OR " in widened


def test_menu_with_unknown_parent_is_rejected(monkeypatch):
    from addons.contacts import menus

    monkeypatch.setattr(menus, "MENU", menus.MENU + (MenuItem(id="contacts.lost", label="Lost", parent="nowhere"),))
    with pytest.raises(AddonError, match="menu contacts.lost: parent 'nowhere' is not declared"):
        build_registry(fixture_catalog(), ["contacts"])


def test_a_menu_icon_that_does_not_exist_is_rejected(monkeypatch):
    from addons.contacts import menus

    monkeypatch.setattr(menus, "MENU", menus.MENU + (MenuItem(id="contacts.odd", label="Odd", icon="no-such-icon"),))
    with pytest.raises(AddonError, match="menu contacts.odd: no icon named 'no-such-icon'"):
        build_registry(fixture_catalog(), ["contacts"])


def test_the_registry_is_frozen():
    registry = build_registry(fixture_catalog(), ["contacts"])
    with pytest.raises(AttributeError, match="frozen"):
        registry.installed = ()
