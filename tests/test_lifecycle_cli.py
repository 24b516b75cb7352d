"""Install, upgrade and uninstall through the `bottega addons` commands, including bad input."""
import dataclasses
import json

import pytest

from core.catalog import Catalog

from .lifecycle_helpers import Bottega, execute, fixture_catalog, query, tables, write_config


@pytest.fixture
def bottega(tmp_path, initialized_url):
    def make(*addons, enabled=()):
        return Bottega(write_config(tmp_path, initialized_url, enabled), fixture_catalog(*addons))

    make.url = initialized_url
    return make


def states(url):
    return dict(query(url, "SELECT name, state FROM core_addon"))


def test_install_pulls_dependencies_and_bridges_and_updates_config(bottega):
    run = bottega("alpha", "beta", "bridge")
    result = run("addons", "install", "beta")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "1. install contacts 0.1.0 (required by alpha, beta, bridge)"
    assert lines[2] == "2. install alpha 1.0.0 (required by beta, bridge)"
    assert lines[3].strip() == "migration a1a1a1a1a1a1 alpha: items"
    assert "install beta 1.0.0" in result.output
    assert "install bridge 1.0.0 (bridge between alpha, beta)" in result.output
    assert states(bottega.url) == {n: "installed" for n in ("contacts", "alpha", "beta", "bridge")}
    assert 'enabled = ["beta"]' in run.config_path.read_text()
    assert run.config_path.read_text().startswith("# test config")


