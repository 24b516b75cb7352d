"""Install, upgrade and uninstall through the `bottega addons` commands, including bad input."""
import dataclasses
import json
import os
import stat

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from core.catalog import Catalog
from core.db import make_engine
from core.errors import DatabaseError
from core.lifecycle.database import open_engine

from .lifecycle_helpers import Bottega, columns, execute, fixture_catalog, query, tables, write_config


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
    alpha = lines.index("2. install alpha 1.0.0 (required by beta, bridge)")
    assert lines[alpha + 1].strip() == "migration a1a1a1a1a1a1 alpha: items"
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
    assert "2. install alpha 1.0.0" in planned.output.splitlines()
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
    execute(bottega.url, "INSERT INTO alpha_item (name, stage, company_id) VALUES ('kept', 'new', 1)")
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
    execute(bottega.url, "INSERT INTO alpha_item (name, stage, company_id) VALUES ('doomed', 'new', 1)")
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


def add_user(url, login, *group_keys):
    execute(url, "INSERT INTO core_user (login, name, active, lang, company_id, created_at, updated_at) "
                 "VALUES (:login, :login, true, 'en', 1, '2026-01-01', '2026-01-01')", login=login)
    for key in group_keys:
        execute(url, "INSERT INTO core_user_group (user_id, group_id) SELECT u.id, g.id FROM core_user u, core_group g"
                     " WHERE u.login = :login AND g.key = :key", login=login, key=key)


def memberships(url, prefix):
    return query(url, "SELECT g.key, u.login FROM core_user_group m JOIN core_group g ON g.id = m.group_id "
                      "JOIN core_user u ON u.id = m.user_id WHERE g.key LIKE :prefix ORDER BY 1, 2",
                 prefix=f"{prefix}%")


def test_purge_lists_and_backs_up_group_memberships_in_a_file_only_its_owner_reads(bottega, tmp_path):
    run = bottega("alpha")
    run("addons", "install", "alpha")
    add_user(bottega.url, "carol", "alpha.group_user", "alpha.group_manager")
    add_user(bottega.url, "bob", "alpha.group_user")
    backups = tmp_path / "private" / "backups"
    result = run("addons", "uninstall", "alpha", "--purge", "--yes", "--backup-dir", str(backups))
    assert result.exit_code == 0, result.output
    assert "     drops group alpha.group_manager and its members: carol" in result.output.splitlines()
    assert "     drops group alpha.group_user and its members: bob, carol" in result.output.splitlines()
    [backup] = backups.glob("alpha-*.json")
    assert json.loads(backup.read_text())["memberships"] == {"alpha.group_manager": ["carol"],
                                                             "alpha.group_user": ["bob", "carol"]}
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(backups.stat().st_mode) == stat.S_IMODE(backups.parent.stat().st_mode) == 0o700
    assert memberships(bottega.url, "alpha.") == []
    assert query(bottega.url, "SELECT count(*) FROM core_group WHERE key LIKE 'alpha.%'") == [(0,)]
    assert sorted(query(bottega.url, "SELECT login FROM core_user")) == [("admin",), ("bob",), ("carol",)]


def test_install_restores_the_memberships_of_a_purge_backup_and_names_what_it_could_not(bottega, tmp_path):
    run = bottega("alpha", "beta")
    run("addons", "install", "alpha")
    add_user(bottega.url, "carol", "alpha.group_user", "alpha.group_manager")
    add_user(bottega.url, "bob", "alpha.group_user")
    run("addons", "uninstall", "alpha", "--purge", "--yes", "--backup-dir", str(tmp_path / "backups"))
    [backup] = (tmp_path / "backups").glob("alpha-*.json")
    execute(bottega.url, "DELETE FROM core_user WHERE login = 'bob'")

    wrong = run("addons", "install", "beta", "--restore-from", str(backup))
    assert wrong.exit_code == 2
    assert wrong.stderr == f"error: --restore-from: {backup} is a backup of alpha, not of beta\n"
    assert "alpha" not in states(bottega.url)

    result = run("addons", "install", "alpha", "--restore-from", str(backup))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-4:] == [
        f"Group memberships from {backup}:",
        "  restored: carol in alpha.group_manager",
        "  restored: carol in alpha.group_user",
        "  not restored: bob in alpha.group_user (no user bob any more)",
    ]
    assert memberships(bottega.url, "alpha.") == [("alpha.group_manager", "carol"), ("alpha.group_user", "carol")]


