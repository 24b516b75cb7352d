"""The addon contract, checked for every addon discovered through entry points.

For each addon: its manifest resolves; its Alembic branch has one head,
labelled with its name, depending on the core's and its dependencies' bases;
its migrations produce exactly its models (autogenerate finds no difference)
and write no row (setup data comes from its after_install hook); and
install -> uninstall --purge -> install leaves the schema identical.
"""
import pytest
from sqlalchemy import func, inspect, select, table

from core.catalog import Catalog
from core.lifecycle import Lifecycle
from core.lifecycle.database import migration_transaction
from core.lifecycle.migrations import Migrations
from core.registry import CORE, build_registry
from core.testing import initialized_database, schema_differences

ADDONS = sorted(Catalog.discover())


def test_in_tree_and_third_party_addons_are_discovered():
    assert {"contacts", "notes"} <= set(ADDONS)


@pytest.mark.parametrize("name", ADDONS)
def test_branch_is_labelled_linear_and_depends_like_the_manifest(catalog, name):
    migrations = Migrations(catalog)
    revisions = migrations.branch_revisions(name)
    if not revisions:
        assert not build_registry(catalog, catalog.resolve([name])).models_by_addon[name]
        return
    labelled = [r for r in migrations.script.walk_revisions() if name in r.branch_labels]
    assert sorted(r.revision for r in labelled) == sorted(r.revision for r in revisions), "branch is not linear"
    base = revisions[0]
    assert name in base.branch_labels
    expected = {migrations.base_revision(dep) for dep in (CORE, *catalog[name].depends)} - {None}
    depends_on = base.dependencies or ()
    assert set([depends_on] if isinstance(depends_on, str) else depends_on) == expected


def _schema(engine) -> dict:
    with engine.connect() as connection:
        inspector = inspect(connection)
        return {
            table: {
                "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
                "pk": inspector.get_pk_constraint(table)["constrained_columns"],
                "fks": sorted((fk["name"] or "", tuple(fk["constrained_columns"]), fk["referred_table"])
                              for fk in inspector.get_foreign_keys(table)),
                "indexes": sorted((ix["name"], tuple(ix["column_names"]), bool(ix["unique"]))
                                  for ix in inspector.get_indexes(table)),
                "uniques": sorted((uq["name"] or "", tuple(uq["column_names"]))
                                  for uq in inspector.get_unique_constraints(table)),
            }
            for table in sorted(inspector.get_table_names())
        }


@pytest.mark.parametrize("name", ADDONS)
def test_migrations_produce_exactly_the_models_and_purge_then_install_is_identical(databases, catalog, name):
    engine = initialized_database(databases.new(), catalog, [name])
    try:
        lifecycle = Lifecycle(engine, catalog)
        registry = lifecycle.registry()
        assert schema_differences(engine, registry) == []
        installed_schema = _schema(engine)

        # a bridge comes and goes with its sides: purge and install again its last side
        side = catalog[name].depends[-1] if catalog[name].auto_install else name
        lifecycle.run(lifecycle.plan_uninstall(side, purge_data=True))
        purged = _schema(engine)
        assert not any(table.startswith(f"{name}_") for table in purged)

        lifecycle.run(lifecycle.plan_install([side]))
        assert _schema(engine) == installed_schema
    finally:
        engine.dispose()


def _row_counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {name: connection.scalar(select(func.count()).select_from(table(name)))
                for name in inspect(connection).get_table_names() if name != "alembic_version"}


def test_migrations_change_the_schema_only(databases, catalog):
    """Every addon's migrations, run without the lifecycle's setup, leave every table's row count as it was."""
    engine = initialized_database(databases.new(), catalog)
    try:
        before = _row_counts(engine)
        migrations = Migrations(catalog)
        with migration_transaction(engine) as connection:
            for name in ADDONS:
                migrations.upgrade(connection, name)
        written = {name: count for name, count in _row_counts(engine).items() if count != before.get(name, 0)}
        assert written == {}
    finally:
        engine.dispose()


@pytest.mark.parametrize("name", ADDONS)
def test_every_model_has_access_and_prefixed_table(catalog, name):
    registry = build_registry(catalog, catalog.resolve([name]))
    for model in registry.models_by_addon[name]:
        assert model.__tablename__.startswith(f"{name}_")
        assert registry.access.get(model), f"{model.__name__} has no access declaration"

