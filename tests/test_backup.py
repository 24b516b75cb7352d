"""`bottega backup` / `bottega restore` on the test engine (SQLite, or PostgreSQL with BOTTEGA_TEST_DATABASE_URL).

A backup taken while four writer processes post invoices restores into a
database whose books balance, whose numbering has no gap and whose rows are
rows the live database had; a backup of a quiet database restores exactly.
A restore refuses bad files, other engines, newer code and a database in
use, and leaves the target as it was.
"""
import hashlib
import os
import shutil
import stat
import subprocess
import time
from collections import defaultdict

import pytest
from sqlalchemy import MetaData, select, text
from sqlalchemy.engine import make_url

from addons.accounting.tests.conftest import ledger_problems, make_books
from core.backup import BackupError
from core.backup.archive import unpack
from core.backup.postgresql import check_tool_version
from core.backup.postgresql import restore as restore_postgresql
from core.db import make_engine
from core.lifecycle import Lifecycle
from core.sessions import make_session_factory
from core.testing import TestData, initialized_database

from .concurrent_writers import Writers
from .lifecycle_helpers import Bottega, execute, query, run_bottega, run_bottega_at_terminal, write_config

DEADLINE = 240  # seconds for the writers to reach a point; only reached when something hangs
ON_POSTGRESQL = (os.environ.get("BOTTEGA_TEST_DATABASE_URL") or "").startswith("postgresql")
postgresql_only = pytest.mark.skipif(not ON_POSTGRESQL, reason="needs BOTTEGA_TEST_DATABASE_URL on PostgreSQL")


def site(folder, url, catalog, enabled=()):
    folder.mkdir(parents=True, exist_ok=True)
    return Bottega(write_config(folder, url, enabled), catalog)


def tables_checksums(url, only=None) -> dict[str, tuple[int, str]]:
    """Every table (or those in ``only``): its row count and the SHA-256 of its rows in primary-key order."""
    engine = make_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine, only=only)
        with engine.connect() as connection:
            result = {}
            for name, table in sorted(metadata.tables.items()):
                rows = [repr(tuple(row)) for row in connection.execute(
                    select(table).order_by(*(table.primary_key.columns or table.columns)))]
                result[name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
            return result
    finally:
        engine.dispose()


def rows_by_table(url, names) -> dict[str, set[str]]:
    engine = make_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine, only=names)
        with engine.connect() as connection:
            return {name: {repr(tuple(row)) for row in connection.execute(select(table))}
                    for name, table in metadata.tables.items()}
    finally:
        engine.dispose()


def wait_until(condition, what: str, state=lambda: "") -> None:
    stop = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > stop:
            raise AssertionError(f"{what}: not reached before the deadline {state()}")
        time.sleep(0.05)


# --- a backup of a busy database ---------------------------------------------------------------------------


def test_a_backup_taken_while_four_processes_post_invoices_restores_balanced_gapless_books(
        databases, catalog, tmp_path):
    url = databases.new()
    engine = initialized_database(url, catalog, ["accounting"])
    registry = Lifecycle(engine, catalog).registry()
    books = make_books(TestData(registry, make_session_factory(engine)), "Copias de Seguridad S.L.", "ES")
    books.session.close()
    engine.dispose()
    live = site(tmp_path / "live", url, catalog, ["accounting"])
    addon_tables = sorted(t.name for addon in registry.installed for t in registry.tables_of(addon))

    writers = Writers(url, books.company.id, count=4)
    writers.start()
    try:
        wait_until(lambda: min(writers.counts()) >= 2, "each writer committed two invoices")
        before = writers.counts()
        taken = live("backup", str(tmp_path / "busy.tar.gz"))
        after = writers.counts()
        wait_until(lambda: all(now > then for now, then in zip(writers.counts(), after)),
                   "each writer committed again after the backup", writers.describe)
    finally:
        exit_codes = writers.finish(timeout=DEADLINE)
    assert taken.exit_code == 0, taken.output
    assert exit_codes == [0, 0, 0, 0]

    restored_url = databases.new()
    restored = site(tmp_path / "restored", restored_url, catalog, ["accounting"])
    result = restored("restore", str(tmp_path / "busy.tar.gz"), "--yes")
    assert result.exit_code == 0, result.output

    restored_engine = make_engine(restored_url)
    try:
        with restored_engine.connect() as connection:
            assert ledger_problems(connection) == {}
            numbers = defaultdict(list)
            for journal, year, number in connection.execute(text(
                    "SELECT journal_id, fiscal_year_id, sequence_number FROM accounting_move WHERE state = 'posted'")):
                numbers[journal, year].append(number)
            references = connection.execute(text("SELECT reference FROM accounting_invoice")).scalars().all()
    finally:
        restored_engine.dispose()
    assert numbers and all(sorted(found) == list(range(1, len(found) + 1)) for found in numbers.values())
    for writer in range(4):  # each writer's invoices are the first ones it committed, none missing
        mine = sorted(int(ref.split("-")[1]) for ref in references if ref.startswith(f"w{writer}-"))
        assert mine == list(range(len(mine)))
        assert before[writer] <= len(mine) <= after[writer] + 1
    live_rows, restored_rows = rows_by_table(url, addon_tables), rows_by_table(restored_url, addon_tables)
    for table in addon_tables:  # every restored row is a row the live database has, unchanged
        assert restored_rows[table] <= live_rows[table], table

    # once the writers stopped, a second backup restores every table exactly
    assert live("backup", str(tmp_path / "quiet.tar.gz")).exit_code == 0
    exact_url = databases.new()
    exact = site(tmp_path / "exact", exact_url, catalog, ["accounting"])
    assert exact("restore", str(tmp_path / "quiet.tar.gz"), "--yes").exit_code == 0
    assert tables_checksums(exact_url) == tables_checksums(url)
    assert tables_checksums(exact_url)["accounting_invoice"][0] == sum(writers.counts())