@pytest.mark.parametrize("content, message", [
    ("{not json", "not a purge backup (not JSON: "),
    ('{"tables": {}}', "not a purge backup (it names no addon)"),
    ('{"addon": "alpha", "tables": {}}', "this backup of alpha records no group memberships"),
    ('{"addon": "alpha", "memberships": {"alpha.group_user": "bob"}}', '"memberships" must map each group'),
])
def test_a_file_that_is_not_a_purge_backup_is_refused_before_anything_changes(bottega, tmp_path, content, message):
    run = bottega("alpha")
    backup = tmp_path / "backup.json"
    backup.write_text(content)
    result = run("addons", "install", "alpha", "--restore-from", str(backup))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {backup}: {message}")
    assert "alpha" not in states(bottega.url)
    assert 'enabled = []' in run.config_path.read_text()


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
    result = run("init", "--admin-password", "olive-grove-73", "--company", "Rossi S.r.l.")
    assert result.exit_code == 0, result.output
    assert "install contacts 0.1.0 (required by alpha)" in result.output
    assert query(fresh_url, "SELECT name FROM core_company") == [("Rossi S.r.l.",)]
    assert query(fresh_url, "SELECT login FROM core_user") == [("admin",)]
    assert states(fresh_url) == {"contacts": "installed", "alpha": "installed"}
    again = run("init", "--admin-password", "olive-grove-73")
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
    execute(bottega.url, "INSERT INTO alpha_item (name, stage, company_id, partner_id) VALUES ('points at it', 'new', 1, 1)")
    result = run("addons", "uninstall", "extender", "--purge", "--yes", "--backup-dir", str(run.config_path.parent))
    assert result.exit_code == 0, result.output
    assert "drops column contacts_partner.extender_rating" in result.output
    assert query(bottega.url, "SELECT name FROM contacts_partner") == [("Rated",)]
    assert query(bottega.url, "SELECT name, partner_id FROM alpha_item") == [("points at it", 1)]
    assert query(bottega.url, "SELECT count(*) FROM core_user_group") == [(1,)]


# --- the config file is written only if the database change can be recorded in it --------------------------


def test_a_read_only_config_file_stops_install_before_the_database_changes(bottega):
    run = bottega("alpha")
    before = run.config_path.read_text()
    os.chmod(run.config_path, 0o444)
    result = run("addons", "install", "alpha")
    assert result.exit_code == 2, result.output
    assert result.stderr == (f"error: {run.config_path}: cannot be written (the file is read-only), so [addons] "
                             "enabled could not be kept in step; nothing was changed\n")
    assert "alpha" not in states(bottega.url)
    assert "alpha_item" not in tables(bottega.url)
    assert run.config_path.read_text() == before
    assert sorted(p.name for p in run.config_path.parent.iterdir()) == ["bottega.toml"]


def test_a_folder_in_the_way_of_a_temporary_file_does_not_break_install(bottega):
    run = bottega("alpha")
    (run.config_path.parent / "bottega.toml.tmp").mkdir()
    result = run("addons", "install", "alpha")
    assert result.exit_code == 0, result.output
    assert 'enabled = ["alpha"]' in run.config_path.read_text()
    assert states(bottega.url)["alpha"] == "installed"


