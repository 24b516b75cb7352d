"""``bottega dev scaffold``: the addon it writes installs, meets the addon contract and passes its own tests.

The scaffolded distribution is not pip-installed (too slow): its folder goes
on ``sys.path`` next to a ``.dist-info`` declaring its ``bottega.addons``
entry point, which is all that discovery reads.
"""
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

import tests.test_addon_contracts as contracts
from core.catalog import Catalog
from core.cli import Context, cli
from core.lifecycle import Lifecycle
from core.testing import initialized_database, schema_differences

NAME = "kit_scaffolded"


def scaffold(tmp_path, *args):
    return CliRunner().invoke(cli, ["dev", "scaffold", *args, "--dir", str(tmp_path)],
                              obj=Context(catalog=Catalog.discover()))


def register(distribution, name, site):
    """Make ``name`` importable and discovered, as ``pip install`` would."""
    info = site / f"bottega_{name}-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: bottega-{name}\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text(f"[bottega.addons]\n{name} = {name}\n")
    return os.pathsep.join((str(distribution), str(site)))


def test_the_scaffolded_addon_meets_the_addon_contract(tmp_path, monkeypatch, databases):
    result = scaffold(tmp_path, NAME, "--depends", "contacts")
    assert result.exit_code == 0, result.output
    distribution = tmp_path / NAME
    assert f"Created addon {NAME} in {distribution}" in result.output
    for path in register(distribution, NAME, tmp_path / "site").split(os.pathsep):
        monkeypatch.syspath_prepend(path)
    catalog = Catalog.discover()
    assert catalog[NAME].depends == ("contacts",)
    assert catalog[NAME].package_dir.resolve() == (distribution / NAME).resolve()

    contracts.test_branch_is_labelled_linear_and_depends_like_the_manifest(catalog, NAME)
    contracts.test_every_model_has_access_and_prefixed_table(catalog, NAME)
    contracts.test_migrations_produce_exactly_the_models_and_purge_then_install_is_identical(
        databases, catalog, NAME)

    engine = initialized_database(databases.new(), catalog, [NAME])
    try:
        registry = Lifecycle(engine, catalog).registry()
        assert [table.name for table in registry.tables_of(NAME)] == [f"{NAME}_item"]
        assert schema_differences(engine, registry, NAME) == []
        assert [key for key, (addon, _group) in registry.groups.items() if addon == NAME] == [f"{NAME}.group_user"]
        assert {item.id for item in registry.menu_items if item.id.startswith(NAME)} == {
            f"{NAME}.root", f"{NAME}.items"}
    finally:
        engine.dispose()


def test_the_scaffolded_addon_passes_its_own_tests(tmp_path):
    name = "kit_selftested"
    assert scaffold(tmp_path, name).exit_code == 0
    distribution = tmp_path / name
    environment = {**os.environ, "PYTHONPATH": register(distribution, name, tmp_path / "site")}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=distribution,
                         env=environment, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "4 passed" in run.stdout


@pytest.mark.parametrize("name, reason", [
    ("Bookings", "use a Python identifier in lower case"),
    ("room-booking", "use a Python identifier in lower case"),
    ("2rooms", "use a Python identifier in lower case"),
    ("lambda", "it is a Python keyword"),
    ("json", "it is a module of Python's standard library"),
    ("contacts", "an addon called contacts exists already"),
    ("notes", "an addon called notes exists already"),
    ("flask", "a Python package of that name is installed already"),
    ("a" * 31, "use at most 30 characters"),
])
def test_a_bad_name_is_refused_with_the_reason_and_nothing_is_written(tmp_path, name, reason):
    result = scaffold(tmp_path, name)
    assert result.exit_code == 2
    assert f"error: NAME {name!r}: {reason}" in result.output and "nothing was written" in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_or_an_unknown_dependency_is_refused_and_nothing_is_written(tmp_path):
    (tmp_path / "bookings").mkdir()
    (tmp_path / "bookings" / "mine.txt").write_text("keep me")
    taken = scaffold(tmp_path, "bookings")
    assert taken.exit_code == 2 and "bookings exists already; nothing was written" in taken.output
    unknown = scaffold(tmp_path, "rooms", "--depends", "warehousing")
    assert unknown.exit_code == 2 and "--depends: unknown addon(s) warehousing" in unknown.output
    assert sorted(path.name for path in tmp_path.rglob("*")) == ["bookings", "mine.txt"]
