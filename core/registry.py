"""The registry: what the installed addons contribute, collected once and then read-only.

:func:`build_registry` registers the core plugin and then each installed
addon's plugin module, in dependency order, with a fresh pluggy manager; an
addon that is not installed is never imported as a plugin, so it contributes
no hook, model, access, menu or command. After collection the registry is
frozen.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import reduce
from typing import TYPE_CHECKING, NamedTuple

import pluggy
from sqlalchemy import and_, inspect, or_
from sqlalchemy.sql.elements import AsBoolean, True_

from core.catalog import Catalog
from core.errors import AccessDenied, AddonError
from core.menus import MenuItem, check_menu_items
from core.plugin_manager import CORE, plugin_manager
from core.security.actor import ADMIN_GROUP, Actor
from core.security.declarations import OPERATIONS, Group, ModelAccess, RecordRule

if TYPE_CHECKING:
    from core.fields import Extension


class Registry:
    def __init__(self, catalog: Catalog, installed: list[str], pm: pluggy.PluginManager):
        self.catalog = catalog
        self.installed: tuple[str, ...] = tuple(installed)
        self.pm = pm
        self.models_by_addon: dict[str, tuple[type, ...]] = {}
        self.owner_of_table: dict[str, str] = {}
        self.groups: dict[str, tuple[str, Group]] = {}
        self.access: dict[type, list[ModelAccess]] = defaultdict(list)
        self.rules: dict[type, list[RecordRule]] = defaultdict(list)
        self.menu_items: tuple[MenuItem, ...] = ()
        self.extensions: dict[type, tuple[Extension, ...]] = {}
        self._rule_checks: dict[tuple, RuleCheck] = {}
        self._frozen = False

    @property
    def hook(self):
        return self.pm.hook

    # --- collection -----------------------------------------------------------------

    def _collect(self) -> None:
        models_by_addon = self._by_addon("register_models")
        groups_by_addon = self._by_addon("register_groups")
        for addon in (CORE, *self.installed):
            models = tuple(models_by_addon.get(addon, ()))
            for model in models:
                table = model.__tablename__
                if not table.startswith(f"{addon}_"):
                    raise AddonError(f"addon {addon}: table {table!r} must start with '{addon}_'")
                self.owner_of_table[table] = addon
            self.models_by_addon[addon] = models
            for group in groups_by_addon.get(addon, ()):
                if not group.key.startswith(f"{addon}."):
                    raise AddonError(f"addon {addon}: group {group.key!r} must start with '{addon}.'")
                self.groups[group.key] = (addon, group)
        extensions = defaultdict(list)
        for addon, found in self._by_addon("register_extensions").items():
            for extension in found:
                extension.check(addon, self.models_by_addon.get(addon, ()))
                extensions[extension.model].append(extension)
        self.extensions = {model: tuple(items) for model, items in extensions.items()}
        self.extension_by_side = {extension.side: extension for items in extensions.values() for extension in items}
        for access in self._all("register_model_access"):
            self.access[access.model].append(access)
        for rule in self._all("register_record_rules"):
            self.rules[rule.model].append(rule)
        self.menu_items = tuple(self._all("register_menu_items"))
        self._validate()
        self._frozen = True

    def _by_addon(self, hook_name: str) -> dict[str, list]:
        """Each addon's own results of a no-argument registration hook."""
        hook = getattr(self.pm.hook, hook_name)
        return {impl.plugin_name: list(impl.function() or ()) for impl in hook.get_hookimpls()}

    def _all(self, hook_name: str) -> list:
        return [item for result in getattr(self.pm.hook, hook_name)() for item in result or ()]

    def _validate(self) -> None:
        for group_key, (_addon, group) in self.groups.items():
            for implied in group.implies:
                if implied not in self.groups:
                    raise AddonError(f"group {group_key} implies unknown group {implied!r}")
        for model, grants in self.access.items():
            for grant in grants:
                if grant.group not in self.groups:
                    raise AddonError(
                        f"access to {model.__name__} is granted to unknown group {grant.group!r}"
                    )
        check_menu_items(list(self.menu_items), self)

    def __setattr__(self, name, value):
        if getattr(self, "_frozen", False):
            raise AttributeError("the registry is frozen once built")
        super().__setattr__(name, value)

    # --- questions ------------------------------------------------------------------

    @property
    def models(self) -> list[type]:
        return [m for models in self.models_by_addon.values() for m in models]

    def model_of_table(self, table: str) -> type:
        for model in self.models:
            if model.__tablename__ == table:
                return model
        raise KeyError(f"no installed model maps table {table!r}")

    def tables_of(self, addon: str) -> list:
        """The tables an addon's models map, plus the association tables their relationships use."""
        tables = []
        for model in self.models_by_addon.get(addon, ()):
            mapper = inspect(model)
            tables.append(mapper.local_table)
            for relationship in mapper.relationships:
                secondary = relationship.secondary
                if secondary is not None and secondary.name.startswith(f"{addon}_") and secondary not in tables:
                    tables.append(secondary)
        return tables

    def effective_groups(self, keys: Iterable[str]) -> frozenset[str]:
        """Stored group keys widened by ``implies`` and, for admins, ``for_admin`` groups.

        Keys of groups whose addon is not installed are dropped.
        """
        keys = {k for k in keys if k in self.groups}
        if ADMIN_GROUP in keys:
            keys |= {k for k, (_a, g) in self.groups.items() if g.for_admin}
        pending = list(keys)
        while pending:
            for implied in self.groups[pending.pop()][1].implies:
                if implied not in keys:
                    keys.add(implied)
                    pending.append(implied)
        return frozenset(keys)

    def can(self, actor: Actor, model: type, operation: str) -> bool:
        if operation not in OPERATIONS:
            raise ValueError(f"unknown operation {operation!r}")
        return any(
            grant.allows(operation) and grant.group in actor.groups
            for grant in self.access.get(model, ())
        )

    def require(self, actor: Actor, model: type, operation: str) -> None:
        if not self.can(actor, model, operation):
            raise AccessDenied(
                f"access denied: {actor.login} may not {operation} {model.__name__} records"
            )

    def _applicable_rules(self, actor: Actor, model: type, operation: str):
        global_rules, group_rules = [], []
        for rule in self.rules.get(model, ()):
            if operation not in rule.operations:
                continue
            if not rule.groups:
                global_rules.append(rule)
            elif actor.groups.intersection(rule.groups):
                group_rules.append(rule)
        return global_rules, group_rules

    def rule_names(self, actor: Actor, model: type, operation: str) -> list[str]:
        global_rules, group_rules = self._applicable_rules(actor, model, operation)
        names = [r.name for r in global_rules + group_rules]
        if hasattr(model, "company_id"):
            names.insert(0, "allowed companies")
        return names

    def rule_clause(self, actor: Actor, model: type, operation: str):
        """The SQL condition rows of ``model`` must meet for ``actor``, or None for no filter.

        User sessions add it to every ORM read (core.security.enforcement); a
        report that runs Core SQL in a system session on a user's behalf must
        add it itself.
        """
        return self.rule_check(actor, model, operation).clause

    def rule_check(self, actor: Actor, model: type, operation: str) -> RuleCheck:
        """``actor``'s rules on ``model`` for ``operation``, built once per actor (rules depend on the actor only)."""
        key = (actor, model, operation)
        check = self._rule_checks.get(key)
        if check is None:
            if len(self._rule_checks) > RULE_CACHE_SIZE:
                self._rule_checks.clear()
            check = self._rule_checks[key] = self._build_rule_check(actor, model, operation)
        return check

    def _build_rule_check(self, actor: Actor, model: type, operation: str) -> RuleCheck:
        global_rules, group_rules = self._applicable_rules(actor, model, operation)
        clauses = [rule.where(actor) for rule in global_rules]
        if group_rules:
            clauses.append(or_(*(rule.where(actor) for rule in group_rules)))
        clauses = [clause for clause in clauses if not _always_true(clause)]
        companies = frozenset(actor.company_ids) if hasattr(model, "company_id") else None
        if companies is not None:
            clauses.insert(0, model.company_id.in_(sorted(companies)))
        if not clauses:
            return RuleCheck(None, None)
        clause = reduce(and_, clauses) if len(clauses) > 1 else clauses[0]
        return RuleCheck(clause, companies if len(clauses) == 1 else None)


def _always_true(clause) -> bool:
    """``true()``, or an ``or_()`` that SQLAlchemy reduced to it (a manager's "all records" rule)."""
    return isinstance(clause, True_) or (isinstance(clause, AsBoolean) and isinstance(clause.element, True_))


class RuleCheck(NamedTuple):
    """A user's rules on one model for one operation.

    ``clause``: the SQL condition (None: no rule). ``companies``: set when the
    allowed companies are the only rule, so a row already in memory is
    checked by its ``company_id`` alone, without a query.
    """

    clause: object
    companies: frozenset[int] | None


#: Rule checks kept per registry (actors x models x operations) before the cache starts again.
RULE_CACHE_SIZE = 10_000


def build_registry(catalog: Catalog, installed: Iterable[str]) -> Registry:
    """Register the core and the ``installed`` addons (dependencies first), then collect."""
    pm, order = plugin_manager(catalog, installed)
    registry = Registry(catalog, order, pm)
    registry._collect()
    return registry