def test_a_config_write_failing_after_the_database_changed_says_what_to_put_in_the_file(bottega, monkeypatch):
    run = bottega("alpha")
    os.chmod(run.config_path, 0o640)

    def refuse(source, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("core.config.os.replace", refuse)
    result = run("addons", "install", "alpha")
    assert result.exit_code == 2, result.output
    assert result.stderr == (f"error: the database was changed, but {run.config_path} could not be written "
                             '(Permission denied): set enabled = ["alpha"] under [addons] in it by hand\n')
    assert states(bottega.url)["alpha"] == "installed"
    assert sorted(p.name for p in run.config_path.parent.iterdir()) == ["bottega.toml"]
    assert stat.S_IMODE(run.config_path.stat().st_mode) == 0o640


def test_with_the_environment_overriding_the_list_only_the_named_addons_change_in_the_file(bottega):
    run = bottega("alpha", "extender", enabled=["alpha"])
    env = {"BOTTEGA_ADDONS_ENABLED": "contacts"}
    installed = run("addons", "install", "extender", env=env)
    assert installed.exit_code == 0, installed.output
    assert 'enabled = ["alpha", "extender"]' in run.config_path.read_text()
    assert "BOTTEGA_ADDONS_ENABLED overrides it; add extender there too" in installed.output
    assert states(bottega.url) == {"contacts": "installed", "extender": "installed"}
    removed = run("addons", "uninstall", "extender", "--yes", env=env)
    assert removed.exit_code == 0, removed.output
    assert 'enabled = ["alpha"]' in run.config_path.read_text()


# --- addons whose code is gone, or older than the database ------------------------------------------------


def test_an_installed_addon_whose_code_is_gone_is_listed_blocks_changes_and_can_be_deactivated(bottega):
    full = bottega("alpha", "extender")
    assert full("addons", "install", "extender").exit_code == 0
    gone = Bottega(full.config_path, fixture_catalog("alpha"))

    listed = gone("addons", "list")
    assert listed.exit_code == 0, listed.output
    rows = {line.split()[0]: line for line in listed.output.splitlines()[1:]}
    assert rows["extender"].split()[:6] == ["extender", "-", "1.0.0", "installed,", "code", "missing"]
    assert rows["contacts"].split()[:4] == ["contacts", "0.1.0", "0.1.0", "installed"]

    refusal = ("error: installed addon extender: code missing (no installed package provides it); reinstall its "
               "package, or deactivate with `bottega addons uninstall extender` (tables and data are kept)\n")
    for args in (("addons", "plan"), ("addons", "apply"), ("addons", "upgrade"), ("addons", "install", "alpha"),
                 ("addons", "uninstall", "contacts", "--yes")):
        result = gone(*args)
        assert (result.exit_code, result.stderr) == (2, refusal), args
    purge = gone("addons", "uninstall", "extender", "--purge", "--yes")
    assert purge.exit_code == 2
    assert purge.stderr.startswith("error: cannot purge extender: its code is missing")
    assert states(bottega.url) == {"contacts": "installed", "extender": "installed"}

    deactivated = gone("addons", "uninstall", "extender", "--yes")
    assert deactivated.exit_code == 0, deactivated.output
    assert "1. uninstall extender 1.0.0 (its code is missing, tables and data are kept)" in deactivated.output
    assert states(bottega.url) == {"contacts": "installed", "extender": "deactivated"}
    assert "enabled = []" in full.config_path.read_text()
    assert "not installed (data kept), code missing" in gone("addons", "list").output

    # with it deactivated, the rest works again, though Alembic still records its revision
    installed = gone("addons", "install", "alpha")
    assert installed.exit_code == 0, installed.output
    assert "install contacts" not in installed.output
    assert "alpha_item" in tables(bottega.url)
    assert ("e3e3e3e3e3e3",) in query(bottega.url, "SELECT version_num FROM alembic_version")
    assert gone("addons", "apply").output.strip() == "Nothing to do: the database already matches."
    assert gone("addons", "uninstall", "alpha", "--purge", "--yes").stderr.startswith(
        "error: cannot purge alpha: the database keeps data of extender, whose code is missing")

    # the code comes back: the kept column comes back with it, and it can be purged
    again = full("addons", "install", "extender")
    assert "install again extender 1.0.0" in again.output
    assert "extender_rating" in columns(bottega.url, "contacts_partner")
    purged = full("addons", "uninstall", "extender", "--purge", "--yes", "--backup-dir", str(full.config_path.parent))
    assert purged.exit_code == 0, purged.output
    assert "extender_rating" not in columns(bottega.url, "contacts_partner")
    assert query(bottega.url, "SELECT count(*) FROM alembic_version WHERE version_num = 'e3e3e3e3e3e3'") == [(0,)]


def test_an_addon_enabled_in_the_config_whose_code_is_gone_is_named(bottega):
    full = bottega("alpha", "extender")
    full("addons", "install", "extender")
    full("addons", "uninstall", "extender", "--yes")
    full.config_path.write_text(full.config_path.read_text().replace("enabled = []", 'enabled = ["extender"]'))
    result = Bottega(full.config_path, fixture_catalog("alpha"))("addons", "apply")
    assert result.exit_code == 2
    assert result.stderr == ("error: extender is enabled in the config but its code is missing (its data is kept in "
                             "the database); reinstall its package, or remove it from [addons] enabled\n")


def test_code_older_than_the_database_is_a_clear_error(bottega):
    bottega("alpha")("addons", "install", "alpha")
    base = fixture_catalog("alpha")
    older = Bottega(bottega("alpha").config_path,
                    Catalog([dataclasses.replace(base["alpha"], version="0.9.0"), base["contacts"]]))
    rows = {line.split()[0]: line for line in older("addons", "list").output.splitlines()[1:]}
    assert rows["alpha"].split()[:3] == ["alpha", "0.9.0", "1.0.0"]
    assert "installed, code older than database" in rows["alpha"]
    for args in (("addons", "plan"), ("addons", "upgrade"), ("addons", "install", "contacts")):
        result = older(*args)
        assert result.exit_code == 2, args
        assert result.stderr == ("error: addon alpha: the database has version 1.0.0 installed but the code is "
                                 "version 0.9.0, older than the database; install version 1.0.0 or newer of its "
                                 "code\n")


# --- bridges ----------------------------------------------------------------------------------------------


def test_a_bridge_cannot_be_uninstalled_while_what_it_bridges_is_installed(bottega):
    run = bottega("alpha", "beta", "bridge", enabled=["beta"])
    assert run("addons", "apply").exit_code == 0
    result = run("addons", "uninstall", "bridge", "--yes")
    assert result.exit_code == 2
    assert result.stderr == ("error: cannot uninstall bridge: it is a bridge between alpha, beta and comes and goes "
                             "with them (uninstall one of alpha, beta instead)\n")
    assert states(bottega.url)["bridge"] == "installed"
    assert run("addons", "apply").output.strip() == "Nothing to do: the database already matches."


# --- init validates before it creates anything --------------------------------------------------------------


def _uncreated_url(databases, tmp_path):
    if databases.engine_name == "sqlite":
        return f"sqlite:///{tmp_path / 'not-yet' / 'bottega.db'}"
    url = make_url(databases.server_url).set(database=f"bottega_test_{os.urandom(6).hex()}")
    url = url.render_as_string(hide_password=False)
    databases.created.append(url)  # dropped at the end should a test fail and leave it behind
    return url


def _exists(databases, tmp_path, url) -> bool:
    if databases.engine_name == "sqlite":
        return (tmp_path / "not-yet").exists()
    engine = make_engine(databases.server_url)
    try:
        with engine.connect() as connection:
            return bool(connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                           {"n": make_url(url).database}).first())
    finally:
        engine.dispose()


