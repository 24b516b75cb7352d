"""An addon from another distribution (tests/sample_addon) is discovered, installed and removed like ours."""
from importlib.metadata import distribution
from pathlib import Path

from click.testing import CliRunner

from core.catalog import Catalog
from core.cli import Context, cli

from .lifecycle_helpers import execute, tables, write_config


def run(config, *args):
    return CliRunner().invoke(cli, ["--config", str(config), *args], obj=Context(catalog=Catalog.discover()))


def test_discovered_addon_installs_adds_its_command_and_purges_cleanly(tmp_path, initialized_url):
    config = write_config(tmp_path, initialized_url)
    manifest = Catalog.discover()["notes"]
    installed = distribution("bottega-notes")
    assert [(ep.group, ep.name) for ep in installed.entry_points] == [("bottega.addons", "notes")]
    package = Path(installed.locate_file("bottega_notes")).resolve()
    assert manifest.package_dir.resolve() == package
    assert manifest.migrations_dir is not None and manifest.migrations_dir.resolve() == package / "migrations/versions"
    assert any(manifest.migrations_dir.glob("*.py"))

    assert run(config, "notes").exit_code == 2  # not installed: no command

    result = run(config, "addons", "install", "notes")
    assert result.exit_code == 0, result.output
    assert "install contacts 0.1.0 (required by notes)" in result.output
    assert "notes_note" in tables(initialized_url)
    execute(initialized_url, "INSERT INTO contacts_partner (name, is_company, active, company_id, created_at,"
                             " updated_at) VALUES ('P', false, true, 1, '2026-01-01', '2026-01-01')")
    execute(initialized_url, "INSERT INTO notes_note (partner_id, body, company_id, created_at, updated_at)"
                             " VALUES (1, 'called', 1, '2026-01-01', '2026-01-01')")
    counted = run(config, "notes")
    assert (counted.exit_code, counted.output) == (0, "1\n")
    assert "notes" in run(config, "--help").output

    purged = run(config, "addons", "uninstall", "notes", "--purge", "--yes", "--backup-dir", str(tmp_path))
    assert purged.exit_code == 0, purged.output
    assert "drops table notes_note (1 rows)" in purged.output
    assert "notes_note" not in tables(initialized_url)
    assert "contacts_partner" in tables(initialized_url)
    assert run(config, "notes").exit_code == 2
