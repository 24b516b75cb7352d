"""Alembic glue: one environment, one ``alembic_version`` table, one labelled branch per addon.

The core's branch is labelled ``core`` and lives in ``core/migrations/versions``;
each addon's branch is labelled with the addon's name and lives in the folder its
manifest names. An addon's base revision ``depends_on`` the base revisions of
the core and of the addons in its manifest's ``depends``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy import Connection

from core.catalog import Catalog
from core.errors import AddonError

CORE_MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
CORE_BRANCH = "core"


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

    def applied(self, connection: Connection) -> set[str]:
        """Every revision applied in the database: the stored heads and all their ancestors."""
        heads = MigrationContext.configure(connection).get_current_heads()
        seen: set[str] = set()
        pending = list(heads)
        while pending:
            revision = self.script.get_revision(pending.pop())
            if revision is None or revision.revision in seen:
                continue
            seen.add(revision.revision)
            for parent in _as_tuple(revision.down_revision) + _as_tuple(revision.dependencies):
                pending.append(self.script.get_revision(parent).revision)
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
        self.config.attributes["connection"] = connection
        command.upgrade(self.config, f"{branch}@head")

    def downgrade_to_base(self, connection: Connection, branch: str) -> None:
        if not self.is_applied(connection, branch):
            return
        self.config.attributes["connection"] = connection
        command.downgrade(self.config, f"{branch}@base")


def _as_tuple(value) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)