# --- restoring: what it replaces, and what it refuses ----------------------------------------------------


@pytest.fixture
def backed_up(databases, catalog, tmp_path):
    """A database with contacts installed and a partner, its backup, and a second database with other content."""
    url = databases.new()
    initialized_database(url, catalog, ["contacts"]).dispose()
    execute(url, "INSERT INTO contacts_partner (name, is_company, active, company_id, created_at, updated_at)"
                 " VALUES ('Backed up partner', true, true, 1, '2026-01-01', '2026-01-01')")
    source = site(tmp_path / "source", url, catalog, ["contacts"])
    assert source("backup", str(tmp_path / "backup.tar.gz")).exit_code == 0
    target_url = databases.new()
    initialized_database(target_url, catalog, ["products"]).dispose()
    source.url, source.file = url, tmp_path / "backup.tar.gz"
    source.target_url, source.target = target_url, site(tmp_path / "target", target_url, catalog, ["contacts"])
    return source


def test_restore_replaces_the_content_even_tables_the_backup_does_not_have(backed_up, catalog):
    result = backed_up.target("restore", str(backed_up.file), "--yes")
    assert result.exit_code == 0, result.output
    assert tables_checksums(backed_up.target_url) == tables_checksums(backed_up.url)
    assert not any(name.startswith("products_") for name in tables_checksums(backed_up.target_url))
    assert dict(query(backed_up.target_url, "SELECT name, state FROM core_addon")) == {"contacts": "installed"}
    assert backed_up.target("addons", "apply").output == "Nothing to do: the database already matches.\n"


def test_restore_asks_first_and_a_script_without_yes_is_refused(backed_up, tmp_path):
    before = tables_checksums(backed_up.target_url)
    refused = run_bottega(backed_up.target.config_path, "restore", str(backed_up.file), cwd=tmp_path)
    assert refused.returncode == 2
    target = make_url(backed_up.target_url).render_as_string(hide_password=True)
    assert refused.stderr == (f"error: restoring replaces the content of {target}: run `bottega restore "
                              f"{backed_up.file} --yes` to go ahead\n")
    status, output = run_bottega_at_terminal(backed_up.target.config_path, "restore", str(backed_up.file),
                                             cwd=tmp_path, answer="n")
    assert status == 1, output
    assert f"Replace the content of {target} with it? [y/N]" in output
    assert tables_checksums(backed_up.target_url) == before


