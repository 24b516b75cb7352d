"""Menus declared by addons, and the tree a given user may see."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.errors import AddonError

if TYPE_CHECKING:
    from core.registry import Registry
    from core.security import Actor


@dataclass(frozen=True)
class MenuItem:
    """One menu entry, ``id`` namespaced ``<addon>.<name>``.

    A leaf points at ``endpoint`` (a Flask endpoint) and is shown only when
    the user has ``operation`` access to ``model`` and/or is in ``group``.
    A parent without an endpoint is shown when at least one child is.
    """

    id: str
    label: str
    parent: str | None = None
    sequence: int = 10
    endpoint: str | None = None
    model: type | None = None
    operation: str = "read"
    group: str | None = None
    icon: str | None = None


@dataclass
class MenuNode:
    item: MenuItem
    children: list[MenuNode] = field(default_factory=list)


def check_menu_items(items: list[MenuItem], registry: Registry) -> None:
    """Reject duplicate ids, unknown parents and unknown groups at registry build time."""
    ids = [item.id for item in items]
    duplicated = {i for i in ids if ids.count(i) > 1}
    if duplicated:
        raise AddonError(f"menu ids declared twice: {', '.join(sorted(duplicated))}")
    for item in items:
        if item.parent is not None and item.parent not in ids:
            raise AddonError(f"menu {item.id}: parent {item.parent!r} is not declared")
        if item.group is not None and item.group not in registry.groups:
            raise AddonError(f"menu {item.id}: group {item.group!r} is not declared")
        if item.icon is not None and not icon_exists(item.icon):
            raise AddonError(f"menu {item.id}: no icon named {item.icon!r} (the names of https://heroicons.com, "
                             f"outline style, such as 'users' or 'shopping-cart')")


def icon_exists(name: str) -> bool:
    from heroicons import IconDoesNotExist
    from heroicons.jinja import heroicon_outline

    try:
        heroicon_outline(name)
    except IconDoesNotExist:
        return False
    return True


def visible_menu(registry: Registry, actor: Actor) -> list[MenuNode]:
    """The menu tree ``actor`` may see: allowed leaves, and parents that keep a visible child."""
    by_parent: dict[str | None, list[MenuItem]] = {}
    for item in registry.menu_items:
        by_parent.setdefault(item.parent, []).append(item)

    def allowed(item: MenuItem) -> bool:
        if item.group is not None and not actor.in_group(item.group):
            return False
        if item.model is not None and not registry.can(actor, item.model, item.operation):
            return False
        return True

    def build(parent: str | None) -> list[MenuNode]:
        nodes = []
        for item in sorted(by_parent.get(parent, []), key=lambda i: (i.sequence, i.id)):
            if not allowed(item):
                continue
            node = MenuNode(item, build(item.id))
            if node.children or item.endpoint:
                nodes.append(node)
        return nodes

    return build(None)
