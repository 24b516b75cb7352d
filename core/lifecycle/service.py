"""Installing, upgrading and uninstalling addons: the service the CLI and the web UI share.

Every change is first computed as a :class:`Plan` (what will happen, in
order, with the migrations to run) and then carried out by :meth:`Lifecycle.run`
on one connection inside one transaction: the plan is computed again inside
that transaction and must match what was shown, the migrations run, the
installed-addon records and the declared groups are brought in step, and the
registry of the resulting set of addons is built. If anything fails, the
transaction is rolled back and the database is as it was (PostgreSQL and
SQLite both roll back DDL; see core.db.make_engine).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, delete, select, text
from sqlalchemy.orm import Session

from core.catalog import Catalog
from core.errors import AddonError, BottegaError
from core.manifest import parse_version
from core.models import AddonState
from core.models.addon import DEACTIVATED, INSTALLED
from core.models.user import Group as GroupRow
from core.registry import CORE, Registry, build_registry

from . import purge
from .database import first_line, migration_transaction, require_initialized
from .migrations import Migration, Migrations

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
    removed = {step.addon for step in plan.steps if step.action in (DEACTIVATE, PURGE)}
    return sorted((set(enabled) | set(asked)) - removed)


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
        if connection is None:
            require_initialized(self.engine)
            with self.engine.connect() as connection:
                return self.installed(connection)
        names = [n for n, s in self.states(connection).items() if s.state == INSTALLED and n in self.catalog]
        return self.catalog.resolve(names)

    def status(self) -> list[AddonStatus]:
        require_initialized(self.engine)
        with self.engine.connect() as connection:
            states = self.states(connection)
            result = []
            for name in sorted(self.catalog):
                manifest = self.catalog[name]
                row = states.get(name)
                if row is None:
                    state = "not installed"
                elif row.state == DEACTIVATED:
                    state = "not installed (data kept)"
                elif self._needs_upgrade(connection, name, row):
                    state = "upgrade available"
                else:
                    state = "installed"
                result.append(
                    AddonStatus(name, manifest.version, row.version if row and row.state == INSTALLED else None,
                                state, manifest.depends, manifest.summary)
                )
            return result

    def registry(self) -> Registry:
        return build_registry(self.catalog, self.installed())

    def _needs_upgrade(self, connection: Connection, name: str, row: AddonState) -> bool:
        return parse_version(self.catalog[name].version) > parse_version(row.version) or bool(
            self.migrations.pending(connection, name)
        )

    # --- planning ------------------------------------------------------------------------

    def plan_apply(self, enabled: Iterable[str]) -> Plan:
        """Make the installed set equal the enabled addons, their dependencies and bridges."""
        enabled = list(enabled)
        return self._plan(lambda c: self._apply_steps(c, enabled))

    def plan_install(self, names: Iterable[str]) -> Plan:
        names = list(names)
        return self._plan(lambda c: self._install_steps(c, names))

    def plan_uninstall(self, name: str, purge_data: bool = False) -> Plan:
        return self._plan(lambda c: self._uninstall_steps(c, name, purge_data))

    def plan_upgrade(self, names: Iterable[str] = ()) -> Plan:
        names = list(names)
        return self._plan(lambda c: self._upgrade_steps(c, names))

    def _plan(self, make_steps) -> Plan:
        require_initialized(self.engine)
        with migration_transaction(self.engine, commit=False) as connection:
            return Plan(tuple(make_steps(connection)))

    def _apply_steps(self, connection, enabled: list[str]) -> list[Step]:
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
        self.catalog.resolve([name])
        states = self.states(connection)
        installed = self.installed(connection)
        row = states.get(name)
        if row is None:
            raise AddonError(f"{name} is not installed")
        if row.state == DEACTIVATED and not purge_data:
            raise AddonError(f"{name} is not installed (its data is kept; add --purge to drop it)")
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

    def _upgrade_steps(self, connection, names: list[str]) -> list[Step]:
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
            action = REACTIVATE if row is not None else INSTALL
            steps.append(
                Step(action, name, manifest.version, reason, tuple(self.migrations.pending(connection, name)))
            )
        return steps

    def _removal_steps(self, connection, names, reason, purge_data=False, states=None) -> list[Step]:
        states = states or self.states(connection)
        order = [n for n in reversed(self.catalog.resolve(names)) if n in names]
        steps = []
        for name in order:
            if purge_data:
                drops = purge.dry_run(connection, self.migrations, name)
                steps.append(Step(PURGE, name, states[name].version, reason, drops=drops))
            else:
                steps.append(Step(DEACTIVATE, name, states[name].version, reason))
        return steps

    # --- carrying out ----------------------------------------------------------------------

    def run(self, plan: Plan, backup_dir=None) -> list[str]:
        """Carry out ``plan`` in one transaction; return the paths of backups written."""
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
                        f"{step.describe()} failed: {type(exc).__name__}: {first_line(exc)}; "
                        "the database was left as it was"
                    ) from exc
                if backup:
                    backups.append(backup)
            registry = build_registry(self.catalog, self.installed(connection))
            self.sync_groups(connection, registry)
        return backups

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
            self.migrations.upgrade(connection, step.addon)
            if step.addon != CORE:
                self._set_state(connection, step.addon, INSTALLED, self.catalog[step.addon].version)
            return None
        if step.action == DEACTIVATE:
            self._set_state(connection, step.addon, DEACTIVATED)
            return None
        path = purge.backup(connection, step.drops, backup_dir) if step.drops.has_data else None
        self.migrations.downgrade_to_base(connection, step.addon)
        with Session(bind=connection) as session:
            session.execute(delete(AddonState).where(AddonState.name == step.addon))
            session.execute(delete(GroupRow).where(GroupRow.addon == step.addon))
            session.flush()
        return path

    def _set_state(self, connection, name: str, state: str, version: str | None = None) -> None:
        with Session(bind=connection) as session:
            row = session.get(AddonState, name) or AddonState(name=name)
            row.state = state
            if version is not None:
                row.version = version
            session.add(row)
            session.flush()

    @staticmethod
    def sync_groups(connection, registry: Registry) -> None:
        """Create or relabel the rows of the groups the installed addons declare."""
        with Session(bind=connection) as session:
            existing = {g.key: g for g in session.scalars(select(GroupRow))}
            for key, (addon, group) in registry.groups.items():
                row = existing.get(key) or GroupRow(key=key)
                row.label = group.label
                row.addon = addon
                session.add(row)
            session.flush()
