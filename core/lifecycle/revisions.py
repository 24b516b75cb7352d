"""Writing new migrations for a branch (``bottega dev revision``), for addon developers.

Autogenerate compares a scratch SQLite database, upgraded to every branch's
head, with the models of one addon only, so the new script touches only that
addon's tables and needs no database of the developer's.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command

from core.catalog import Catalog
from core.db import Base, make_engine
from core.errors import AddonError
from core.registry import CORE, build_registry

from .migrations import CORE_MIGRATIONS, Migrations


def owned_tables(catalog: Catalog, branch: str) -> set[str]:
    """Names of the tables the branch's models map, with their association tables."""
    addons = [] if branch == CORE else [branch]
    registry = build_registry(catalog, catalog.resolve(addons))
    return {table.name for table in registry.tables_of(branch)}


def _branch_folder_and_depends(catalog: Catalog, branch: str) -> tuple[Path, list[str]]:
    if branch == CORE:
        return CORE_MIGRATIONS / "versions", []
    if branch not in catalog:
        raise AddonError(f"unknown addon {branch!r}")
    manifest = catalog[branch]
    if manifest.package_dir is None:
        raise AddonError(f"addon {branch}: its package folder is unknown")
    folder = manifest.package_dir / manifest.migrations
    folder.mkdir(parents=True, exist_ok=True)
    bases = Migrations(catalog)
    depends = [bases.base_revision(d) for d in (CORE, *manifest.depends)]
    if None in depends:
        raise AddonError(f"addon {branch}: a dependency has no migrations yet")
    return folder, depends


def upgrade_every_branch(catalog: Catalog, migrations: Migrations, connection) -> None:
    """Bring an empty database to every branch's head, branch by branch with dependencies first, as installing
    does: Alembic's upgrade of all heads at once trips over a branch that several others depend on (a KeyError
    in its bookkeeping of heads)."""
    for name in (CORE, *catalog.resolve(list(catalog))):
        migrations.upgrade(connection, name)


def new_revision(catalog: Catalog, branch: str, message: str, autogenerate: bool) -> str:
    folder, depends = _branch_folder_and_depends(catalog, branch)
    migrations = Migrations(catalog)
    new_branch = not migrations.has_branch(branch)
    tables = owned_tables(catalog, branch)
    config = migrations.config
    config.attributes["target_metadata"] = Base.metadata
    config.attributes["include_object"] = lambda obj, name, type_, reflected, compare_to: (
        name in tables if type_ == "table" else getattr(getattr(obj, "table", None), "name", None) in tables
    )
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{Path(scratch) / 'scratch.db'}")
        try:
            with engine.begin() as connection:
                upgrade_every_branch(catalog, migrations, connection)
                config.attributes["connection"] = connection
                script = command.revision(
                    config,
                    message=f"{branch}: {message}",
                    autogenerate=autogenerate,
                    head="base" if new_branch else f"{branch}@head",
                    branch_label=branch if new_branch else None,
                    version_path=str(folder),
                    depends_on=depends if new_branch and depends else None,
                )
        finally:
            engine.dispose()
    return script.path
