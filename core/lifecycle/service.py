"""Installing, upgrading and uninstalling addons: the service the CLI and the web UI share.

Every change is first computed as a :class:`Plan` (what will happen, in
order, with the migrations to run) and then carried out by :meth:`Lifecycle.run`
on one connection inside one transaction: the plan is computed again inside
that transaction and must match what was shown. Each addon installed or
upgraded has its migrations run (schema only), its installed-addon record
updated, and is then set up: its groups and its ``after_install`` hook
(:mod:`core.lifecycle.setup`). If anything fails, the transaction is rolled
back and the database is as it was (PostgreSQL and SQLite both roll back DDL;
see core.db.make_engine).

The database may record addons whose code is gone (their package was
removed) or is older than what was installed. Such an addon is listed with
its state; while one is *installed*, nothing is installed, upgraded or applied
(its migrations cannot be checked), but it may be uninstalled without
``--purge``, which only marks it deactivated. Purging needs its code.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, delete, select, text
from sqlalchemy.orm import Session

from core import encrypted_columns
from core.catalog import Catalog
from core.errors import AddonError, BottegaError
from core.manifest import parse_version
from core.models import AddonState
from core.models.addon import DEACTIVATED, INSTALLED
from core.registry import CORE, Registry, build_registry
from core.security.events import log_addon_step

from . import intent, purge
from .database import first_line, migration_transaction, require_initialized
from .installed import installed_addons, installed_registry
from .migrations import Migration, Migrations
from .setup import set_up

INSTALL, REACTIVATE, UPGRADE, DEACTIVATE, PURGE = "install", "reactivate", "upgrade", "deactivate", "purge"
LOCK_KEY = 0x626F7474  # "bott": serialises lifecycle runs on PostgreSQL


@dataclass(frozen=True)
class Step:
    action: str
    addon: str
    version: str | None = None
    reason: str = ""
    migrations: tuple[Migration, ...] = ()
    drops: purge.Drops | None = None

    def describe(self) -> str:
        verb, note = {
            INSTALL: ("install", ""),
            REACTIVATE: ("install again", "its kept tables and data come back"),
            UPGRADE: ("upgrade", ""),
            DEACTIVATE: ("uninstall", "tables and data are kept"),
            PURGE: ("uninstall and DROP the data of", ""),
        }[self.action]
        notes = ", ".join(n for n in (self.reason, note) if n)
        version = f" {self.version}" if self.version else ""
        return f"{verb} {self.addon}{version}" + (f" ({notes})" if notes else "")


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)

    def __bool__(self) -> bool:
        return bool(self.steps)

    @property
    def removed(self) -> list[str]:
        """The addons this plan uninstalls (deactivates or purges)."""
        return [step.addon for step in self.steps if step.action in (DEACTIVATE, PURGE)]

    @property
    def added(self) -> list[str]:
        """The addons this plan installs (for the first time or again)."""
        return [step.addon for step in self.steps if step.action in (INSTALL, REACTIVATE)]

    def lines(self) -> list[str]:
        if not self.steps:
            return ["Nothing to do: the database already matches."]
        lines = []
        for number, step in enumerate(self.steps, 1):
            lines.append(f"{number}. {step.describe()}")
            lines.extend(f"     migration {migration}" for migration in step.migrations)
            if step.drops is not None:
                lines.extend(f"     {line}" for line in step.drops.lines())
        return lines


def enabled_after(enabled: Iterable[str], plan: Plan, asked: Iterable[str] = ()) -> list[str]:
    """The config's enabled addons once ``plan`` (asked for ``asked``) has run."""
    return sorted((set(enabled) | set(asked)) - set(plan.removed))


@dataclass(frozen=True)
class AddonStatus:
    name: str
    version: str
    installed_version: str | None
    state: str
    depends: tuple[str, ...]
    summary: str


