"""Alembic glue: one environment, one ``alembic_version`` table, one labelled branch per addon.

The core's branch is labelled ``core`` and lives in ``core/migrations/versions``;
each addon's branch is labelled with the addon's name and lives in the folder its
manifest names. An addon's base revision ``depends_on`` the base revisions of
the core and of the addons in its manifest's ``depends``.

Revisions whose scripts are gone (an addon whose package was removed) may stay
in ``alembic_version``. Alembic cannot work with them, and they hide what they
depend on: Alembic stores only heads, so once ``notes`` (depending on the base
of ``contacts``) is applied, the ``contacts`` base is no longer stored. Reading
tolerates them (:meth:`Migrations.unknown_revisions`), and what they hide is
recovered from ``core_addon``: a recorded branch none of whose revisions is
reachable from the known heads is applied up to its base, the revision other
branches depend on. Changing the database sets them aside for the duration of
the Alembic command (:meth:`Migrations._known_heads_only`) and puts them back.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy import Column, Connection, MetaData, String, Table, inspect, select

from core.catalog import Catalog
from core.errors import AddonError
from core.models import AddonState

CORE_MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
CORE_BRANCH = "core"
VERSION_TABLE = Table("alembic_version", MetaData(), Column("version_num", String(32), primary_key=True))


@dataclass(frozen=True)
class Migration:
    revision: str
    message: str

    def __str__(self) -> str:
        return f"{self.revision} {self.message}"


class Migrations:
    """The migration scripts of the core and of every addon in ``catalog``."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        locations = [str(CORE_MIGRATIONS / "versions")]
        for manifest in catalog.values():
            if manifest.migrations_dir is not None:
                locations.append(str(manifest.migrations_dir))
        self.config = AlembicConfig()
        self.config.set_main_option("script_location", str(CORE_MIGRATIONS))
        self.config.set_main_option("path_separator", "os")
        self.config.set_main_option("version_locations", os.pathsep.join(locations))
        self.script = ScriptDirectory.from_config(self.config)

    # --- reading the scripts ---------------------------------------------------------

    def has_branch(self, branch: str) -> bool:
        return self._branch_head(branch) is not None

    def _branch_head(self, branch: str) -> Script | None:
        try:
            return self.script.get_revision(f"{branch}@head")
        except Exception:
            return None

    def branch_revisions(self, branch: str) -> list[Script]:
        """The branch's revisions, oldest first (branches are linear: one head each)."""
        revisions = []
        current = self._branch_head(branch)
        while current is not None:
            revisions.append(current)
            down = current.down_revision
            if isinstance(down, tuple):
                raise AddonError(f"branch {branch}: revision {current.revision} merges several revisions")
            current = self.script.get_revision(down) if down else None
        return list(reversed(revisions))

    def base_revision(self, branch: str) -> str | None:
        revisions = self.branch_revisions(branch)
        return revisions[0].revision if revisions else None

    # --- reading the database --------------------------------------------------------

    def knows(self, revision: str) -> bool:
        return self._script(revision) is not None

    def _script(self, revision: str) -> Script | None:
        try:
            return self.script.get_revision(revision)
        except Exception:  # alembic raises CommandError / ResolutionError for unknown ids
            return None

    def _stored(self, connection: Connection) -> tuple[list[str], list[str]]:
        """The revisions stored in ``alembic_version``: (known, unknown to these scripts)."""
        heads = MigrationContext.configure(connection).get_current_heads()
        known = [h for h in heads if self.knows(h)]
        return known, sorted(h for h in heads if h not in known)

    def unknown_revisions(self, connection: Connection) -> list[str]:
        """Revisions the database records but no script here provides (their code is gone)."""
        return self._stored(connection)[1]

    def _ancestry(self, revisions: Iterable[str]) -> set[str]:
        seen: set[str] = set()
        pending = list(revisions)
        while pending:
            revision = self._script(pending.pop())
            if revision is None or revision.revision in seen:
                continue
            seen.add(revision.revision)
            pending.extend(_as_tuple(revision.down_revision) + _as_tuple(revision.dependencies))
        return seen

    def _hidden_bases(self, connection: Connection, reachable: set[str]) -> list[str]:
        """Bases of recorded branches that only a revision of unknown code still stands for."""
        branches = [CORE_BRANCH]
        if inspect(connection).has_table(AddonState.__tablename__):
            branches += list(connection.scalars(select(AddonState.name).order_by(AddonState.name)))
        hidden = []
        for branch in branches:
            try:
                revisions = [r.revision for r in self.branch_revisions(branch)]
            except AddonError:
                continue
            if revisions and not reachable.intersection(revisions):
                hidden.append(revisions[0])
        return hidden

    def applied(self, connection: Connection) -> set[str]:
        """Every known revision applied in the database: the stored heads and all their ancestors."""
        known, unknown = self._stored(connection)
        seen = self._ancestry(known)
        if unknown:
            seen |= self._ancestry(self._hidden_bases(connection, seen))
        return seen

    def pending(self, connection: Connection, branch: str) -> list[Migration]:
        applied = self.applied(connection)
        return [
            Migration(r.revision, r.doc.splitlines()[0] if r.doc else "")
            for r in self.branch_revisions(branch)
            if r.revision not in applied
        ]

    def is_applied(self, connection: Connection, branch: str) -> bool:
        base = self.base_revision(branch)
        return base is not None and base in self.applied(connection)

    # --- changing the database -------------------------------------------------------

    def upgrade(self, connection: Connection, branch: str) -> None:
        if self._branch_head(branch) is None:
            return
        with self._known_heads_only(connection):
            self.config.attributes["connection"] = connection
            command.upgrade(self.config, f"{branch}@head")

    def downgrade_to_base(self, connection: Connection, branch: str) -> None:
        if not self.is_applied(connection, branch):
            return
        with self._known_heads_only(connection):
            self.config.attributes["connection"] = connection
            command.downgrade(self.config, f"{branch}@base")

    @contextmanager
    def _known_heads_only(self, connection: Connection) -> Iterator[None]:
        """Run an Alembic command as if the revisions of unknown code were not stored.

        Inside the caller's transaction: the unknown rows are replaced by the
        bases they hide, and put back afterwards (and the hidden bases, if
        still stored, removed again). On an error the caller rolls back.
        """
        known, unknown = self._stored(connection)
        if not unknown:
            yield
            return
        hidden = [r for r in self._hidden_bases(connection, self._ancestry(known)) if r not in known]
        table = VERSION_TABLE
        for revision in unknown:
            connection.execute(table.delete().where(table.c.version_num == revision))
        for revision in hidden:
            connection.execute(table.insert().values(version_num=revision))
        yield
        stored = set(MigrationContext.configure(connection).get_current_heads())
        for revision in hidden:
            if revision in stored:
                connection.execute(table.delete().where(table.c.version_num == revision))
        for revision in unknown:
            connection.execute(table.insert().values(version_num=revision))


def _as_tuple(value) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)
