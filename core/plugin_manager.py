"""The pluggy manager of an installation: the core and the installed addons registered, dependencies first.

Registering imports only the plugin modules, which import the rest of
their code when a hook is called; so the CLI can list the installed addons'
commands and a worker find their jobs without the models, and
:func:`core.registry.build_registry` collects the rest from the same manager.
"""
from __future__ import annotations

import importlib
from collections.abc import Iterable

import pluggy

from core import hookspecs
from core.catalog import Catalog
from core.errors import AddonError

CORE = "core"


def make_plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("bottega")
    pm.add_hookspecs(hookspecs)
    return pm


def plugin_manager(catalog: Catalog, installed: Iterable[str]) -> tuple[pluggy.PluginManager, list[str]]:
    """The core and the ``installed`` addons registered (dependencies first), and that order."""
    installed = list(installed)
    order = catalog.resolve(installed)
    missing = set(order) - set(installed)
    if missing:
        raise AddonError(
            f"installed addons lack their dependencies: {', '.join(sorted(missing))}"
        )
    pm = make_plugin_manager()
    pm.register(importlib.import_module("core.plugin"), name=CORE)
    for name in order:
        manifest = catalog[name]
        if manifest.plugin:
            pm.register(importlib.import_module(manifest.plugin), name=name)
    pm.check_pending()
    return pm, order