@pytest.mark.parametrize("enabled, args, message", [
    ((), ("--admin-password", "short"), "error: --admin-password: The password is too short: use at least 10 characters.\n"),
    (("cycle_a",), ("--admin-password", "olive-grove-73"), "error: dependency cycle: cycle_a -> cycle_b -> cycle_a\n"),
    ((), ("--admin-password", "olive-grove-73", "--company", " "), "error: --company: the company needs a name\n"),
])
def test_init_checks_its_input_before_creating_the_database(databases, tmp_path, enabled, args, message):
    url = _uncreated_url(databases, tmp_path)
    run = Bottega(write_config(tmp_path, url, enabled), fixture_catalog("cycle_a", "cycle_b"))
    result = run("init", *args)
    assert (result.exit_code, result.stderr) == (2, message)
    assert not _exists(databases, tmp_path, url)


def test_init_says_the_database_was_initialized_when_installing_the_addons_fails(tmp_path, fresh_url):
    run = Bottega(write_config(tmp_path, fresh_url, enabled=["broken"]), fixture_catalog("broken"))
    result = run("init", "--admin-password", "olive-grove-73", "--company", "Rossi")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: the database was initialized (company 'Rossi' and user admin exist), but installing the enabled "
        "addons failed: install broken 1.0.0 failed: RuntimeError: boom")
    assert result.stderr.endswith("; fix that, then run `bottega addons apply`\n")
    assert query(fresh_url, "SELECT login FROM core_user") == [("admin",)]
    assert "broken" not in states(fresh_url)


