"""Writing new migrations for a branch (``bottega dev revision``), for addon developers.

Autogenerate compares a database upgraded to every head with the models of
one addon only, so the new script touches only that addon's tables.
"""
from __future__ import annotations

from alembic import command
from sqlalchemy import Engine

from core.catalog import Catalog
from core.db import Base
from core.errors import AddonError
from core.registry import CORE, build_registry

from .migrations import CORE_MIGRATIONS, Migrations


def owned_tables(catalog: Catalog, branch: str) -> set[str]:
    """Names of the tables the branch's models map, with their association tables."""
    addons = [] if branch == CORE else [branch]
    registry = build_registry(catalog, catalog.resolve(addons))
    return {table.name for table in registry.tables_of(branch)}


def new_revision(engine: Engine, catalog: Catalog, branch: str, message: str, autogenerate: bool) -> str:
    if branch == CORE:
        version_path = CORE_MIGRATIONS / "versions"
        depends = []
        migrations = Migrations(catalog)
    else:
        if branch not in catalog:
            raise AddonError(f"unknown addon {branch!r}")
        manifest = catalog[branch]
        if manifest.package_dir is None:
            raise AddonError(f"addon {branch}: its package folder is unknown")
        version_path = manifest.package_dir / manifest.migrations
        version_path.mkdir(parents=True, exist_ok=True)
        migrations = Migrations(catalog)
        depends = [migrations.base_revision(d) for d in (CORE, *manifest.depends)]
        if None in depends:
            raise AddonError(f"addon {branch}: a dependency has no migrations yet")
    new_branch = not migrations.has_branch(branch)
    tables = owned_tables(catalog, branch)
    with engine.connect() as connection:
        config = migrations.config
        config.attributes["connection"] = connection
        config.attributes["target_metadata"] = Base.metadata
        config.attributes["include_object"] = lambda obj, name, type_, reflected, compare_to: (
            name in tables if type_ == "table" else getattr(getattr(obj, "table", None), "name", None) in tables
        )
        script = command.revision(
            config,
            message=f"{branch}: {message}",
            autogenerate=autogenerate,
            head="base" if new_branch else f"{branch}@head",
            branch_label=branch if new_branch else None,
            version_path=str(version_path),
            depends_on=depends if new_branch and depends else None,
        )
        connection.rollback()
    return script.path
