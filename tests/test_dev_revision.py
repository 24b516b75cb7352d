"""`bottega dev revision` autogenerates against a scratch database brought to every branch's head.

Alembic's own upgrade of all heads at once failed there about two runs in
three (it depends on the process's hash seed) with a KeyError on the core's
base revision, which every addon's base depends on.
"""
from core.catalog import Catalog
from core.db import make_engine
from core.lifecycle.migrations import Migrations
from core.lifecycle.revisions import upgrade_every_branch


def test_the_scratch_database_reaches_every_head_even_where_branches_share_dependencies(tmp_path):
    catalog = Catalog.discover()
    migrations = Migrations(catalog)
    engine = make_engine(f"sqlite:///{tmp_path / 'scratch.db'}")
    try:
        with engine.begin() as connection:
            upgrade_every_branch(catalog, migrations, connection)
            applied = migrations.applied(connection)
    finally:
        engine.dispose()
    assert set(migrations.script.get_heads()) <= applied