# --- errors of the command line -----------------------------------------------------------------------------


def test_a_database_driver_that_cannot_be_loaded_is_a_config_error_and_help_still_works(tmp_path):
    run = Bottega(write_config(tmp_path, "postgresql+asyncpg://u@127.0.0.1/x"), fixture_catalog())
    helped = run("--help")
    assert helped.exit_code == 0, helped.output
    assert "addons" in helped.output
    result = run("addons", "list")
    assert result.exit_code == 2
    assert result.stderr == (f"error: {run.config_path}: [database] url: postgresql+asyncpg is an asyncio driver, "
                             "which Bottega does not use (use postgresql+psycopg)\n")
    missing = Bottega(write_config(tmp_path, "postgresql+pg8000://u@127.0.0.1/x"), fixture_catalog())
    result = missing("addons", "list")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {run.config_path}: [database] url: the driver of postgresql+pg8000 "
                                    "cannot be loaded (ModuleNotFoundError: No module named 'pg8000')")


def test_open_engine_turns_driver_failures_into_database_errors():
    with pytest.raises(DatabaseError, match="^cannot open database postgresql\\+asyncpg://u:\\*\\*\\*@h/x: "
                                           "cannot load its driver: No module named 'asyncpg'$"):
        open_engine("postgresql+asyncpg://u:secret@h/x")


def test_a_file_that_is_not_a_database_is_a_clear_error_and_help_still_works(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("these are not the tables you are looking for\n" * 50)
    run = Bottega(write_config(tmp_path, f"sqlite:///{path}"), fixture_catalog())
    helped = run("--help")
    assert helped.exit_code == 0, helped.output
    result = run("addons", "list")
    assert result.exit_code == 2
    assert result.stderr == f"error: cannot open database sqlite:///{path}: file is not a database\n"


def test_upgrading_an_unknown_addon_names_the_known_ones(bottega):
    result = bottega("alpha")("addons", "upgrade", "nope")
    assert (result.exit_code, result.stderr) == (2, "error: unknown addon 'nope' (known: alpha, contacts)\n")


# --- an upgrade that runs a migration ------------------------------------------------------------------------


def test_upgrade_runs_the_pending_migrations_of_the_new_code_and_keeps_the_data(bottega):
    first = bottega("gamma")
    assert first("addons", "install", "gamma").exit_code == 0
    execute(bottega.url, "INSERT INTO gamma_thing (id, name) VALUES (1, 'kept')")
    assert "color" not in columns(bottega.url, "gamma_thing")
    second = Bottega(first.config_path, fixture_catalog("gamma_v2"))
    assert "upgrade available" in second("addons", "list").output
    planned = second("addons", "plan")
    assert planned.output.splitlines() == [
        "1. upgrade gamma 1.1.0 (from 1.0.0)",
        "     migration f5f5f5f5f5f5 gamma: a colour on things, and tags",
    ]
    result = second("addons", "upgrade", "gamma")
    assert result.exit_code == 0, result.output
    assert "color" in columns(bottega.url, "gamma_thing")
    assert "gamma_tag" in tables(bottega.url)
    assert query(bottega.url, "SELECT name, color FROM gamma_thing") == [("kept", "grey")]
    execute(bottega.url, "INSERT INTO gamma_tag (thing_id, label) VALUES (1, 'red')")
    assert query(bottega.url, "SELECT version FROM core_addon WHERE name = 'gamma'") == [("1.1.0",)]
    assert second("addons", "upgrade").output.strip() == "Nothing to do: the database already matches."