class Lifecycle:
    def __init__(self, engine: Engine, catalog: Catalog):
        self.engine = engine
        self.catalog = catalog
        self.migrations = Migrations(catalog)

    # --- reading state -----------------------------------------------------------------

    def states(self, connection: Connection) -> dict[str, AddonState]:
        with Session(bind=connection) as session:
            return {row.name: row for row in session.scalars(select(AddonState))}

    def installed(self, connection: Connection | None = None) -> list[str]:
        return installed_addons(self.catalog, connection or self.engine)

    def status(self) -> list[AddonStatus]:
        """Every known addon, and every addon the database records whose code is gone."""
        require_initialized(self.engine)
        with self.engine.connect() as connection:
            states = self.states(connection)
            result = []
            for name in sorted(set(self.catalog) | set(states)):
                row = states.get(name)
                installed_version = row.version if row and row.state == INSTALLED else None
                if name not in self.catalog:
                    state = "installed, code missing" if installed_version else "not installed (data kept), code missing"
                    result.append(AddonStatus(name, "-", installed_version, state, (), ""))
                    continue
                manifest = self.catalog[name]
                if row is None:
                    state = "not installed"
                elif row.state == DEACTIVATED:
                    state = "not installed (data kept)"
                elif self._code_is_older(name, row):
                    state = "installed, code older than database"
                elif self._needs_upgrade(connection, name, row):
                    state = "upgrade available"
                else:
                    state = "installed"
                result.append(
                    AddonStatus(name, manifest.version, installed_version, state, manifest.depends, manifest.summary)
                )
            return result

    def registry(self) -> Registry:
        return installed_registry(self.catalog, self.engine)

    def _needs_upgrade(self, connection: Connection, name: str, row: AddonState) -> bool:
        return parse_version(self.catalog[name].version) > parse_version(row.version) or bool(
            self.migrations.pending(connection, name)
        )

    def _code_is_older(self, name: str, row: AddonState) -> bool:
        return parse_version(self.catalog[name].version) < parse_version(row.version)

    def _code_missing(self, states: dict[str, AddonState], installed_only: bool = True) -> list[str]:
        return sorted(n for n, row in states.items()
                      if n not in self.catalog and (row.state == INSTALLED or not installed_only))

    def _refuse_unusable(self, connection: Connection) -> None:
        """Refuse to plan while the database records addons whose code is missing or older."""
        states = self.states(connection)
        missing = self._code_missing(states)
        if missing:
            names = ", ".join(missing)
            raise AddonError(
                f"installed addon{'s' if len(missing) > 1 else ''} {names}: code missing (no installed package "
                f"provides {'them' if len(missing) > 1 else 'it'}); reinstall "
                f"{'their packages' if len(missing) > 1 else 'its package'}, or deactivate with "
                f"`bottega addons uninstall {missing[0]}` (tables and data are kept)"
            )
        for name, row in sorted(states.items()):
            if name in self.catalog and row.state == INSTALLED and self._code_is_older(name, row):
                raise AddonError(
                    f"addon {name}: the database has version {row.version} installed but the code is version "
                    f"{self.catalog[name].version}, older than the database; install version {row.version} "
                    "or newer of its code"
                )
        unknown = self.migrations.unknown_revisions(connection)
        if unknown and not self._code_missing(states, installed_only=False):
            raise AddonError(
                f"the database has migrations that no known addon provides ({', '.join(unknown)}): "
                "the code is older than the database; install the newer code"
            )

    # --- planning ------------------------------------------------------------------------

    def plan_apply(self, enabled: Iterable[str]) -> Plan:
        """Make the installed set equal the enabled addons, their dependencies and bridges."""
        enabled = list(enabled)
        return self._plan(lambda c: self._apply_steps(c, enabled))

    def _refuse_enabled_without_code(self, connection, enabled: list[str]) -> None:
        states = self.states(connection)
        for name in enabled:
            if name not in self.catalog and name in states:
                raise AddonError(
                    f"{name} is enabled in the config but its code is missing (its data is kept in the database); "
                    f"reinstall its package, or remove it from [addons] enabled"
                )

    def plan_install(self, names: Iterable[str]) -> Plan:
        names = list(names)
        return self._plan(lambda c: self._install_steps(c, names))

    def plan_uninstall(self, name: str, purge_data: bool = False) -> Plan:
        return self._plan(lambda c: self._uninstall_steps(c, name, purge_data), check=False)

    def plan_upgrade(self, names: Iterable[str] = ()) -> Plan:
        names = list(names)
        return self._plan(lambda c: self._upgrade_steps(c, names))

    def _plan(self, make_steps, check: bool = True) -> Plan:
        require_initialized(self.engine)
        with migration_transaction(self.engine, commit=False) as connection:
            if check:
                self._refuse_unusable(connection)
            return Plan(tuple(make_steps(connection)))

    def _apply_steps(self, connection, enabled: list[str]) -> list[Step]:
        self._refuse_enabled_without_code(connection, enabled)
        desired = self.catalog.with_auto_install(enabled)
        installed = self.installed(connection)
        steps = self._removal_steps(connection, [n for n in installed if n not in desired], "not enabled in the config")
        steps += self._addition_steps(connection, desired, enabled)
        steps += self._upgrade_steps(connection, [n for n in installed if n in desired])
        return steps

    def _install_steps(self, connection, names: list[str]) -> list[Step]:
        installed = self.installed(connection)
        desired = self.catalog.with_auto_install(list(names) + installed)
        return self._addition_steps(connection, desired, names) + self._upgrade_steps(
            connection, [n for n in names if n in installed]
        )

    def _uninstall_steps(self, connection, name: str, purge_data: bool) -> list[Step]:
        states = self.states(connection)
        if name not in self.catalog and name in states:
            return self._code_missing_uninstall_steps(states[name], purge_data)
        self.catalog.resolve([name])
        if purge_data:
            kept = self._code_missing(states, installed_only=False)
            if kept:
                raise AddonError(
                    f"cannot purge {name}: the database keeps data of {', '.join(kept)}, whose code is missing, "
                    "so what depends on it cannot be told; reinstall their packages first"
                )
            self._refuse_unusable(connection)  # a purge runs migrations: they must all be known
        elif self._code_missing(states):
            self._refuse_unusable(connection)  # an installed addon without code might depend on this one
        installed = self.installed(connection)
        row = states.get(name)
        if row is None:
            raise AddonError(f"{name} is not installed")
        if row.state == DEACTIVATED and not purge_data:
            raise AddonError(f"{name} is not installed (its data is kept; add --purge to drop it)")
        if purge_data:
            if self._code_is_older(name, row):
                raise AddonError(
                    f"cannot purge {name}: the database has version {row.version} but the code is version "
                    f"{self.catalog[name].version}, older than the database; install the newer code first"
                )
        manifest = self.catalog[name]
        if manifest.auto_install and manifest.depends and set(manifest.depends) <= set(installed):
            raise AddonError(
                f"cannot uninstall {name}: it is a bridge between {', '.join(manifest.depends)} and comes and goes "
                f"with them (uninstall one of {', '.join(manifest.depends)} instead)"
            )
        dependents = self.catalog.dependents(name, installed)
        blocking = [d for d in dependents if not self.catalog[d].auto_install]
        if blocking:
            raise AddonError(
                f"cannot uninstall {name}: installed addons depend on it: {', '.join(blocking)} "
                "(uninstall them first)"
            )
        if purge_data:
            purged_state = [n for n, s in states.items() if s.state == DEACTIVATED]
            data_dependents = [
                d for d in self.catalog.dependents(name, purged_state) if d != name
            ]
            if data_dependents:
                raise AddonError(
                    f"cannot purge {name}: addons that depend on it still keep data: "
                    f"{', '.join(data_dependents)} (purge them first)"
                )
        doomed = dependents + [name]
        return self._removal_steps(connection, doomed, "", purge_data=purge_data, states=states)

    def _code_missing_uninstall_steps(self, row: AddonState, purge_data: bool) -> list[Step]:
        """An addon whose code is gone can only be marked deactivated; its data stays."""
        if purge_data:
            raise AddonError(
                f"cannot purge {row.name}: its code is missing, and its migrations, which drop its tables, "
                f"went with it; reinstall its package to purge it"
                + (", or uninstall it without --purge to deactivate it" if row.state == INSTALLED else "")
            )
        if row.state == DEACTIVATED:
            raise AddonError(f"{row.name} is not installed (its data is kept; its code is missing)")
        return [Step(DEACTIVATE, row.name, row.version, "its code is missing")]

    def _upgrade_steps(self, connection, names: list[str]) -> list[Step]:
        self.catalog.resolve(names)
        steps = []
        core_pending = self.migrations.pending(connection, CORE)
        if core_pending:
            steps.append(Step(UPGRADE, CORE, migrations=tuple(core_pending)))
        states = self.states(connection)
        installed = self.installed(connection)
        for name in names or installed:
            if name not in installed:
                raise AddonError(f"{name} is not installed")
            row = states[name]
            if self._needs_upgrade(connection, name, row):
                steps.append(
                    Step(UPGRADE, name, self.catalog[name].version, f"from {row.version}",
                         tuple(self.migrations.pending(connection, name)))
                )
        return steps

    def _addition_steps(self, connection, desired: list[str], asked: list[str]) -> list[Step]:
        states = self.states(connection)
        steps = []
        for name in desired:
            row = states.get(name)
            if row is not None and row.state == INSTALLED:
                continue
            manifest = self.catalog[name]
            if name in asked:
                reason = ""
            elif manifest.auto_install:
                reason = "bridge between " + ", ".join(manifest.depends)
            else:
                needers = [n for n in desired if name in self.catalog.resolve([n])[:-1]]
                reason = "required by " + ", ".join(needers)
            if row is not None and self._code_is_older(name, row):
                raise AddonError(
                    f"cannot install {name} again: its kept data is from version {row.version} but the code is "
                    f"version {manifest.version}, older than the database; install version {row.version} "
                    "or newer of its code"
                )
            action = REACTIVATE if row is not None else INSTALL
            steps.append(
                Step(action, name, manifest.version, reason, tuple(self.migrations.pending(connection, name)))
            )
        return steps

    def _removal_steps(self, connection, names, reason, purge_data=False, states=None) -> list[Step]:
        states = states or self.states(connection)
        order = [n for n in reversed(self.catalog.resolve(names)) if n in names]
        if not purge_data:
            return [Step(DEACTIVATE, name, states[name].version, reason) for name in order]
        return [Step(PURGE, name, states[name].version, reason, drops=drops)
                for name, drops in zip(order, purge.dry_runs(connection, self.migrations, order), strict=True)]

    # --- carrying out ----------------------------------------------------------------------

    def run(self, plan: Plan, backup_dir=None, config_write=None) -> list[str]:
        """Carry out ``plan`` in one transaction; return the paths of backups written.

        ``config_write``, the staged :class:`~core.config.EnabledAddonsWrite`
        the caller commits afterwards, is recorded in the same transaction, so
        that the next command notices if it never reaches the file (see
        :mod:`core.lifecycle.intent`).
        """
        if not plan:
            return []
        backups: list[str] = []
        with migration_transaction(self.engine) as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            self._check_plan_current(connection, plan)
            for step in plan.steps:
                try:
                    backup = self._run_step(connection, step, backup_dir)
                except BottegaError:
                    raise
                except Exception as exc:
                    raise AddonError(
                        f"{step.describe()} failed: {_reason(exc)}; the database was left as it was"
                    ) from exc
                if backup:
                    backups.append(backup)
                log_addon_step(connection, step.action, step.addon, step.describe())
            # addons that keep encrypted fields need the keys: refused here, before anything is committed
            encrypted_columns.check_keys(connection, build_registry(self.catalog, self.installed(connection)).models)
            if config_write is not None and config_write.changed:
                intent.record(connection, config_write.path, config_write.before, config_write.enabled)
        return backups

    def restore_memberships(self, memberships: purge.Memberships) -> purge.RestoredMemberships:
        """Give the users a purge backup names their groups of its addon back (the addon must be installed)."""
        if memberships.addon not in self.installed():
            raise AddonError(f"{memberships.source} is a backup of {memberships.addon}, which is not installed")
        with migration_transaction(self.engine) as connection:
            return purge.restore_memberships(connection, memberships)

    def lost_config_write(self, path, in_file) -> intent.LostWrite | None:
        """The change of ``[addons] enabled`` the last command could not get into ``path``, if any."""
        return intent.lost_write(self.engine, path, in_file, self.installed())

    def forget_config_write(self, path) -> None:
        intent.forget(self.engine, path)

    def _check_plan_current(self, connection, plan: Plan) -> None:
        """Refuse to act on a plan computed before someone else changed the database."""
        states = self.states(connection)
        for step in plan.steps:
            row = states.get(step.addon)
            expected = {
                INSTALL: row is None,
                REACTIVATE: row is not None and row.state == DEACTIVATED,
                UPGRADE: step.addon == CORE or (row is not None and row.state == INSTALLED),
                DEACTIVATE: row is not None and row.state == INSTALLED,
                PURGE: row is not None,
            }[step.action]
            if not expected:
                raise AddonError("the installed addons changed since this plan was made; plan again")

    def _run_step(self, connection, step: Step, backup_dir) -> str | None:
        if step.action in (INSTALL, REACTIVATE, UPGRADE):
            kept = self.states(connection).get(step.addon)
            previous_version = kept.version if kept is not None else None
            self.migrations.upgrade(connection, step.addon)
            if step.addon != CORE:
                self._set_state(connection, step.addon, INSTALLED, self.catalog[step.addon].version)
            try:
                set_up(connection, build_registry(self.catalog, self.installed(connection)), step.addon,
                       previous_version)
            except Exception as exc:
                raise AddonError(f"{step.describe()} failed while setting up its data: {_reason(exc)}; "
                                 "the database was left as it was") from exc
            return None
        if step.action == DEACTIVATE:
            self._set_state(connection, step.addon, DEACTIVATED)
            return None
        path = purge.backup(connection, step.drops, backup_dir) if step.drops.has_data else None
        self.migrations.downgrade_to_base(connection, step.addon)
        connection.execute(delete(AddonState).where(AddonState.name == step.addon))
        purge.drop_groups(connection, step.addon)
        return path

    def _set_state(self, connection, name: str, state: str, version: str | None = None) -> None:
        with Session(bind=connection) as session:
            row = session.get(AddonState, name) or AddonState(name=name)
            row.state = state
            if version is not None:
                row.version = version
            session.add(row)
            session.flush()


def _reason(exc: Exception) -> str:
    """Why a step failed, in one line: a user's error as it is, anything else with its type."""
    if isinstance(exc, BottegaError):
        return str(exc)
    return f"{type(exc).__name__}: {first_line(exc)}"