def test_list_shows_versions_states_and_dependencies(bottega):
    run = bottega("alpha", "beta")
    run("addons", "install", "alpha")
    lines = run("addons", "list").output.splitlines()
    assert lines[0].split() == ["ADDON", "VERSION", "INSTALLED", "STATE", "DEPENDS"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert rows["alpha"].split()[:4] == ["alpha", "1.0.0", "1.0.0", "installed"]
    assert rows["beta"].split()[:5] == ["beta", "1.0.0", "-", "not", "installed"]
    assert rows["beta"].endswith("alpha")


def test_plan_changes_nothing_and_apply_twice_does_nothing_the_second_time(bottega):
    run = bottega("alpha", enabled=["alpha"])
    planned = run("addons", "plan")
    assert planned.exit_code == 0
    assert planned.output.splitlines()[2] == "2. install alpha 1.0.0"
    assert "alpha_item" not in tables(bottega.url)
    assert run("addons", "apply").exit_code == 0
    assert "alpha_item" in tables(bottega.url)
    second = run("addons", "apply")
    assert second.exit_code == 0
    assert second.output.strip() == "Nothing to do: the database already matches."


def test_apply_uninstalls_what_the_config_no_longer_enables(bottega):
    run = bottega("alpha", enabled=["alpha"])
    run("addons", "apply")
    run.config_path.write_text(run.config_path.read_text().replace('enabled = ["alpha"]', "enabled = []"))
    result = run("addons", "apply")
    assert "1. uninstall alpha 1.0.0 (not enabled in the config, tables and data are kept)" in result.output
    assert states(bottega.url) == {"alpha": "deactivated", "contacts": "deactivated"}


def test_uninstall_is_refused_while_an_installed_addon_depends_on_it(bottega):
    run = bottega("alpha", "beta")
    run("addons", "install", "beta")
    result = run("addons", "uninstall", "contacts", "--yes")
    assert result.exit_code == 2
    assert "cannot uninstall contacts: installed addons depend on it: alpha, beta" in result.stderr
    assert states(bottega.url)["contacts"] == "installed"


def test_uninstall_removes_bridges_with_their_dependency(bottega):
    run = bottega("alpha", "beta", "bridge")
    run("addons", "install", "beta")
    result = run("addons", "uninstall", "beta", "--yes")
    assert result.exit_code == 0, result.output
    assert states(bottega.url)["bridge"] == "deactivated"
    assert states(bottega.url)["beta"] == "deactivated"
    assert states(bottega.url)["alpha"] == "installed"


def test_uninstall_keeps_data_and_install_brings_it_back(bottega):
    run = bottega("alpha")
    run("addons", "install", "alpha")
    execute(bottega.url, "INSERT INTO alpha_item (name, company_id) VALUES ('kept', 1)")
    result = run("addons", "uninstall", "alpha", "--yes")
    assert result.exit_code == 0, result.output
    assert 'enabled = []' in run.config_path.read_text()
    assert "not installed (data kept)" in run("addons", "list").output
    assert query(bottega.url, "SELECT name FROM alpha_item") == [("kept",)]
    again = run("addons", "install", "alpha")
    assert "install again alpha 1.0.0 (its kept tables and data come back)" in again.output
    assert query(bottega.url, "SELECT name FROM alpha_item") == [("kept",)]


def test_uninstall_asks_for_confirmation_and_no_changes_nothing(bottega):
    run = bottega("alpha")
    run("addons", "install", "alpha")
    result = run("addons", "uninstall", "alpha", input="n\n")
    assert result.exit_code == 1
    assert states(bottega.url)["alpha"] == "installed"


def test_purge_writes_a_backup_then_drops_only_that_addons_tables(bottega, tmp_path):
    run = bottega("alpha")
    run("addons", "install", "alpha")
    execute(bottega.url, "INSERT INTO contacts_partner (name, is_company, active, company_id, created_at, updated_at)"
                         " VALUES ('Kept partner', true, true, 1, '2026-01-01', '2026-01-01')")
    execute(bottega.url, "INSERT INTO alpha_item (name, company_id) VALUES ('doomed', 1)")
    backups = tmp_path / "backups"
    result = run("addons", "uninstall", "alpha", "--purge", "--yes", "--backup-dir", str(backups))
    assert result.exit_code == 0, result.output
    assert "uninstall and DROP the data of alpha 1.0.0" in result.output
    assert "drops table alpha_item (1 rows)" in result.output
    [backup] = backups.glob("alpha-*.json")
    content = json.loads(backup.read_text())
    assert [row["name"] for row in content["tables"]["alpha_item"]] == ["doomed"]
    assert "alpha_item" not in tables(bottega.url)
    assert query(bottega.url, "SELECT name FROM contacts_partner") == [("Kept partner",)]
    assert "alpha" not in states(bottega.url)


def test_a_migration_failing_halfway_leaves_the_database_as_it_was(bottega):
    run = bottega("broken")
    run("addons", "install", "contacts")
    execute(bottega.url, "INSERT INTO contacts_partner (name, is_company, active, company_id, city, created_at,"
                         " updated_at) VALUES ('P', false, true, 1, 'Rome', '2026-01-01', '2026-01-01')")
    before_tables = tables(bottega.url)
    before_versions = query(bottega.url, "SELECT version_num FROM alembic_version ORDER BY 1")
    result = run("addons", "install", "broken")
    assert result.exit_code == 2
    assert "install broken 1.0.0 failed: RuntimeError: boom halfway through the migration" in result.stderr
    assert "the database was left as it was" in result.stderr
    assert "Traceback" not in result.output
    assert tables(bottega.url) == before_tables
    assert query(bottega.url, "SELECT city FROM contacts_partner") == [("Rome",)]
    assert query(bottega.url, "SELECT version_num FROM alembic_version ORDER BY 1") == before_versions
    assert "broken" not in states(bottega.url)
    assert '"broken"' not in run.config_path.read_text()


def test_a_dependency_cycle_is_a_one_line_error(bottega):
    run = bottega("cycle_a", "cycle_b")
    result = run("addons", "install", "cycle_a")
    assert result.exit_code == 2
    assert result.stderr == "error: dependency cycle: cycle_a -> cycle_b -> cycle_a\n"


def test_a_missing_dependency_names_the_chain(bottega):
    run = bottega("orphan")
    result = run("addons", "install", "orphan")
    assert result.exit_code == 2
    assert result.stderr == "error: missing dependency: orphan -> ghost ('ghost' is not a known addon)\n"
    assert "orphan" not in states(bottega.url)


def test_an_unknown_addon_in_the_config_is_rejected_with_file_and_key(bottega):
    run = bottega("alpha", enabled=["alpha", "nope"])
    result = run("addons", "apply")
    assert result.exit_code == 2
    assert f"{run.config_path}: [addons] enabled: unknown addon 'nope'" in result.stderr
    assert "alpha" not in states(bottega.url)


def test_an_unknown_addon_on_the_command_line_is_rejected(bottega):
    result = bottega("alpha")("addons", "install", "nope")
    assert result.exit_code == 2
    assert result.stderr == "error: unknown addon 'nope' (known: alpha, contacts)\n"


def test_an_unreachable_database_is_a_clear_error(tmp_path):
    run = Bottega(write_config(tmp_path, "postgresql+psycopg://bottega:secret@127.0.0.1:1/nowhere"),
                  fixture_catalog())
    result = run("addons", "list")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot connect to database postgresql+psycopg://bottega:***@127.0.0.1:1/nowhere")
    assert "secret" not in result.stderr


def test_an_uninitialized_database_asks_for_init(tmp_path, fresh_url):
    result = Bottega(write_config(tmp_path, fresh_url), fixture_catalog())("addons", "plan")
    assert result.exit_code == 2
    assert "is not initialized: run `bottega init`" in result.stderr


def test_init_creates_admin_and_applies_the_config_and_refuses_to_run_twice(tmp_path, fresh_url):
    run = Bottega(write_config(tmp_path, fresh_url, enabled=["alpha"]), fixture_catalog("alpha"))
    result = run("init", "--admin-password", "s3cret-pass", "--company", "Rossi S.r.l.")
    assert result.exit_code == 0, result.output
    assert "install contacts 0.1.0 (required by alpha)" in result.output
    assert query(fresh_url, "SELECT name FROM core_company") == [("Rossi S.r.l.",)]
    assert query(fresh_url, "SELECT login FROM core_user") == [("admin",)]
    assert states(fresh_url) == {"contacts": "installed", "alpha": "installed"}
    again = run("init", "--admin-password", "s3cret-pass")
    assert again.exit_code == 2
    assert "is already initialized" in again.stderr


def test_upgrade_runs_when_the_code_is_newer(bottega):
    bottega("alpha")("addons", "install", "alpha")
    base = fixture_catalog("alpha")
    newer = Catalog([dataclasses.replace(base["alpha"], version="1.1.0"), base["contacts"]])
    run = Bottega(bottega("alpha").config_path, newer)
    assert "upgrade available" in run("addons", "list").output
    result = run("addons", "upgrade")
    assert result.exit_code == 0, result.output
    assert "1. upgrade alpha 1.1.0 (from 1.0.0)" in result.output
    assert query(bottega.url, "SELECT version FROM core_addon WHERE name = 'alpha'") == [("1.1.0",)]
    assert run("addons", "upgrade").output.strip() == "Nothing to do: the database already matches."


def test_a_config_with_a_wrong_type_is_rejected(tmp_path, initialized_url):
    path = tmp_path / "bad.toml"
    path.write_text(f'[database]\nurl = "{initialized_url}"\n[server]\nport = "eighty"\n')
    result = Bottega(path, fixture_catalog())("addons", "list")
    assert result.exit_code == 2
    assert result.stderr == f"error: {path}: [server] port: expected an integer, got 'eighty'\n"


def test_purging_a_column_extension_keeps_every_row_that_points_at_that_table(bottega):
    run = bottega("alpha", "extender")
    assert run("addons", "install", "alpha", "extender").exit_code == 0
    execute(bottega.url, "INSERT INTO contacts_partner (name, is_company, active, company_id, created_at, updated_at,"
                         " extender_rating) VALUES ('Rated', true, true, 1, '2026-01-01', '2026-01-01', 5)")
    execute(bottega.url, "INSERT INTO alpha_item (name, company_id, partner_id) VALUES ('points at it', 1, 1)")
    result = run("addons", "uninstall", "extender", "--purge", "--yes", "--backup-dir", str(run.config_path.parent))
    assert result.exit_code == 0, result.output
    assert "drops column contacts_partner.extender_rating" in result.output
    assert query(bottega.url, "SELECT name FROM contacts_partner") == [("Rated",)]
    assert query(bottega.url, "SELECT name, partner_id FROM alpha_item") == [("points at it", 1)]
    assert query(bottega.url, "SELECT count(*) FROM core_user_group") == [(1,)]