def _truncated(path):
    content = path.read_bytes()
    path.write_bytes(content[:len(content) // 2])


def _altered(path):
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0xFF
    path.write_bytes(bytes(content))


@pytest.mark.parametrize("damage", [_truncated, _altered])
def test_a_truncated_or_altered_backup_is_refused_and_the_database_is_unchanged(backed_up, damage):
    damage(backed_up.file)
    before = tables_checksums(backed_up.target_url)
    result = backed_up.target("restore", str(backed_up.file), "--yes")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {backed_up.file}")
    assert "truncated or corrupt" in result.stderr
    assert tables_checksums(backed_up.target_url) == before


def test_a_file_that_is_not_a_backup_is_refused(backed_up, tmp_path):
    other = tmp_path / "notes.tar.gz"
    other.write_bytes(b"just some text")
    result = backed_up.target("restore", str(other), "--yes")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {other}: not a Bottega backup")


def test_a_backup_of_another_engine_is_refused(backed_up, tmp_path, catalog):
    other_url = (f"sqlite:///{tmp_path / 'other.db'}" if ON_POSTGRESQL
                 else "postgresql+psycopg://postgres@127.0.0.1:5432/bottega_never_created")
    other = site(tmp_path / "other", other_url, catalog)
    result = other("restore", str(backed_up.file), "--yes")
    assert result.exit_code == 2
    engine, other_engine = ("postgresql", "sqlite") if ON_POSTGRESQL else ("sqlite", "postgresql")
    assert result.stderr.startswith(f"error: {backed_up.file} is a backup of a {engine} database; the configured "
                                    f"database {other_url} is {other_engine}")
    assert not (tmp_path / "other.db").exists()


@pytest.mark.parametrize("change, message", [
    ("INSERT INTO alembic_version (version_num) VALUES ('ffffffffffff')",
     "was taken with newer code: its database has migrations this code does not know (ffffffffffff)"),
    ("UPDATE core_addon SET version = '9.0.0' WHERE name = 'contacts'",
     "was taken with newer code: contacts 9.0.0 (this code has 0.1.0)"),
    ("INSERT INTO core_addon (name, version, state, updated_at) VALUES ('ghost', '1.0.0', 'installed', '2026-01-01')",
     "has addon ghost, which this code does not know"),
])
def test_a_backup_from_newer_code_is_refused(backed_up, tmp_path, change, message):
    execute(backed_up.url, change)
    newer = tmp_path / "newer.tar.gz"
    assert backed_up("backup", str(newer)).exit_code == 0
    before = tables_checksums(backed_up.target_url)
    result = backed_up.target("restore", str(newer), "--yes")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {newer} {message}")
    assert result.stderr.endswith("nothing was changed\n")
    assert tables_checksums(backed_up.target_url) == before


def test_backup_writes_a_private_file_under_instance_backups_by_default(initialized_url, tmp_path):
    config = write_config(tmp_path, initialized_url, ["contacts"])
    result = run_bottega(config, "backup", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    engine = make_url(initialized_url).get_backend_name()
    [written] = (tmp_path / "instance" / "backups").glob(f"bottega-{engine}-*.tar.gz")
    assert f"written to {written.relative_to(tmp_path)}" in result.stdout
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    for folder in (tmp_path / "instance", tmp_path / "instance" / "backups"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert [p.name for p in written.parent.iterdir()] == [written.name]  # nothing half-written beside it
    again = run_bottega(config, "backup", str(written), cwd=tmp_path)
    assert (again.returncode, again.stderr) == (2, f"error: {written} already exists: name another file\n")


# --- PostgreSQL: a database in use, the client tools ------------------------------------------------------


@postgresql_only
def test_restore_into_a_postgresql_database_in_use_is_refused(backed_up):
    before = tables_checksums(backed_up.target_url)
    engine = make_engine(backed_up.target_url)
    try:
        with engine.connect() as other:
            other.execute(text("SELECT 1"))
            result = backed_up.target("restore", str(backed_up.file), "--yes")
    finally:
        engine.dispose()
    assert result.exit_code == 2
    target = make_url(backed_up.target_url).render_as_string(hide_password=True)
    assert result.stderr == (f"error: database {target} is in use by 1 other connection: stop the server and the "
                             "workers, then restore again; nothing was changed\n")
    assert tables_checksums(backed_up.target_url) == before


@postgresql_only
def test_a_connection_arriving_after_the_checks_still_stops_the_restore_in_its_transaction(backed_up, tmp_path):
    before = tables_checksums(backed_up.target_url)
    _manifest, dump = unpack(backed_up.file, tmp_path)
    engine = make_engine(backed_up.target_url)
    try:
        with engine.connect() as other:
            other.execute(text("SELECT 1"))
            with pytest.raises(BackupError, match="it is in use by other connections.*nothing was changed$"):
                restore_postgresql(dump, backed_up.target_url)
    finally:
        engine.dispose()
    assert tables_checksums(backed_up.target_url) == before


@postgresql_only
def test_missing_client_tools_are_named(backed_up, tmp_path):
    result = backed_up("backup", str(tmp_path / "never.tar.gz"), env={"PATH": str(tmp_path / "empty")})
    assert result.exit_code == 2
    assert result.stderr.startswith("error: pg_dump was not found on PATH: install the PostgreSQL client tools")
    assert not (tmp_path / "never.tar.gz").exists()


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="needs the PostgreSQL client tools")
def test_client_tools_older_than_the_server_are_refused():
    output = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True, check=True).stdout
    major = int(output.split("(PostgreSQL)")[1].split(".")[0])
    check_tool_version("pg_dump", output, major * 10000 + 5)  # the same major version is fine
    with pytest.raises(BackupError, match=rf"^pg_dump is version {major}, older than the PostgreSQL {major + 1} "
                                          rf"server: install the client tools of version {major + 1} or newer$"):
        check_tool_version("pg_dump", output, (major + 1) * 10000)

